import {
  SMTP_REPLIES,
  startSmtpTestServer,
  type SmtpTestServer,
} from '@mail-providers/mailer-core/test-support';
import { DeliveryAttemptEntity } from '../../src/entities/delivery-attempt.entity';
import { DeliveryEntity } from '../../src/entities/delivery.entity';
import { DurableSendingService } from '../../src/services/durable-sending.service';
import { dataOf, type TestAgent } from '../support/test-agent';
import { startTestServer, testSecret, type TestServer } from '../support/test-server';
import { addSmtpProvider, eventually, FAST_QUEUE_ENV, SEND_EMAIL } from './durable-support';

const LIST = `query ($first: Int, $after: String, $status: DeliveryStatus, $providerId: ID, $search: String, $from: DateTime, $to: DateTime) {
  deliveries(first: $first, after: $after, status: $status, providerId: $providerId, search: $search, from: $from, to: $to) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id subject to status deliveredBy { name } attempts { providerName outcome } }
  }
}`;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: Array<{
    id: string;
    subject: string;
    to: string[];
    status: string;
    deliveredBy: { name: string } | null;
    attempts: Array<{ providerName: string; outcome: string }>;
  }>;
}

describe('the delivery log', () => {
  let server: TestServer;
  let primary: SmtpTestServer;
  let fallback: SmtpTestServer;
  let reader: TestAgent;
  let primaryId: string;
  let fallbackId: string;
  let primaryPassword: string;
  const ids: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ env: FAST_QUEUE_ENV });
    primaryPassword = testSecret('smtp');
    primary = await startSmtpTestServer({ users: { app: primaryPassword } });
    fallback = await startSmtpTestServer();
    primaryId = (await addSmtpProvider(server, primary, { name: 'primary', password: primaryPassword })).id;
    fallbackId = (await addSmtpProvider(server, fallback, { name: 'fallback', serviceType: 'FALLBACK' })).id;
    reader = await server.tokenAgent(['READ']);
    const sender = await server.tokenAgent(['SEND']);
    const send = async (to: string, subject: string) => {
      const { sendEmail } = dataOf(
        await sender.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, {
          input: { to: [to], subject, text: 'x' },
        }),
      );
      ids.push(sendEmail.id);
    };
    for (let i = 0; i < 4; i++) await send(`ann${i}@example.com`, `Invoice ${i}`);
    primary.fail({ rcptByAddress: { 'nobody@example.com': SMTP_REPLIES.userUnknown } });
    await send('nobody@example.com', 'Bounce');
    await waitFinished();
    // The primary refuses every command now: the next two go through the fallback.
    primary.fail({ mailFrom: SMTP_REPLIES.mailFromLocalError });
    await send('bob@example.com', 'Reminder A');
    await send('bob@example.com', 'Reminder B');
    await waitFinished();
  });

  afterAll(async () => {
    await server?.close();
    await primary?.close();
    await fallback?.close();
  });

  async function waitFinished(): Promise<void> {
    await eventually('every delivery to finish', async () => {
      const { rows } = await server.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM deliveries WHERE status NOT IN ('SENT', 'FAILED')`,
      );
      return rows[0]?.n === 0 ? true : undefined;
    });
  }

  async function list(variables: Record<string, unknown>): Promise<Page> {
    return dataOf(await reader.gql<{ deliveries: Page }>(LIST, variables)).deliveries;
  }

  it('pages newest first with a total count', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page = await list({ first: 3, after });
      expect(page.totalCount).toBe(7);
      seen.push(...page.nodes.map((node) => node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['status', { status: 'FAILED' }, ['Bounce']],
    ['text in the subject', { search: 'invoice 2' }, ['Invoice 2']],
    ['part of a recipient', { search: 'BOB@' }, ['Reminder B', 'Reminder A']],
    ['a LIKE wildcard taken literally', { search: '%' }, []],
  ])('filters by %s', async (_name, variables, subjects) => {
    const page = await list({ first: 50, ...variables });
    expect(page.nodes.map((node) => node.subject)).toEqual(subjects);
    expect(page.totalCount).toBe(subjects.length);
  });

  it('filters by provider: what it tried, and what it delivered', async () => {
    const viaFallback = await list({ first: 50, providerId: fallbackId });
    expect(viaFallback.nodes.map((node) => node.subject)).toEqual(['Reminder B', 'Reminder A']);
    expect(viaFallback.nodes[0]?.deliveredBy).toEqual({ name: 'fallback' });
    expect(viaFallback.nodes[0]?.attempts.map((a) => [a.providerName, a.outcome])).toEqual([
      ['primary', 'FAILED'],
      ['fallback', 'SENT'],
    ]);
    expect((await list({ first: 50, providerId: primaryId })).totalCount).toBe(7);
  });

  it('is mapped by the TypeORM entities as the migration created it', async () => {
    const dataSource = server.app.services.dataSource;
    const delivery = await dataSource.getRepository(DeliveryEntity).findOneByOrFail({ id: ids[4] ?? '' });
    expect(delivery).toMatchObject({
      status: 'FAILED',
      subject: 'Bounce',
      to: ['nobody@example.com'],
      rounds: 1,
    });
    expect(delivery.failure?.category).toBe('RECIPIENT_REJECTED');
    expect(delivery.createdAt).toBeInstanceOf(Date);
    const attempts = await dataSource
      .getRepository(DeliveryAttemptEntity)
      .findBy({ deliveryId: delivery.id });
    expect(attempts).toEqual([
      expect.objectContaining({
        providerId: primaryId,
        outcome: 'FAILED',
        category: 'RECIPIENT_REJECTED',
        round: 1,
      }),
    ]);
  });

  it('filters by time range', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await list({ first: 50, from: future })).totalCount).toBe(0);
    expect((await list({ first: 50, to: future })).totalCount).toBe(7);
  });

  it('refuses a cursor it did not hand out', async () => {
    const response = await reader.gql(LIST, { first: 2, after: 'bm90LWEtY3Vyc29y' });
    expect(response.body.errors?.[0]?.extensions?.fields).toEqual([
      { field: 'after', message: expect.any(String) },
    ]);
  });

  it('charts sent and failed attempts per provider per hour', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const { deliveryStats } = dataOf(
      await reader.gql<{
        deliveryStats: Array<{ hour: string; providerName: string; sent: number; failed: number }>;
      }>(
        `query ($from: DateTime!, $to: DateTime!) { deliveryStats(from: $from, to: $to) { hour providerName sent failed } }`,
        { from, to },
      ),
    );
    const totals = new Map<string, { sent: number; failed: number }>();
    for (const bucket of deliveryStats) {
      expect(new Date(bucket.hour).getUTCMinutes()).toBe(0);
      const total = totals.get(bucket.providerName) ?? { sent: 0, failed: 0 };
      totals.set(bucket.providerName, {
        sent: total.sent + bucket.sent,
        failed: total.failed + bucket.failed,
      });
    }
    expect(Object.fromEntries(totals)).toEqual({
      primary: { sent: 4, failed: 3 },
      fallback: { sent: 2, failed: 0 },
    });

    const backwards = await reader.gql(
      `query ($from: DateTime!, $to: DateTime!) { deliveryStats(from: $from, to: $to) { hour } }`,
      {
        from: to,
        to: from,
      },
    );
    expect(backwards.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('serves /metrics with sends, failures, latency, queue depth and circuits, and no secret or message data', async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const provider = (id: string, name: string) => `provider_id="${id}",provider_name="${name}"`;
    expect(text).toContain(`mailer_sends_total{${provider(primaryId, 'primary')}} 4`);
    expect(text).toContain(`mailer_sends_total{${provider(fallbackId, 'fallback')}} 2`);
    expect(text).toContain(
      `mailer_send_failures_total{${provider(primaryId, 'primary')},category="RECIPIENT_REJECTED"} 1`,
    );
    expect(text).toContain(
      `mailer_send_failures_total{${provider(primaryId, 'primary')},category="PROVIDER_UNAVAILABLE"} 2`,
    );
    expect(
      text
        .split('\n')
        .some(
          (line) =>
            /^mailer_attempt_duration_seconds_bucket\{/.test(line) &&
            line.includes('le="0.5"') &&
            line.includes('outcome="SENT"'),
        ),
    ).toBe(true);
    expect(text).toContain('mailer_queue_depth{status="QUEUED"} 0');
    expect(text).toContain(`mailer_circuit_state{${provider(fallbackId, 'fallback')}} 0`);
    expect(text).toContain('mailer_deliveries_finished_total{status="FAILED"} 1');
    expect(text).toContain('mailer_deliveries_accepted_total 7');

    expect(text).not.toContain(primaryPassword);
    expect(text).not.toContain(Buffer.from(primaryPassword).toString('base64'));
    for (const secretish of ['ann0@example.com', 'Invoice', 'nobody@example.com', 'Reminder']) {
      expect(text).not.toContain(secretish);
    }
    // Bounded labels: only these names ever appear on the sending metrics.
    const labelNames = new Set<string>();
    for (const line of text.split('\n')) {
      if (!line.startsWith('mailer_')) continue;
      for (const match of line.matchAll(/([a-z_]+)="/g)) if (match[1]) labelNames.add(match[1]);
    }
    const allowed = ['category', 'le', 'outcome', 'provider_id', 'provider_name', 'reason', 'status'];
    expect([...labelNames].filter((name) => !allowed.includes(name))).toEqual([]);
  });

  it('purges finished deliveries past the retention period', async () => {
    const durable = server.app.services.get(DurableSendingService);
    const { rows: old } = await server.db.query<{ id: string }>(
      `INSERT INTO deliveries (status, channel, to_addresses, subject, text_body, size_bytes, created_at, window_started_at)
       SELECT s, 'DEFAULT', ARRAY['old@example.com'], 'Old', 'x', 1, now() - interval '40 days', now() - interval '40 days'
       FROM unnest(ARRAY['SENT', 'FAILED', 'RETRYING']) AS s RETURNING id`,
    );
    await server.db.query(
      `INSERT INTO delivery_attempts (delivery_id, round, seq, provider_name, started_at, duration_ms, outcome)
       SELECT id, 1, 1, 'primary', now() - interval '40 days', 5, 'SENT' FROM deliveries WHERE subject = 'Old'`,
    );
    expect(await durable.purge()).toBe(2);
    const { rows: left } = await server.db.query<{ status: string }>(
      `SELECT status FROM deliveries WHERE subject = 'Old'`,
    );
    expect(left.map((row) => row.status)).toEqual(['RETRYING']);
    const { rows: attempts } = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM delivery_attempts WHERE delivery_id = ANY($1::uuid[])`,
      [old.map((row) => row.id)],
    );
    expect(attempts).toEqual([{ n: 1 }]);
    expect((await list({ first: 50 })).totalCount).toBe(8);
  });
});
