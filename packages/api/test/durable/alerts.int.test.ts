import {
  SMTP_REPLIES,
  startSmtpTestServer,
  type SmtpTestServer,
} from '@mail-providers/mailer-core/test-support';
import { DurableSendingService } from '../../src/services/durable-sending.service';
import { dataOf, type TestAgent } from '../support/test-agent';
import { startWebhookReceiver, type WebhookReceiver } from '../webhooks/webhook-receiver';
import { startTestServer, testSecret, type TestServer } from '../support/test-server';
import { addSmtpProvider, eventually, FAST_QUEUE_ENV, SEND_EMAIL } from './durable-support';

const ALERTS = `query ($kind: AlertKind) {
  alerts(kind: $kind) { totalCount nodes { kind code params { providerName deliveredByName category failures smtpCode enhancedCode httpStatus }
    providerName message occurrences resolvedAt webhookStatus failure { category } } }
}`;

interface AlertNode {
  kind: string;
  code: string;
  params: Record<string, unknown>;
  providerName: string;
  message: string;
  occurrences: number;
  resolvedAt: string | null;
  webhookStatus: string | null;
  failure: { category: string } | null;
}

describe('alerts', () => {
  let server: TestServer;
  let primary: SmtpTestServer;
  let fallback: SmtpTestServer;
  let sender: TestAgent;
  let primaryId: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    server = await startTestServer({ env: { ...FAST_QUEUE_ENV, ALERT_WEBHOOK_URL: receiver.url } });
    const password = testSecret('smtp');
    primary = await startSmtpTestServer({ users: { app: password } });
    fallback = await startSmtpTestServer();
    primaryId = (await addSmtpProvider(server, primary, { name: 'primary', password })).id;
    await addSmtpProvider(server, fallback, { name: 'fallback', serviceType: 'FALLBACK' });
    sender = await server.tokenAgent(['SEND', 'READ']);
  });

  afterAll(async () => {
    await server?.close();
    await primary?.close();
    await fallback?.close();
    await receiver?.close();
  });

  /** The provider events ALERT_WEBHOOK_URL got, once each (a retry repeats its webhook-id). */
  function posted(): Array<{ type: string; data: Record<string, unknown> }> {
    const seen = new Map<string, { type: string; data: Record<string, unknown> }>();
    for (const request of receiver.delivered()) {
      const id = request.headers['webhook-id'];
      if (id) seen.set(id, JSON.parse(request.body) as { type: string; data: Record<string, unknown> });
    }
    return [...seen.values()];
  }

  async function alerts(kind?: string, language = 'en'): Promise<{ totalCount: number; nodes: AlertNode[] }> {
    return dataOf(
      await sender.gql<{ alerts: { totalCount: number; nodes: AlertNode[] } }>(
        ALERTS,
        { kind },
        { headers: { 'accept-language': language } },
      ),
    ).alerts;
  }

  /** The provider events written for the primary, oldest first. */
  async function providerEvents(): Promise<Array<{ type: string; payload: Record<string, unknown> }>> {
    const { rows } = await server.db.query<{ type: string; payload: Record<string, unknown> }>(
      `SELECT type, payload FROM events WHERE provider_id = $1 AND delivery_id IS NULL ORDER BY seq`,
      [primaryId],
    );
    return rows;
  }

  it('raises one alert per outage: the fallback that hid the primary’s failure, and the opened circuit', async () => {
    primary.fail({ auth: SMTP_REPLIES.authInvalid });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const { sendEmail } = dataOf(
        await sender.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, {
          input: { to: [`alert${i}@example.com`], subject: `Alert ${i}`, text: 'x' },
        }),
      );
      ids.push(sendEmail.id);
    }
    await fallback.waitForMessages(8, 20_000);
    await eventually('the deliveries to be recorded SENT', async () => {
      const { rows } = await server.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM deliveries WHERE id = ANY($1::uuid[]) AND status = 'SENT'`,
        [ids],
      );
      return rows[0]?.n === 8 ? true : undefined;
    });
    await server.app.services.get(DurableSendingService).alerts.flush();

    const fallbacks = await alerts('FALLBACK_USED');
    expect(fallbacks.totalCount).toBe(1);
    expect(fallbacks.nodes[0]).toMatchObject({
      kind: 'FALLBACK_USED',
      providerName: 'primary',
      resolvedAt: null,
      webhookStatus: null,
      failure: { category: 'AUTH' },
    });
    expect(fallbacks.nodes[0]).toMatchObject({
      code: 'FALLBACK_USED',
      params: { providerName: 'primary', deliveredByName: 'fallback', category: 'AUTH', smtpCode: 535 },
    });
    expect(fallbacks.nodes[0]?.message).toMatch(
      /^Mail went out through "fallback" because "primary" failed \(authentication failure, SMTP 535/,
    );
    expect(fallbacks.nodes[0]?.occurrences).toBe(8);

    const opened = await alerts('CIRCUIT_OPENED');
    expect(opened.totalCount).toBe(1);
    expect(opened.nodes[0]).toMatchObject({
      code: 'CIRCUIT_OPENED',
      params: { providerName: 'primary', category: 'AUTH', failures: expect.any(Number) },
      providerName: 'primary',
      failure: { category: 'AUTH' },
      webhookStatus: null,
    });
    // The reader's language: a signed-in user's own setting, and a token caller's Accept-Language.
    const viewer = await server.userAgent('VIEWER');
    dataOf(await viewer.gql(`mutation { setMyLocale(locale: "tr") { id } }`));
    const forViewer = dataOf(
      await viewer.gql<{ alerts: { nodes: AlertNode[] } }>(ALERTS, { kind: 'FALLBACK_USED' }),
    ).alerts.nodes[0];
    expect(forViewer?.message).toMatch(
      /^"primary" sağlayıcısı başarısız olduğu için e-posta "fallback" üzerinden gönderildi \(son hata: kimlik doğrulama hatası, SMTP 535/,
    );
    const turkish = dataOf(
      await sender.gql<{ alerts: { nodes: AlertNode[] } }>(
        ALERTS,
        { kind: 'CIRCUIT_OPENED' },
        { headers: { 'accept-language': 'tr' } },
      ),
    ).alerts.nodes[0];
    expect(turkish?.message).toMatch(
      /^"primary" sağlayıcısı art arda \d+ hatadan sonra şimdilik atlanıyor \(son hata: kimlik doğrulama hatası/,
    );

    // Each episode wrote its provider event once, with the alert, however often it happened.
    const events = await providerEvents();
    expect(events.map((event) => event.type).sort()).toEqual(['FALLBACK_USED', 'PROVIDER_PAUSED']);
    expect(events.find((event) => event.type === 'PROVIDER_PAUSED')?.payload).toEqual({
      providerName: 'primary',
      category: 'AUTH',
      consecutiveFailures: expect.any(Number),
    });
    expect(events.find((event) => event.type === 'FALLBACK_USED')?.payload).toEqual({
      providerName: 'primary',
      deliveredByName: 'fallback',
      category: 'AUTH',
    });

    // ALERT_WEBHOOK_URL is an endpoint for the provider events: it gets each episode's event once.
    const received = await eventually('the provider events at ALERT_WEBHOOK_URL', async () => {
      const found = posted();
      return found.length >= 2 ? found : undefined;
    });
    expect(received.map((event) => event.type).sort()).toEqual(['FALLBACK_USED', 'PROVIDER_PAUSED']);
    for (const event of received) {
      expect(event.data).toMatchObject({ providerId: primaryId, providerName: 'primary', category: 'AUTH' });
    }
  });

  it('announces the end of the outage once, when the circuit closes', async () => {
    primary.reset();
    // Let the open window end now instead of in 30 s: the next send probes the primary.
    await server.db.query(
      `UPDATE provider_health SET record = jsonb_set(record, '{openUntil}', '0'::jsonb), version = version + 1 WHERE provider_id = $1`,
      [primaryId],
    );
    // Each process reads health from a snapshot refreshed every 250 ms, so the sends right after the
    // update may still skip the primary: keep sending (paced) until one probes it.
    const before = primary.messages.length;
    let sent = 0;
    await eventually(
      'a send that probes the primary',
      async () => {
        if (primary.messages.length > before) return true;
        await sender.gql(SEND_EMAIL, {
          input: { to: [`back${sent++}@example.com`], subject: 'Back', text: 'x' },
        });
        return undefined;
      },
      20_000,
      200,
    );
    const closed = await eventually('the CIRCUIT_CLOSED alert', async () => {
      await server.app.services.get(DurableSendingService).alerts.flush();
      const found = await alerts('CIRCUIT_CLOSED');
      return found.totalCount === 1 ? found : undefined;
    });
    expect(closed.nodes[0]).toMatchObject({
      code: 'CIRCUIT_CLOSED',
      params: { providerName: 'primary', category: null },
      message: '"primary" delivers again and is back in the chain.',
    });
    const opened = await alerts('CIRCUIT_OPENED');
    expect(opened.nodes[0]?.resolvedAt).not.toBeNull();
    const fallbacks = await alerts('FALLBACK_USED');
    expect(fallbacks.nodes[0]?.resolvedAt).not.toBeNull();
    expect((await providerEvents()).map((event) => event.type)).toEqual([
      expect.any(String),
      expect.any(String),
      'PROVIDER_RECOVERED',
    ]);
    expect((await providerEvents()).at(-1)?.payload).toEqual({ providerName: 'primary' });
    await eventually('PROVIDER_RECOVERED at ALERT_WEBHOOK_URL', async () =>
      posted().some((event) => event.type === 'PROVIDER_RECOVERED') ? true : undefined,
    );
    expect(posted().map((event) => event.type)).toHaveLength(3);
  });

  it('raises one WEBHOOK_DISABLED alert per disabled endpoint until it is enabled again, with no event', async () => {
    const alertService = server.app.services.get(DurableSendingService).alerts;
    const endpoint = { id: '0b6f0d6e-6a43-4c1e-9b7e-2f3c4d5e6f70', name: 'CRM hook' };
    const eventsBefore = await server.db.query(`SELECT 1 FROM events WHERE provider_id = $1`, [endpoint.id]);
    alertService.webhookEndpointDisabled(endpoint);
    alertService.webhookEndpointDisabled(endpoint);
    await alertService.flush();
    const disabled = await alerts('WEBHOOK_DISABLED');
    expect(disabled.totalCount).toBe(1);
    expect(disabled.nodes[0]).toMatchObject({
      code: 'WEBHOOK_DISABLED',
      providerName: 'CRM hook',
      occurrences: 2,
      resolvedAt: null,
      message:
        'The webhook endpoint "CRM hook" was disabled after failing for too long. Fix the receiver, then enable the endpoint again in Settings > Notifications.',
    });
    const turkish = (await alerts('WEBHOOK_DISABLED', 'tr')).nodes[0];
    expect(turkish?.message).toMatch(/^"CRM hook" webhook uç noktası çok uzun süre başarısız olduğu için/);
    const { rows } = await server.db.query(`SELECT 1 FROM events WHERE provider_id = $1`, [endpoint.id]);
    expect(rows).toHaveLength(eventsBefore.rows.length);

    alertService.webhookEndpointRestored(endpoint.id);
    await alertService.flush();
    expect((await alerts('WEBHOOK_DISABLED')).nodes[0]?.resolvedAt).not.toBeNull();
  });
});
