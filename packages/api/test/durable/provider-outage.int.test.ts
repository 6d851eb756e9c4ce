import {
  SMTP_REPLIES,
  startSmtpTestServer,
  type SmtpTestServer,
} from '@mail-providers/mailer-core/test-support';
import { dataOf, type TestAgent } from '../support/test-agent';
import { startTestServer, type TestServer } from '../support/test-server';
import {
  addSmtpProvider,
  eventually,
  FAST_QUEUE_ENV,
  messageIdOf,
  SEND_EMAIL,
  statuses,
} from './durable-support';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('every provider down', () => {
  let server: TestServer;
  let primary: SmtpTestServer;
  let fallback: SmtpTestServer;
  let sender: TestAgent;

  beforeAll(async () => {
    server = await startTestServer({ env: { ...FAST_QUEUE_ENV, DELIVERY_RETRY_WINDOW_MS: '120000' } });
    primary = await startSmtpTestServer();
    fallback = await startSmtpTestServer();
    await addSmtpProvider(server, primary, { name: 'primary' });
    await addSmtpProvider(server, fallback, { name: 'fallback', serviceType: 'FALLBACK' });
    sender = await server.tokenAgent(['SEND']);
  });

  afterAll(async () => {
    await server?.close();
    await primary?.close();
    await fallback?.close();
  });

  it('keeps retrying without failing anything, then delivers everything once they are back', async () => {
    await primary.stop();
    await fallback.stop();
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const data = dataOf(
        await sender.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, {
          input: { to: [`user${i}@example.com`], subject: `Outage ${i}`, text: 'kept safe' },
        }),
      );
      ids.push(data.sendEmail.id);
    }

    // Several rounds fail with CONNECTION while both servers are down.
    await eventually('every delivery to fail three rounds', async () => {
      const { rows } = await server.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM deliveries WHERE rounds >= 3 AND status = 'RETRYING'`,
      );
      return rows[0]?.n === 10 ? true : undefined;
    });
    const during = await statuses(server);
    expect([...during.values()].filter((status) => status === 'FAILED')).toEqual([]);
    const { rows: retrying } = await server.db.query<{
      next_attempt_at: Date | null;
      failure_reason: string | null;
    }>(`SELECT next_attempt_at, failure_reason FROM deliveries WHERE status = 'RETRYING'`);
    for (const row of retrying) {
      expect(row.next_attempt_at).not.toBeNull();
      expect(row.failure_reason).toMatch(/CONNECTION/);
    }
    // Each round waited out its backoff (200 ms doubling, at most 1 s): it started no sooner after the end of
    // the round before than the policy's wait, however often the worker was woken meanwhile.
    const { rows: gaps } = await server.db.query<{ round: number; gap_ms: number }>(
      `WITH rounds AS (
         SELECT delivery_id, round, min(started_at) AS started,
                max(started_at + duration_ms * interval '1 millisecond') AS ended
         FROM delivery_attempts WHERE delivery_id = ANY($1::uuid[]) GROUP BY delivery_id, round
       )
       SELECT r.round, (extract(epoch FROM n.started - r.ended) * 1000)::int AS gap_ms
       FROM rounds r JOIN rounds n ON n.delivery_id = r.delivery_id AND n.round = r.round + 1`,
      [ids],
    );
    expect(gaps.length).toBeGreaterThanOrEqual(20);
    for (const { round, gap_ms } of gaps) {
      expect(gap_ms).toBeGreaterThanOrEqual(Math.min(1000, 200 * 2 ** (round - 1)) - 5);
    }
    const { rows: circuits } = await server.db.query<{ state: string }>(
      `SELECT record->>'state' AS state FROM provider_health`,
    );
    expect(circuits.map((row) => row.state).sort()).toEqual(
      expect.arrayContaining([expect.stringMatching(/OPEN/)]),
    );

    await primary.start();
    await fallback.start();
    await eventually(
      'every delivery to be sent',
      async () => {
        const now = await statuses(server);
        return ids.every((id) => now.get(id) === 'SENT') ? true : undefined;
      },
      30_000,
    );
    const received = [...primary.messages, ...fallback.messages].map((message) => messageIdOf(message.raw));
    const { rows: sent } = await server.db.query<{ message_id: string }>(
      `SELECT message_id FROM deliveries WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    for (const row of sent) expect(received).toContain(row.message_id);
    // The Message-ID fixed before the first round survived every retry.
    expect(new Set(sent.map((row) => row.message_id)).size).toBe(10);
    const { rows: left } = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM deliveries
       WHERE id = ANY($1::uuid[]) AND (next_attempt_at IS NOT NULL OR lease_expires_at IS NOT NULL)`,
      [ids],
    );
    expect(left[0]).toEqual({ n: 0 });
  });
});

describe('a retry', () => {
  let server: TestServer;
  let smtp: SmtpTestServer;
  let sender: TestAgent;

  beforeAll(async () => {
    server = await startTestServer({
      env: { ...FAST_QUEUE_ENV, DELIVERY_RETRY_BASE_MS: '3000', DELIVERY_RETRY_MAX_DELAY_MS: '3000' },
    });
    smtp = await startSmtpTestServer();
    await addSmtpProvider(server, smtp, { name: 'only' });
    sender = await server.tokenAgent(['SEND']);
  });

  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  const send = async (to: string): Promise<string> =>
    dataOf(
      await sender.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, {
        input: { to: [to], subject: `For ${to}`, text: 'x' },
      }),
    ).sendEmail.id;

  const delivery = async (id: string) => {
    const { rows } = await server.db.query<{ status: string; rounds: number; next_attempt_at: Date | null }>(
      `SELECT status, rounds, next_attempt_at FROM deliveries WHERE id = $1`,
      [id],
    );
    return rows[0];
  };

  it('waits for its next attempt time, though new mail wakes the worker meanwhile', async () => {
    smtp.fail({ rcptByAddress: { 'later@example.com': SMTP_REPLIES.mailFromLocalError } });
    const id = await send('later@example.com');
    const waiting = await eventually('the first round to fail', async () => {
      const row = await delivery(id);
      return row?.status === 'RETRYING' ? row : undefined;
    });
    const due = waiting.next_attempt_at?.getTime() ?? 0;
    const { rows: first } = await server.db.query<{ ended: Date }>(
      `SELECT max(started_at + duration_ms * interval '1 millisecond') AS ended FROM delivery_attempts
       WHERE delivery_id = $1 AND round = 1`,
      [id],
    );
    // The policy's first wait, counted from the end of the round.
    expect(due - (first[0]?.ended.getTime() ?? 0)).toBeGreaterThanOrEqual(2990);
    smtp.reset();

    // Other mail is claimed and sent meanwhile, each message waking the worker; the retry stays put.
    const others = [await send('first@example.com'), await send('second@example.com')];
    await eventually('the other mail to be sent', async () => {
      const rows = await Promise.all(others.map(delivery));
      return rows.every((row) => row?.status === 'SENT') ? true : undefined;
    });
    expect(Date.now()).toBeLessThan(due - 200);
    expect(await delivery(id)).toMatchObject({ status: 'RETRYING', rounds: 1 });

    await eventually('the retry to be sent', async () =>
      (await delivery(id))?.status === 'SENT' ? true : undefined,
    );
    const { rows: second } = await server.db.query<{ started_at: Date }>(
      `SELECT started_at FROM delivery_attempts WHERE delivery_id = $1 AND round = 2`,
      [id],
    );
    expect(second).toHaveLength(1);
    expect(second[0]?.started_at.getTime()).toBeGreaterThanOrEqual(due);
  });
});

describe('the retry window', () => {
  let server: TestServer;
  let smtp: SmtpTestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { ...FAST_QUEUE_ENV, DELIVERY_RETRY_WINDOW_MS: '3000' } });
    smtp = await startSmtpTestServer();
    await addSmtpProvider(server, smtp, { name: 'only' });
  });

  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  it('is waited out in full, then the delivery ends FAILED with the reason and every attempt', async () => {
    await smtp.stop();
    const accepted = Date.now();
    const id = dataOf(
      await server.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, {
        input: { to: ['late@example.com'], subject: 'Too late', text: 'x' },
      }),
    ).sendEmail.id;
    await sleep(2000);
    expect((await statuses(server)).get(id)).not.toBe('FAILED');
    await eventually('the delivery to fail', async () =>
      (await statuses(server)).get(id) === 'FAILED' ? true : undefined,
    );
    expect(Date.now() - accepted).toBeGreaterThanOrEqual(3000);
    const { rows } = await server.db.query<{
      failure_reason: string;
      rounds: number;
      attempts: number;
      last: Date;
      created_at: Date;
    }>(
      `SELECT d.failure_reason, d.rounds, d.created_at, count(DISTINCT a.round)::int AS attempts, max(a.started_at) AS last
       FROM deliveries d JOIN delivery_attempts a ON a.delivery_id = d.id WHERE d.id = $1 GROUP BY d.id`,
      [id],
    );
    const row = rows[0];
    expect(row?.failure_reason).toMatch(/^Gave up after \d+ round\(s\)/);
    expect(row?.failure_reason).toMatch(/CONNECTION/);
    // Every round left its attempts in the log.
    expect(row?.attempts).toBe(row?.rounds);
    // The last round ran when the window closed, not before.
    expect((row?.last.getTime() ?? 0) - (row?.created_at.getTime() ?? 0)).toBeGreaterThanOrEqual(2900);
  });
});

describe('a round that outlives its time budget', () => {
  let server: TestServer;
  let smtp: SmtpTestServer;

  beforeAll(async () => {
    server = await startTestServer({
      env: { ...FAST_QUEUE_ENV, DELIVERY_JOB_TIMEOUT_SECONDS: '2', DELIVERY_RETRY_WINDOW_MS: '4000' },
    });
    smtp = await startSmtpTestServer();
    await addSmtpProvider(server, smtp, { name: 'hanging' });
  });

  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  it('is cut, logged as AMBIGUOUS and retried at once, until the window closes', async () => {
    // The greeting comes after 3 s, later than the round's budget (70 % of the 2 s job timeout).
    smtp.fail({ greetingDelayMs: 3000 });
    const id = dataOf(
      await server.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, {
        input: { to: ['slow@example.com'], subject: 'Slow', text: 'x' },
      }),
    ).sendEmail.id;
    await eventually('the delivery to fail', async () =>
      (await statuses(server)).get(id) === 'FAILED' ? true : undefined,
    );
    const { rows } = await server.db.query<{
      round: number;
      provider_name: string;
      category: string;
      message: string;
    }>(
      `SELECT round, provider_name, category, failure->>'message' AS message FROM delivery_attempts
       WHERE delivery_id = $1 ORDER BY round`,
      [id],
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      expect(row).toMatchObject({ provider_name: '(interrupted round)', category: 'AMBIGUOUS' });
      expect(row.message).toMatch(/took longer than 1 s/);
    }
    const { rows: delivery } = await server.db.query<{ failure_reason: string }>(
      `SELECT failure_reason FROM deliveries WHERE id = $1`,
      [id],
    );
    expect(delivery[0]?.failure_reason).toMatch(/^Gave up after/);
  }, 30_000);
});
