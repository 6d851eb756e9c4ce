import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { addSmtpProvider, eventually, FAST_QUEUE_ENV, SEND_EMAIL } from '../durable/durable-support';
import { dataOf } from '../support/test-agent';
import { startTestServer, type TestServer } from '../support/test-server';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

/**
 * Mail goes first: while a process has mail in flight, the webhook messages it would send wait until the
 * mail is done, or until they have waited WEBHOOK_MAIL_FIRST_MS. The SMTP sink's slow greeting holds one
 * round in flight for as long as the test needs.
 */
describe('webhooks wait for mail in flight', () => {
  let smtp: SmtpTestServer;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
  });

  afterAll(async () => {
    await smtp?.close();
  });

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });

  afterEach(async () => {
    smtp.reset();
    await receiver.close();
  });

  /** A server sending through the sink, with an endpoint for PROVIDER_RECOVERED events. */
  async function serverWith(mailFirstMs: number): Promise<TestServer> {
    const server = await startTestServer({
      env: { ...FAST_QUEUE_ENV, WEBHOOK_MAIL_FIRST_MS: String(mailFirstMs) },
    });
    await addSmtpProvider(server, smtp, { name: 'sink' });
    dataOf(
      await server.gql(
        `mutation ($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { signingSecret } }`,
        { input: { url: receiver.url, eventTypes: ['PROVIDER_RECOVERED'] } },
      ),
    );
    return server;
  }

  const statusOf = async (server: TestServer, id: string): Promise<string | undefined> =>
    (await server.db.query<{ status: string }>('SELECT status FROM deliveries WHERE id = $1', [id])).rows[0]
      ?.status;

  /** Sends a message held in flight by a greeting delayed `greetingDelayMs`; resolves once it is SENDING. */
  async function mailInFlight(server: TestServer, greetingDelayMs: number): Promise<string> {
    smtp.fail({ greetingDelayMs });
    const sender = await server.tokenAgent(['SEND']);
    const id = dataOf(
      await sender.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, {
        input: { to: ['ann@example.com'], subject: 'held', text: 'Hello' },
      }),
    ).sendEmail.id;
    await eventually('the round to be claimed', async () =>
      (await statusOf(server, id)) === 'SENDING' ? true : undefined,
    );
    return id;
  }

  const appendEvent = (server: TestServer) =>
    server.db.query(
      `INSERT INTO events (type, provider_id, payload)
       VALUES ('PROVIDER_RECOVERED', gen_random_uuid(), '{"providerName": "Relay"}')`,
    );

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('holds an event back while mail is in flight and sends it as soon as the mail is done', async () => {
    const server = await serverWith(600_000);
    try {
      const held = await mailInFlight(server, 3000);
      await appendEvent(server);
      await pause(1000);
      expect(await statusOf(server, held)).toBe('SENDING');
      expect(receiver.requests).toHaveLength(0);

      await eventually('the mail to be sent', async () =>
        (await statusOf(server, held)) === 'SENT' ? true : undefined,
      );
      // Woken by the end of the mail, not by the ten minutes the event could have waited.
      await eventually('the event to arrive', async () =>
        receiver.delivered().length === 1 ? true : undefined,
      );
    } finally {
      await server.close();
    }
  });

  it('sends an event that has waited WEBHOOK_MAIL_FIRST_MS even while mail is still in flight', async () => {
    const server = await serverWith(300);
    try {
      const held = await mailInFlight(server, 4000);
      await appendEvent(server);
      await eventually('the event to arrive', async () =>
        receiver.delivered().length === 1 ? true : undefined,
      );
      expect(await statusOf(server, held)).toBe('SENDING');
    } finally {
      await server.close();
    }
  });
});
