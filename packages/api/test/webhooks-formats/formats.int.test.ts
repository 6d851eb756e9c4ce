import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { addSmtpProvider, eventually, FAST_QUEUE_ENV } from '../durable/durable-support';
import { dataOf } from '../support/test-agent';
import { startTestServer, type TestServer } from '../support/test-server';
import { startWebhookReceiver, type WebhookReceiver } from '../webhooks/webhook-receiver';

const CREATE = `mutation ($input: WebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { endpoint { id } }
}`;
const TEST = `mutation ($id: ID!) { sendTestWebhook(id: $id) { status error } }`;
const DELIVERIES = `query ($id: ID!) { webhookDeliveries(endpointId: $id) { nodes { eventType status error } } }`;

interface AttemptNode {
  eventType: string;
  status: string;
  error: string | null;
}

/** SLACK and EMAIL endpoints end to end: an event written to the log reaches Slack or a mailbox in words. */
describe('SLACK and EMAIL endpoints', () => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let first: SmtpTestServer;
  let second: SmtpTestServer;
  let firstId: string;

  beforeAll(async () => {
    server = await startTestServer({
      env: { ...FAST_QUEUE_ENV, WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_LEASE_SECONDS: '15' },
    });
    receiver = await startWebhookReceiver();
    first = await startSmtpTestServer();
    second = await startSmtpTestServer();
    firstId = (await addSmtpProvider(server, first, { name: 'first' })).id;
    await addSmtpProvider(server, second, { name: 'second', serviceType: 'FALLBACK' });
  });

  afterAll(async () => {
    await server?.close();
    await receiver?.close();
    await first?.close();
    await second?.close();
  });

  async function createEndpoint(input: Record<string, unknown>): Promise<string> {
    return dataOf(
      await server.gql<{ createWebhookEndpoint: { endpoint: { id: string } } }>(CREATE, { input }),
    ).createWebhookEndpoint.endpoint.id;
  }

  /** A PROVIDER_PAUSED event about the first provider, written as the alert service writes it. */
  async function providerPaused(): Promise<string> {
    const { rows } = await server.db.query<{ id: string }>(
      `INSERT INTO events (type, provider_id, payload) VALUES ('PROVIDER_PAUSED', $1, $2) RETURNING id`,
      [firstId, JSON.stringify({ providerName: 'first', category: 'CONNECTION', consecutiveFailures: 4 })],
    );
    return rows[0]?.id ?? '';
  }

  async function attempts(id: string): Promise<AttemptNode[]> {
    return dataOf(await server.gql<{ webhookDeliveries: { nodes: AttemptNode[] } }>(DELIVERIES, { id }))
      .webhookDeliveries.nodes;
  }

  it('posts { text } in the endpoint’s language to a Slack-compatible receiver, for the test and for events', async () => {
    const id = await createEndpoint({
      url: receiver.url,
      eventTypes: ['PROVIDER_PAUSED'],
      format: 'SLACK',
      language: 'tr',
    });
    const test = dataOf(await server.gql<{ sendTestWebhook: AttemptNode }>(TEST, { id })).sendTestWebhook;
    expect(test).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(JSON.parse(receiver.requests[0]?.body ?? '{}')).toEqual({
      text: expect.stringMatching(
        /^\*Test olayı\*: Mail Providers test olayı: bu kanal bildirimleri alıyor\.\n`WEBHOOK_TEST` · /,
      ),
    });

    await providerPaused();
    const posted = await eventually('the Slack message of the event', async () =>
      receiver.requests.length >= 2 ? receiver.requests[1] : undefined,
    );
    expect(posted?.headers['content-type']).toMatch(/^application\/json/);
    const { text } = JSON.parse(posted?.body ?? '{}') as { text: string };
    expect(text.split('\n')).toEqual([
      '*Sağlayıcı duraklatıldı*: "first" sağlayıcısı art arda 4 hatadan sonra şimdilik atlanıyor (son hata: bağlantı hatası); bir süre sonra yeniden denenecek.',
      expect.stringMatching(new RegExp(`^sağlayıcı \`${firstId}\` · \`PROVIDER_PAUSED\` · \\d{4}-`)),
    ]);
  });

  it('emails the event to the listed addresses through the chain without the provider it is about', async () => {
    const id = await createEndpoint({
      url: 'mailto:ops@example.org,oncall@example.org',
      eventTypes: ['PROVIDER_PAUSED'],
      format: 'EMAIL',
    });
    await providerPaused();
    const [mail] = await second.waitForMessages(1, 20_000);
    expect(first.messages).toHaveLength(0);
    expect(mail?.rcptTo.sort()).toEqual(['oncall@example.org', 'ops@example.org']);
    expect(mail?.raw.toString('utf8')).toMatch(/^Subject: Mail Providers: Provider paused\r?$/m);
    await eventually('the recorded attempt', async () => {
      const found = await attempts(id);
      return found.some((attempt) => attempt.status === 'SUCCEEDED') ? found : undefined;
    });
  });
});
