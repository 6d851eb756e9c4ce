import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { dataOf, TestAgent } from '../support/test-agent';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { testSecret } from '../support/test-server';
import { startApiProcess, type ApiProcess } from './api-process';
import { addSmtpProvider, eventually, FAST_QUEUE_ENV, SEND_EMAIL } from './durable-support';

/** The built server in MODE=all on `databaseUrl`, logging at info. */
function startAllInOne(databaseUrl: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  return startApiProcess({
    ...FAST_QUEUE_ENV,
    MODE: 'all',
    DATABASE_URL: databaseUrl,
    MAILER_SECRET_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'info',
    ...env,
  });
}

function logLines(api: ApiProcess): Array<Record<string, unknown>> {
  return api
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * The built server in MODE=all, as `pnpm start` runs it: requests on the main thread, the delivery
 * worker on a thread of its own (the main thread runs no worker, so every delivery is the thread's).
 */
describe('MODE=all with the delivery worker on its own thread', () => {
  let database: TestDatabase;
  let db: Client;
  let smtp: SmtpTestServer;
  let api: ApiProcess;
  let admin: TestAgent;
  let providerId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    smtp = await startSmtpTestServer();
    const adminEmail = 'admin@example.test';
    const adminPassword = testSecret('admin');
    // Asked for, not left to auto: the test must not depend on how many cores the machine has.
    api = await startAllInOne(database.url, {
      WORKER_THREAD: 'true',
      ADMIN_EMAIL: adminEmail,
      ADMIN_PASSWORD: adminPassword,
    });
    admin = new TestAgent(api.url);
    dataOf(await admin.login(adminEmail, adminPassword));
    providerId = (await addSmtpProvider(admin, smtp, { name: 'sink' })).id;
  });

  afterAll(async () => {
    await api?.stop();
    await smtp?.close();
    await db?.end();
    await database?.drop();
  });

  const send = async (count: number, tag: string): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const { sendEmail } = dataOf(
        await admin.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, {
          input: { to: [`${tag}${i}@example.com`], subject: `${tag} ${i}`, text: 'x' },
        }),
      );
      ids.push(sendEmail.id);
    }
    return ids;
  };

  const sentCount = async (ids: string[]): Promise<number> => {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM deliveries WHERE id = ANY($1::uuid[]) AND status = 'SENT'`,
      [ids],
    );
    return rows[0]?.n ?? 0;
  };

  it('starts the worker on its thread, not on the main one', async () => {
    await eventually('the listening line', async () =>
      logLines(api).find((line) => line.msg === 'listening'),
    );
    const lines = logLines(api);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'listening', mode: 'all', workerThread: true }),
    );
    const started = lines.filter((line) => line.msg === 'delivery worker started');
    expect(started).toEqual([expect.objectContaining({ thread: 'delivery-worker' })]);
  });

  it('delivers what the main thread accepts, and serves both threads’ metrics at /metrics', async () => {
    const ids = await send(3, 'thread');
    await eventually('the thread to deliver all three', async () =>
      (await sentCount(ids)) === 3 ? true : undefined,
    );
    // Each in its first round: the thread read the provider, added a moment before, when it was added.
    const { rows } = await db.query<{ rounds: number }>(
      `SELECT rounds FROM deliveries WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    expect(rows.map((row) => row.rounds)).toEqual([1, 1, 1]);
    const text = await (await fetch(`${api.url}/metrics`)).text();
    const lines = text.split('\n');
    // Counted on the worker thread…
    expect(lines).toContain(`mailer_sends_total{provider_id="${providerId}",provider_name="sink"} 3`);
    expect(lines).toContain('mailer_deliveries_finished_total{status="SENT"} 3');
    // …and on the main thread, which also reads the gauges and the process figures, once.
    expect(lines).toContain('mailer_deliveries_accepted_total 3');
    expect(lines).toContain('mailer_worker_thread_restarts_total 0');
    expect(lines).toContain('mailer_queue_depth{status="QUEUED"} 0');
    expect(lines).toContain(`mailer_circuit_state{provider_id="${providerId}",provider_name="sink"} 0`);
    for (const name of ['process_cpu_user_seconds_total', 'mailer_queue_depth{status="SENDING"}']) {
      expect(lines.filter((line) => line.startsWith(`${name} `))).toHaveLength(1);
    }
    const ready = await (await fetch(`${api.url}/readyz`)).json();
    expect(ready).toEqual({ status: 'ready', database: true, deliveryWorker: 'thread' });
  });

  it('stops cleanly on SIGTERM, with nothing left SENDING', async () => {
    const ids = await send(20, 'draining');
    const { code } = await api.stop();
    expect(code).toBe(0);
    const { rows } = await db.query<{ status: string }>(
      `SELECT DISTINCT status FROM deliveries WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    expect(
      rows.map((row) => row.status).filter((status) => status !== 'SENT' && status !== 'QUEUED'),
    ).toEqual([]);
    expect(api.output()).not.toMatch(/"level":(40|50|60)/);
  });
});

describe('MODE=all with WORKER_THREAD=false', () => {
  it('runs the delivery worker on the main thread', async () => {
    const database = await createTestDatabase();
    const api = await startAllInOne(database.url, { WORKER_THREAD: 'false' });
    try {
      const listening = await eventually('the listening line', async () =>
        logLines(api).find((line) => line.msg === 'listening'),
      );
      expect(listening).toMatchObject({ mode: 'all', workerThread: false });
      const started = logLines(api).filter((line) => line.msg === 'delivery worker started');
      expect(started).toHaveLength(1);
      expect(started[0]).not.toHaveProperty('thread');
    } finally {
      await api.stop();
      await database.drop();
    }
  });
});
