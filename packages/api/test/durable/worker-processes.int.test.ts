import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { dataOf, type TestAgent } from '../support/test-agent';
import { startTestServer, testSecret, type TestServer } from '../support/test-server';
import { startApiProcess, type ApiProcess } from './api-process';
import { addSmtpProvider, eventually, FAST_QUEUE_ENV, messageIdOf } from './durable-support';

const SEND_MANY = `mutation ($inputs: [EmailInput!]!) { sendEmails(inputs: $inputs) { id } }`;

/**
 * Real worker processes: the built API started with MODE=worker against the database of an in-process
 * API that only accepts mail (MODE=api).
 */
describe('worker processes', () => {
  let server: TestServer;
  let first: SmtpTestServer;
  let second: SmtpTestServer;
  let sender: TestAgent;
  let firstId: string;
  const workers: ApiProcess[] = [];

  const workerEnv = (extra: Record<string, string> = {}) => ({
    ...FAST_QUEUE_ENV,
    DELIVERY_JOB_TIMEOUT_SECONDS: '10',
    MODE: 'worker',
    DATABASE_URL: server.databaseUrl,
    MAILER_SECRET_KEY: server.config.secretKey ?? '',
    ADMIN_EMAIL: server.adminEmail,
    ADMIN_PASSWORD: server.adminPassword,
    ...extra,
  });

  async function startWorker(extra: Record<string, string> = {}): Promise<ApiProcess> {
    const worker = await startApiProcess(workerEnv(extra));
    workers.push(worker);
    return worker;
  }

  async function sendBatch(count: number, tag: string): Promise<string[]> {
    const inputs = Array.from({ length: count }, (_, i) => ({
      to: [`${tag}-${i}@example.com`],
      subject: `${tag} ${i}`,
      text: 'x',
    }));
    return dataOf(
      await sender.gql<{ sendEmails: Array<{ id: string }> }>(SEND_MANY, { inputs }),
    ).sendEmails.map((d) => d.id);
  }

  async function allSent(ids: string[], timeoutMs = 45_000): Promise<void> {
    await eventually(
      `${ids.length} deliveries to be SENT`,
      async () => {
        const { rows } = await server.db.query<{ status: string; n: number }>(
          `SELECT status, count(*)::int AS n FROM deliveries WHERE id = ANY($1::uuid[]) GROUP BY status`,
          [ids],
        );
        if (rows.some((row) => row.status === 'FAILED'))
          throw new Error(`some FAILED: ${JSON.stringify(rows)}`);
        return rows.length === 1 && rows[0]?.status === 'SENT' && rows[0].n === ids.length ? true : undefined;
      },
      timeoutMs,
      200,
    );
  }

  async function receivedIds(ids: string[]): Promise<Map<string, string>> {
    const { rows } = await server.db.query<{ id: string; message_id: string }>(
      `SELECT id, message_id FROM deliveries WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row.message_id]));
  }

  beforeAll(async () => {
    server = await startTestServer({ env: { ...FAST_QUEUE_ENV, MODE: 'api' } });
    const password = testSecret('smtp');
    first = await startSmtpTestServer({ users: { app: password } });
    second = await startSmtpTestServer();
    firstId = (await addSmtpProvider(server, first, { name: 'first', password })).id;
    await addSmtpProvider(server, second, { name: 'second', serviceType: 'FALLBACK' });
    sender = await server.tokenAgent(['SEND']);
  });

  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    await server?.close();
    await first?.close();
    await second?.close();
  });

  describe('two workers on one database', () => {
    let a: ApiProcess;
    let b: ApiProcess;
    let waiting: string[];

    beforeAll(async () => {
      // Accepted by the API process alone (MODE=api): it stays queued until a worker runs.
      waiting = await sendBatch(3, 'waiting');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // Each is its own work item: QUEUED, due since its acceptance, claimed by nobody.
      const { rows } = await server.db.query<{ status: string; due: boolean; claimed: boolean }>(
        `SELECT DISTINCT status, next_attempt_at <= now() AS due,
                claimed_by IS NOT NULL OR lease_expires_at IS NOT NULL AS claimed
         FROM deliveries WHERE id = ANY($1::uuid[])`,
        [waiting],
      );
      expect(rows).toEqual([{ status: 'QUEUED', due: true, claimed: false }]);
      [a, b] = await Promise.all([
        startWorker({ DELIVERY_WORKER_CONCURRENCY: '3' }),
        startWorker({ DELIVERY_WORKER_CONCURRENCY: '3' }),
      ]);
    });

    afterAll(async () => {
      await Promise.all([a.stop(), b.stop()]);
    });

    it('deliver each message once, sharing the work', async () => {
      await allSent(waiting);
      const before = first.messages.length;
      const ids = await sendBatch(60, 'once');
      await allSent(ids);
      const received = first.messages.slice(before).map((message) => messageIdOf(message.raw));
      expect(received).toHaveLength(60);
      expect(new Set(received).size).toBe(60);
      expect([...(await receivedIds(ids)).values()].sort()).toEqual([...received].sort());
      const { rows } = await server.db.query<{ worker: string }>(
        `SELECT DISTINCT worker FROM delivery_attempts WHERE delivery_id = ANY($1::uuid[])`,
        [ids],
      );
      expect(rows.map((row) => row.worker.split(':')[1]).sort()).toEqual(
        [String(a.pid), String(b.pid)].sort(),
      );
    });

    it('share provider health: a provider tripped in one is skipped by the other', async () => {
      // Three refused connections in a row open the first provider's circuit, whichever worker saw them.
      await first.stop();
      for (let i = 0; i < 3; i++) await allSent(await sendBatch(1, `trip${i}`));
      const { rows: health } = await server.db.query<{ state: string }>(
        `SELECT record->>'state' AS state FROM provider_health WHERE provider_id = $1`,
        [firstId],
      );
      expect(health).toEqual([{ state: 'OPEN' }]);
      const ids = await sendBatch(30, 'shared');
      await allSent(ids);
      const { rows } = await server.db.query<{ outcome: string; workers: number; n: number }>(
        `SELECT outcome, count(DISTINCT worker)::int AS workers, count(*)::int AS n
         FROM delivery_attempts WHERE provider_id = $1 AND delivery_id = ANY($2::uuid[]) GROUP BY outcome`,
        [firstId, ids],
      );
      // While the circuit was open, nobody tried the first provider again while its circuit was open.
      expect(rows).toEqual([{ outcome: 'SKIPPED', workers: 2, n: 30 }]);
      await first.start();
      await server.db.query(`DELETE FROM provider_health`);
    });
  });

  it('after a SIGKILL mid-send, a restarted worker takes over once the leases expire, delivers every message and marks the interrupted rounds AMBIGUOUS', async () => {
    // Every new connection now waits before the greeting: the worker is killed with rounds in flight.
    first.fail({ greetingDelayMs: 3000 });
    const victim = await startWorker();
    const ids = await sendBatch(12, 'killed');
    const leases = await eventually('the rounds to be in flight', async () => {
      const { rows } = await server.db.query<{ id: string; claimed_by: string; lease_expires_at: Date }>(
        `SELECT id, claimed_by, lease_expires_at FROM deliveries WHERE id = ANY($1::uuid[]) AND status = 'SENDING'`,
        [ids],
      );
      return rows.length === 12 ? rows : undefined;
    });
    for (const lease of leases) expect(lease.claimed_by).toMatch(new RegExp(`:${victim.pid}$`));
    victim.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');
    first.reset();

    const before = first.messages.length + second.messages.length;
    const rescuer = await startWorker();
    await allSent(ids, 60_000);
    const received = new Set(
      [...first.messages, ...second.messages].slice(0).map((message) => messageIdOf(message.raw)),
    );
    for (const messageId of (await receivedIds(ids)).values()) expect(received.has(messageId)).toBe(true);
    expect(first.messages.length + second.messages.length - before).toBeGreaterThanOrEqual(12);

    const { rows } = await server.db.query<{
      delivery_id: string;
      category: string | null;
      outcome: string;
      round: number;
      worker: string;
      duplicate: boolean | null;
      cut_by: string | null;
      message: string | null;
      started_at: Date;
    }>(
      `SELECT delivery_id, category, outcome, round, worker, (failure->>'possibleDuplicate')::boolean AS duplicate,
              cut_by, failure->>'message' AS message, started_at
       FROM delivery_attempts WHERE delivery_id = ANY($1::uuid[]) AND outcome <> 'SKIPPED' ORDER BY delivery_id, round, seq`,
      [ids],
    );
    const ambiguous = rows.filter((row) => row.category === 'AMBIGUOUS');
    expect(ambiguous).toHaveLength(12);
    const victimId = leases[0]?.claimed_by;
    for (const row of ambiguous) {
      expect(row).toMatchObject({
        outcome: 'FAILED',
        round: 1,
        duplicate: true,
        worker: victimId,
        cut_by: 'NEXT_ROUND',
      });
      expect(row.message).toBe(
        `The worker ${victimId} stopped during round 1 before recording its outcome; the message may already have been delivered, and it is sent again.`,
      );
    }
    const sent = rows.filter((row) => row.outcome === 'SENT');
    expect(sent).toHaveLength(12);
    const leaseOf = new Map(leases.map((lease) => [lease.id, lease.lease_expires_at.getTime()]));
    for (const row of sent) {
      expect(row).toMatchObject({ round: 2, worker: expect.stringMatching(new RegExp(`:${rescuer.pid}$`)) });
      // Taken over only once the lease of the killed worker's claim had expired.
      expect(row.started_at.getTime()).toBeGreaterThanOrEqual(leaseOf.get(row.delivery_id) ?? Infinity);
    }
    await rescuer.stop();
  }, 120_000);

  it('starts on new mail at once when the API process announces it, not at its next poll', async () => {
    // A poll a minute apart: only the notification can explain a delivery within seconds.
    const worker = await startWorker({ QUEUE_POLL_INTERVAL_MS: '60000' });
    // Its first look at the queue, on start, is over.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const ids = await sendBatch(2, 'announced');
    await allSent(ids, 5_000);
    await worker.stop();
  }, 60_000);

  it('on SIGTERM, finishes the rounds in flight before exiting', async () => {
    first.fail({ greetingDelayMs: 1500 });
    const worker = await startWorker();
    const ids = await sendBatch(5, 'drained');
    await eventually('the rounds to be in flight', async () => {
      const { rows } = await server.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM deliveries WHERE id = ANY($1::uuid[]) AND status = 'SENDING'`,
        [ids],
      );
      return rows[0]?.n === 5 ? true : undefined;
    });
    const exit = await worker.stop();
    expect(exit.code).toBe(0);
    first.reset();
    const { rows } = await server.db.query<{ status: string; ambiguous: number }>(
      `SELECT d.status, count(a.*) FILTER (WHERE a.category = 'AMBIGUOUS')::int AS ambiguous
       FROM deliveries d LEFT JOIN delivery_attempts a ON a.delivery_id = d.id
       WHERE d.id = ANY($1::uuid[]) GROUP BY d.id`,
      [ids],
    );
    expect(rows).toEqual(Array.from({ length: 5 }, () => ({ status: 'SENT', ambiguous: 0 })));
    expect(worker.output()).not.toMatch(/"level":(50|60)/);
  }, 60_000);
});
