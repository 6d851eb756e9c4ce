import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/database/datasource';
import { createLogger } from '../../src/logger';
import { Housekeeping } from '../../src/queue/housekeeping';
import { RoundClaimer, type ClaimedDelivery } from '../../src/queue/round-claimer';
import { dataSourceExecutor } from '../../src/queue/sql-executor';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const LEASE_SECONDS = 30;
const CRASH_RETRY_LIMIT = 2;
const DOMAINS = { domainFor: () => Promise.resolve('claim.test') };

/**
 * The claim on the deliveries table, statement by statement: each due delivery to one worker only, in the
 * order it became due, nothing before its time, and leases that expired taken over or given up.
 */
describe('the claim of due deliveries', () => {
  let database: TestDatabase;
  let db: DataSource;
  /** A claimer per worker, each on a pool of its own, as worker processes have. */
  const pools: DataSource[] = [];

  const claimerOn = (pool: DataSource, workerId: string) =>
    new RoundClaimer(dataSourceExecutor(pool), DOMAINS, {
      workerId,
      leaseSeconds: LEASE_SECONDS,
      crashRetryLimit: CRASH_RETRY_LIMIT,
    });

  const pool = async (name: string) => {
    const created = await createDataSource({
      url: database.url,
      poolSize: 4,
      applicationName: name,
    }).initialize();
    pools.push(created);
    return created;
  };

  /** Inserts `count` deliveries as acceptance does (QUEUED, due now), with the given columns overridden. */
  const insert = async (count: number, overrides: Record<string, string> = {}): Promise<string[]> => {
    const columns: Record<string, string> = {
      status: `'QUEUED'`,
      channel: `'DEFAULT'`,
      to_addresses: `ARRAY['n' || i || '@example.com']`,
      subject: `'Claim ' || i`,
      text_body: `'x'`,
      size_bytes: '1',
      ...overrides,
    };
    const rows = await db.query<Array<{ id: string }>>(
      `INSERT INTO deliveries (${Object.keys(columns).join(', ')})
       SELECT ${Object.values(columns).join(', ')} FROM generate_series(1, ${count}) AS i RETURNING id`,
    );
    return rows.map((row) => row.id);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await createDataSource({ url: database.url, poolSize: 2 }).initialize();
    await db.runMigrations();
  });

  afterEach(async () => {
    await db.query('DELETE FROM deliveries');
  });

  afterAll(async () => {
    await Promise.all(pools.map((one) => one.destroy()));
    await db?.destroy();
    await database?.drop();
  });

  /**
   * Two workers, each with four claims at a time in batches of 25, claim until `total` deliveries are
   * claimed. Resolves with what each worker got.
   */
  async function claimRace(total: number): Promise<Map<string, ClaimedDelivery[]>> {
    const workers = new Map<string, ClaimedDelivery[]>([
      ['worker-a', []],
      ['worker-b', []],
    ]);
    let claimed = 0;
    const deadline = Date.now() + 60_000;
    await Promise.all(
      [...workers].map(async ([name, got]) => {
        const claimer = claimerOn(await pool(name), name);
        await Promise.all(
          Array.from({ length: 4 }, async () => {
            while (claimed < total && Date.now() < deadline) {
              const batch = await claimer.claim(25);
              claimed += batch.length;
              got.push(...batch);
            }
          }),
        );
      }),
    );
    return workers;
  }

  /** Every delivery appears once across the workers, in round `round`; returns who claimed each. */
  function claimedOnce(
    workers: Map<string, ClaimedDelivery[]>,
    ids: string[],
    round: number,
  ): Map<string, string> {
    const owner = new Map<string, string>();
    const twice: string[] = [];
    for (const [name, got] of workers) {
      for (const delivery of got) {
        if (owner.has(delivery.id)) twice.push(delivery.id);
        owner.set(delivery.id, name);
        expect(delivery.round).toBe(round);
      }
    }
    expect(twice).toEqual([]);
    expect([...owner.keys()].sort()).toEqual([...ids].sort());
    // Both workers took part: the claims really ran side by side.
    for (const got of workers.values()) expect(got.length).toBeGreaterThan(ids.length / 10);
    return owner;
  }

  it('gives each delivery to one worker only, in each round, when two workers claim at once', async () => {
    const ids = await insert(2000);

    const first = claimedOnce(await claimRace(ids.length), ids, 1);
    const rows = await db.query<Array<{ id: string; status: string; rounds: number; claimed_by: string }>>(
      `SELECT id, status, rounds, claimed_by FROM deliveries`,
    );
    for (const row of rows) {
      expect(row).toEqual({ id: row.id, status: 'SENDING', rounds: 1, claimed_by: first.get(row.id) });
    }

    // Every lease expires, as if both workers had died: each delivery is taken over exactly once more.
    await db.query(`UPDATE deliveries SET lease_expires_at = now() - interval '1 second'`);
    const second = claimedOnce(await claimRace(ids.length), ids, 2);
    const taken = await db.query<
      Array<{ id: string; rounds: number; claimed_by: string; lease_expiries: number }>
    >(`SELECT id, rounds, claimed_by, lease_expiries FROM deliveries`);
    for (const row of taken) {
      expect(row).toEqual({ id: row.id, rounds: 2, claimed_by: second.get(row.id), lease_expiries: 1 });
    }
    // One record of each cut round, naming the worker that held it.
    const cut = await db.query<Array<{ delivery_id: string; worker: string; message: string }>>(
      `SELECT delivery_id, worker, failure->>'message' AS message FROM delivery_attempts
       WHERE round = 1 AND cut_by = 'NEXT_ROUND' AND category = 'AMBIGUOUS'`,
    );
    expect(cut).toHaveLength(ids.length);
    for (const row of cut) {
      expect(row.worker).toBe(first.get(row.delivery_id));
      expect(row.message).toBe(
        `The worker ${row.worker} stopped during round 1 before recording its outcome; the message may already have been delivered, and it is sent again.`,
      );
    }
  }, 120_000);

  it('claims a delivery only once it is due, the longest due first, with its Message-ID fixed', async () => {
    const [later] = await insert(1, {
      status: `'RETRYING'`,
      next_attempt_at: `now() + interval '2 seconds'`,
    });
    const [older] = await insert(1, { status: `'RETRYING'`, next_attempt_at: `now() - interval '1 minute'` });
    const [newer] = await insert(1, { next_attempt_at: `now() - interval '1 second'` });
    const [held] = await insert(1, {
      status: `'SENDING'`,
      rounds: '1',
      claimed_by: `'alive'`,
      lease_expires_at: `now() + interval '1 minute'`,
      next_attempt_at: 'NULL',
    });
    const claimer = claimerOn(db, 'worker');

    const [first, ...rest] = await claimer.claim(1);
    expect(rest).toEqual([]);
    expect(first).toMatchObject({
      id: older,
      round: 1,
      message: { messageId: expect.stringMatching(/^<[0-9a-f-]{36}@claim\.test>$/) },
    });
    expect((await claimer.claim(10)).map((delivery) => delivery.id)).toEqual([newer]);
    // Neither the retry before its time nor a delivery whose lease holds.
    expect(await claimer.claim(10)).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await claimer.claim(10)).map((delivery) => delivery.id)).toEqual([later]);
    const [row] = await db.query<Array<{ status: string; claimed_by: string }>>(
      `SELECT status, claimed_by FROM deliveries WHERE id = $1`,
      [held],
    );
    expect(row).toEqual({ status: 'SENDING', claimed_by: 'alive' });
  });

  it('leaves a delivery whose leases kept expiring to the lease sweep, which gives it up', async () => {
    const expired = {
      status: `'SENDING'`,
      rounds: '3',
      claimed_by: `'gone'`,
      sending_since: `now() - interval '31 seconds'`,
      lease_expires_at: `now() - interval '1 second'`,
      next_attempt_at: 'NULL',
    };
    const [tooOften] = await insert(1, { ...expired, lease_expiries: String(CRASH_RETRY_LIMIT) });
    const [once] = await insert(1, { ...expired, lease_expiries: String(CRASH_RETRY_LIMIT - 1) });
    const claimer = claimerOn(db, 'worker');
    expect((await claimer.claim(10)).map((delivery) => delivery.id)).toEqual([once]);

    const housekeeping = new Housekeeping({
      dataSource: db,
      logger: createLogger({ logLevel: 'silent' }),
      settings: {
        leaseSeconds: LEASE_SECONDS,
        crashRetryLimit: CRASH_RETRY_LIMIT,
        leaseSweepIntervalMs: 60_000,
        purgeIntervalMs: 60_000,
        firstPurgeDelayMs: 60_000,
      },
      purge: () => Promise.resolve(),
    });
    expect(await housekeeping.sweepLeases()).toBe(1);
    const rows = await db.query<
      Array<{ status: string; claimed_by: string | null; lease_expires_at: Date | null; reason: string }>
    >(`SELECT status, claimed_by, lease_expires_at, failure_reason AS reason FROM deliveries WHERE id = $1`, [
      tooOften,
    ]);
    expect(rows).toEqual([
      {
        status: 'FAILED',
        claimed_by: null,
        lease_expires_at: null,
        reason: expect.stringMatching(/^Its worker stopped \(or lost the database\) too many times/),
      },
    ]);
    const cut = await db.query<Array<{ round: number; cut_by: string; message: string }>>(
      `SELECT round, cut_by, failure->>'message' AS message FROM delivery_attempts WHERE delivery_id = $1`,
      [tooOften],
    );
    expect(cut).toEqual([
      {
        round: 3,
        cut_by: 'DEAD_LETTER',
        message:
          'The worker gone stopped during round 3 before recording its outcome; the message may already have been delivered.',
      },
    ]);
    expect(await housekeeping.sweepLeases()).toBe(0);
  });

  it('makes rows the earlier release writes during a rolling upgrade claimable', async () => {
    // A retry asked for through a process of the earlier release, and a round its worker claimed.
    const [retried] = await insert(1, { next_attempt_at: 'NULL' });
    const [sending] = await insert(1, {
      status: `'SENDING'`,
      rounds: '1',
      sending_worker: `'old-worker'`,
      sending_since: `now() - interval '40 seconds'`,
      next_attempt_at: 'NULL',
    });
    const claimer = claimerOn(db, 'worker');
    expect(await claimer.claim(10)).toEqual([]);

    const housekeeping = new Housekeeping({
      dataSource: db,
      logger: createLogger({ logLevel: 'silent' }),
      settings: {
        leaseSeconds: LEASE_SECONDS,
        crashRetryLimit: CRASH_RETRY_LIMIT,
        leaseSweepIntervalMs: 60_000,
        purgeIntervalMs: 60_000,
        firstPurgeDelayMs: 60_000,
      },
      purge: () => Promise.resolve(),
    });
    await housekeeping.sweepLeases();
    // The old worker's lease ran from the start of its round: 40 s ago, for 30 s.
    expect((await claimer.claim(10)).map((delivery) => delivery.id).sort()).toEqual(
      [retried, sending].sort(),
    );
    const cut = await db.query<Array<{ worker: string }>>(
      `SELECT worker FROM delivery_attempts WHERE delivery_id = $1 AND round = 1 AND cut_by = 'NEXT_ROUND'`,
      [sending],
    );
    expect(cut).toEqual([{ worker: 'old-worker' }]);
  });
});
