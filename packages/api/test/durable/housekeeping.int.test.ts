import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/database/datasource';
import { createLogger } from '../../src/logger';
import { Housekeeping, type HousekeepingSettings } from '../../src/queue/housekeeping';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { eventually } from './durable-support';

const SETTINGS: HousekeepingSettings = {
  leaseSeconds: 30,
  crashRetryLimit: 2,
  leaseSweepIntervalMs: 60_000,
  purgeIntervalMs: 60_000,
  firstPurgeDelayMs: 60_000,
};

/** The purge's schedule: on its interval in every worker process, one process at a time. */
describe('housekeeping: the purge', () => {
  let database: TestDatabase;
  const pools: DataSource[] = [];
  const running: Housekeeping[] = [];

  const housekeeping = async (
    purge: (signal: AbortSignal) => Promise<void>,
    settings: Partial<HousekeepingSettings> = {},
  ): Promise<Housekeeping> => {
    const pool = await createDataSource({ url: database.url, poolSize: 2 }).initialize();
    pools.push(pool);
    const created = new Housekeeping({
      dataSource: pool,
      logger: createLogger({ logLevel: 'silent' }),
      settings: { ...SETTINGS, ...settings },
      purge,
    });
    running.push(created);
    return created;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await Promise.all(running.map((one) => one.stop()));
    await Promise.all(pools.map((pool) => pool.destroy()));
    await database?.drop();
  });

  it('runs first soon after start, then on its interval', async () => {
    const runs: number[] = [];
    const started = Date.now();
    const purging = await housekeeping(
      () => {
        runs.push(Date.now() - started);
        return Promise.resolve();
      },
      { firstPurgeDelayMs: 100, purgeIntervalMs: 400 },
    );
    purging.start();
    await eventually('three purges', async () => (runs.length >= 3 ? true : undefined), 5000, 20);
    await purging.stop();
    expect(runs[0]).toBeGreaterThanOrEqual(100);
    expect(runs[0]).toBeLessThan(400);
    expect((runs[1] ?? 0) - (runs[0] ?? 0)).toBeGreaterThanOrEqual(400);
  });

  it('lets one process purge at a time: another one that comes meanwhile skips its turn', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let purges = 0;
    const slow = async () => {
      purges++;
      await held;
    };
    const [first, second] = await Promise.all([housekeeping(slow), housekeeping(slow)]);
    const firstRun = first.purgeOnce();
    await eventually('the first purge to run', async () => (purges === 1 ? true : undefined));
    expect(await second.purgeOnce()).toBe(false);
    release();
    expect(await firstRun).toBe(true);
    // The lock went with the first purge.
    expect(await second.purgeOnce()).toBe(true);
    expect(purges).toBe(2);
  });

  it('interrupts a running purge when it stops, and waits for it', async () => {
    let aborted = false;
    let finished = false;
    const purging = await housekeeping(
      async (signal) => {
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        aborted = signal.aborted;
        finished = true;
      },
      { firstPurgeDelayMs: 10 },
    );
    purging.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await purging.stop();
    expect({ aborted, finished }).toEqual({ aborted: true, finished: true });
  });
});
