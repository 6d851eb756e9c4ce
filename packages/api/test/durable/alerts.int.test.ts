import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import {
  SMTP_REPLIES,
  startSmtpTestServer,
  type SmtpTestServer,
} from '@mail-providers/mailer-core/test-support';
import { postAlert, type AlertPayload } from '../../src/alerts/alert-webhook';
import { DurableSendingService } from '../../src/services/durable-sending.service';
import { dataOf, type TestAgent } from '../support/test-agent';
import { startTestServer, testSecret, type TestServer } from '../support/test-server';
import { addSmtpProvider, eventually, FAST_QUEUE_ENV, SEND_EMAIL } from './durable-support';

interface Receiver {
  url: string;
  received: AlertPayload[];
  close(): Promise<void>;
}

/** A local HTTP endpoint that records what the alert webhook posts. */
async function startReceiver(
  respond: (res: http.ServerResponse) => void = (res) => res.end('ok'),
): Promise<Receiver> {
  const received: AlertPayload[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as AlertPayload);
      respond(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/mail`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

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
  let receiver: Receiver;
  let sender: TestAgent;
  let primaryId: string;

  beforeAll(async () => {
    receiver = await startReceiver();
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

  async function alerts(kind?: string): Promise<{ totalCount: number; nodes: AlertNode[] }> {
    return dataOf(await sender.gql<{ alerts: { totalCount: number; nodes: AlertNode[] } }>(ALERTS, { kind }))
      .alerts;
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
      webhookStatus: 'sent',
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
      webhookStatus: 'sent',
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

    expect(receiver.received.map((payload) => payload.kind).sort()).toEqual([
      'CIRCUIT_OPENED',
      'FALLBACK_USED',
    ]);
    for (const payload of receiver.received) {
      expect(payload).toMatchObject({
        providerId: primaryId,
        providerName: 'primary',
        code: payload.kind,
        params: { providerName: 'primary', category: 'AUTH' },
        message: expect.stringContaining('"primary"'),
      });
      expect(payload.failure?.hint.en).toEqual(expect.any(String));
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
    await eventually('the webhook call', async () =>
      receiver.received.some((payload) => payload.kind === 'CIRCUIT_CLOSED') ? true : undefined,
    );
    expect(receiver.received.filter((payload) => payload.kind === 'CIRCUIT_CLOSED')).toHaveLength(1);
  });
});

describe('the alert webhook', () => {
  const payload: AlertPayload = {
    id: '00000000-0000-4000-8000-000000000000',
    kind: 'CIRCUIT_OPENED',
    code: 'CIRCUIT_OPENED',
    params: { providerName: 'main', failures: 3 },
    providerId: 'p1',
    providerName: 'main',
    message: '"main" is skipped for now after 3 failures in a row; it is tried again after a pause.',
    failure: null,
    occurredAt: new Date().toISOString(),
  };
  const logger = pino({ level: 'silent' });

  it.each<[string, (res: http.ServerResponse) => void, RegExp]>([
    ['an answer', (res) => res.end('ok'), /^sent$/],
    ['an error status', (res) => res.writeHead(502).end(), /^failed: HTTP 502$/],
    ['no answer within the timeout', () => undefined, /^failed: no answer within 300 ms$/],
  ])('reports %s without throwing', async (_name, respond, expected) => {
    const receiver = await startReceiver(respond);
    try {
      await expect(postAlert(payload, { url: receiver.url, timeoutMs: 300, logger })).resolves.toMatch(
        expected,
      );
      expect(receiver.received).toEqual([payload]);
    } finally {
      await receiver.close();
    }
  });

  it('reports an unreachable receiver without throwing', async () => {
    const receiver = await startReceiver();
    const url = receiver.url;
    await receiver.close();
    await expect(postAlert(payload, { url, timeoutMs: 1000, logger })).resolves.toMatch(
      /^failed: .*ECONNREFUSED/,
    );
  });
});
