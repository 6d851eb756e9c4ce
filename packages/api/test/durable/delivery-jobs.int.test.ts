import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { Client } from 'pg';
import { createLogger } from '../../src/logger';
import {
  DELIVERY_QUEUE,
  DeliveryQueue,
  QUEUE_SCHEMA,
  handOutDeliveryJobs,
  insertDeliveryJobs,
} from '../../src/queue/delivery-queue';
import type { SqlExecutor } from '../../src/queue/sql-executor';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/** Every column of a job that does not depend on its id, its data or the moment it was written. */
const COMPARED = `name, priority, state, retry_limit, retry_count, retry_delay, retry_backoff, singleton_key,
  singleton_on, expire_in::text, dead_letter, policy, started_on, completed_on, output,
  (start_after - created_on) > interval '1 minute' AS delayed,
  (keep_until - start_after)::text AS kept_for`;

/**
 * Deliveries write their jobs with SQL of their own (in the statement that writes the delivery); those jobs
 * must be exactly what pg-boss's own insert makes of the same job, or pg-boss would hand them out, expire
 * and retry them differently.
 */
describe('the SQL that writes and removes delivery jobs', () => {
  let database: TestDatabase;
  let client: Client;
  let queue: DeliveryQueue;
  let boss: PgBoss;
  const sql: SqlExecutor = {
    executeSql: async (text, values) => {
      const result = await client.query(text, values);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    },
  };

  /** The ids of the jobs the worker's hand-out (the first part of its take) hands out. */
  const handOut = async (max: number): Promise<string[]> => {
    const { rows } = await client.query<{ id: string }>(
      `WITH ${handOutDeliveryJobs('$1')} SELECT id FROM handed_out`,
      [max],
    );
    return rows.map((row) => row.id);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
    queue = await startQueue(sql);
    // pg-boss itself, as the reference: the schema is there already.
    boss = new PgBoss({
      connectionString: database.url,
      schema: QUEUE_SCHEMA,
      max: 1,
      supervise: false,
      schedule: false,
      migrate: false,
    });
    await boss.start();
  });

  const startQueue = (executor: SqlExecutor) =>
    DeliveryQueue.start(
      {
        connectionString: database.url,
        jobTimeoutSeconds: 90,
        crashRetryLimit: 3,
        maintenanceIntervalSeconds: 60,
        purgeCron: '0 3 * * *',
        poolSize: 2,
      },
      createLogger({ logLevel: 'silent' }),
      executor,
    );

  afterAll(async () => {
    await boss?.stop({ graceful: false, close: true, wait: true });
    await queue?.stop();
    await client?.end();
    await database?.drop();
  });

  const jobRow = async (id: string) => {
    const { rows } = await client.query(`SELECT ${COMPARED}, data FROM ${QUEUE_SCHEMA}.job WHERE id = $1`, [
      id,
    ]);
    expect(rows).toHaveLength(1);
    return rows[0] as Record<string, unknown>;
  };

  it.each([
    ['due at once', undefined],
    ['delayed (a retry round)', new Date(Date.now() + 3_600_000)],
  ])('writes what pg-boss writes for a job %s', async (_case, startAfter) => {
    const deliveryId = randomUUID();
    const ours = randomUUID();
    const theirs = randomUUID();
    await queue.enqueue(sql, [{ jobId: ours, deliveryId, startAfter }]);
    await boss.insert([
      {
        id: theirs,
        name: DELIVERY_QUEUE,
        data: { deliveryId, jobId: theirs },
        ...(startAfter ? { startAfter: startAfter.toISOString() } : {}),
      },
    ]);
    const { data: ourData, ...ourColumns } = await jobRow(ours);
    const { data: theirData, ...theirColumns } = await jobRow(theirs);
    expect(ourColumns).toEqual(theirColumns);
    expect(ourColumns.delayed).toBe(startAfter !== undefined);
    expect(ourData).toEqual({ deliveryId, jobId: ours });
    expect(theirData).toEqual({ deliveryId, jobId: theirs });
    // And pg-boss hands out the due one like its own.
    if (!startAfter) {
      expect((await handOut(10)).sort()).toEqual([ours, theirs].sort());
    }
  });

  /**
   * Due jobs handed out by `fetch` (ids), and what each hand-out left in the job table, with ids replaced by
   * their order of enqueueing: three jobs due at once and one delayed, two fetches of two, then the first job
   * failed by pg-boss (a round that could not start) and fetched again once due.
   */
  async function handOuts(fetch: (max: number) => Promise<string[]>) {
    await client.query(`DELETE FROM ${QUEUE_SCHEMA}.job WHERE name = $1`, [DELIVERY_QUEUE]);
    const ids: string[] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    for (const [index, jobId] of ids.entries()) {
      const startAfter = index === 3 ? new Date(Date.now() + 3_600_000) : undefined;
      await queue.enqueue(sql, [{ jobId, deliveryId: randomUUID(), startAfter }]);
    }
    // In the order of enqueueing: an UPDATE's RETURNING gives no order.
    const named = (jobIds: string[]) => jobIds.map((id) => `job${ids.indexOf(id)}`).sort();
    const fetched = [named(await fetch(2)), named(await fetch(2))];
    const [first] = ids;
    await boss.fail(DELIVERY_QUEUE, first ?? '');
    await client.query(
      `UPDATE ${QUEUE_SCHEMA}.job SET start_after = now() - interval '1 second' WHERE id = $1`,
      [first],
    );
    fetched.push(named(await fetch(2)));
    const { rows } = await client.query<{ id: string }>(
      `SELECT id, state, retry_count, started_on IS NOT NULL AS started FROM ${QUEUE_SCHEMA}.job
       WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const table = rows.map(({ id, ...row }) => ({ job: named([id])[0], ...row }));
    return { fetched, table: table.sort((a, b) => String(a.job).localeCompare(String(b.job))) };
  }

  it("hands out due jobs as pg-boss's own fetch does: oldest first, as many as asked, a retry counted", async () => {
    const ours = await handOuts(handOut);
    const theirs = await handOuts(async (max) =>
      (await boss.fetch(DELIVERY_QUEUE, { batchSize: max })).map((job) => job.id),
    );
    expect(ours).toEqual(theirs);
    expect(ours.fetched).toEqual([['job0', 'job1'], ['job2'], ['job0']]);
    expect(ours.table).toEqual([
      { job: 'job0', state: 'active', retry_count: 1, started: true },
      { job: 'job1', state: 'active', retry_count: 0, started: true },
      { job: 'job2', state: 'active', retry_count: 0, started: true },
      { job: 'job3', state: 'created', retry_count: 0, started: false },
    ]);
  });

  it('removes the finished jobs it is given, handed out or not, and no other', async () => {
    const [handedOut, waiting, kept] = [randomUUID(), randomUUID(), randomUUID()];
    const later = new Date(Date.now() + 3_600_000);
    await queue.enqueue(sql, [{ jobId: handedOut, deliveryId: randomUUID() }]);
    await queue.enqueue(sql, [
      { jobId: waiting, deliveryId: randomUUID(), startAfter: later },
      { jobId: kept, deliveryId: randomUUID(), startAfter: later },
    ]);
    expect(await handOut(10)).toEqual([handedOut]);

    await queue.finish([handedOut, waiting]);

    const { rows } = await client.query<{ id: string }>(
      `SELECT id FROM ${QUEUE_SCHEMA}.job WHERE id = ANY($1::uuid[])`,
      [[handedOut, waiting, kept]],
    );
    expect(rows.map((row) => row.id)).toEqual([kept]);
  });

  it("fails, writing nothing, when the queue's row is missing", async () => {
    const jobId = randomUUID();
    await client.query('BEGIN');
    try {
      await client.query(`DELETE FROM ${QUEUE_SCHEMA}.job WHERE name = $1`, [DELIVERY_QUEUE]);
      await client.query(`DELETE FROM ${QUEUE_SCHEMA}.queue WHERE name = $1`, [DELIVERY_QUEUE]);
      await expect(
        client.query(
          insertDeliveryJobs(
            `(SELECT $1::uuid AS job_id, $2::uuid AS delivery_id, NULL::timestamptz AS start_after)`,
          ),
          [jobId, randomUUID()],
        ),
      ).rejects.toThrow(/no partition/);
    } finally {
      await client.query('ROLLBACK');
    }
    const { rowCount } = await client.query(`SELECT 1 FROM ${QUEUE_SCHEMA}.job WHERE id = $1`, [jobId]);
    expect(rowCount).toBe(0);
  });

  it('fails a fetch of dead jobs whose statement failed, where pg-boss would answer "no jobs"', async () => {
    const cut = new Error('Connection terminated unexpectedly');
    const cutOff = await startQueue({
      executeSql: () => Promise.reject(cut),
    });
    try {
      await expect(cutOff.fetchDead(10)).rejects.toBe(cut);
    } finally {
      await cutOff.stop();
    }
  });
});
