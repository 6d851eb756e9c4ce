import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';
import { FailureStreak } from './failure-streak';
import { ADOPT_EARLIER_ROWS, GIVE_UP_EXPIRED } from './lease-statements';
import { ambiguousFailure } from './round-verdict';
import { dataSourceExecutor, runnerExecutor, type SqlExecutor } from './sql-executor';

/** Held while one process purges, so two never delete the same rows at once. */
const PURGE_LOCK_KEY = 7_163_701_400;
/** Deliveries given up per statement of the lease sweep. */
const GIVE_UP_BATCH = 100;

export interface HousekeepingSettings {
  /** How long a claim holds its delivery. */
  leaseSeconds: number;
  /** Leases that may expire in a row before the delivery is given up. */
  crashRetryLimit: number;
  leaseSweepIntervalMs: number;
  purgeIntervalMs: number;
  /** The first purge after start comes this soon, so frequent restarts do not put it off forever. */
  firstPurgeDelayMs: number;
}

export interface HousekeepingDeps {
  dataSource: DataSource;
  logger: Logger;
  settings: HousekeepingSettings;
  /** Deletes what the retention period lets go; stops between batches once `signal` is aborted. */
  purge: (signal: AbortSignal) => Promise<void>;
}

/** The failure of a cut round without its message, which the statement writes itself. */
const { message: _message, ...CUT_ROUND_FAILURE } = ambiguousFailure('');
const CUT_ROUND_FAILURE_JSON = JSON.stringify(CUT_ROUND_FAILURE);

/**
 * What a worker process does besides sending, each on a timer of its own:
 *
 * - the lease sweep: deliveries whose leases expired too many times in a row (their workers keep dying,
 *   or keep losing the database) end FAILED with the reason instead of being sent forever, and rows that
 *   processes of the earlier release wrote during a rolling upgrade get a due time and a lease;
 * - the purge of the delivery log past its retention period, under an advisory lock, so that of several
 *   processes one purges at a time (whichever comes next finds little or nothing left).
 *
 * Expired leases themselves need no sweep: the claim takes such deliveries over like due ones.
 */
export class Housekeeping {
  private readonly sql: SqlExecutor;
  private readonly sweeping: FailureStreak;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly stopping = new AbortController();

  constructor(private readonly deps: HousekeepingDeps) {
    this.sql = dataSourceExecutor(deps.dataSource);
    this.sweeping = new FailureStreak(deps.logger, 'sweeping expired leases');
  }

  start(): void {
    const { leaseSweepIntervalMs, purgeIntervalMs, firstPurgeDelayMs } = this.deps.settings;
    this.every(leaseSweepIntervalMs, leaseSweepIntervalMs, async () => {
      try {
        await this.sweepLeases();
        this.sweeping.succeeded();
      } catch (error) {
        this.sweeping.failed(error);
      }
    });
    this.every(Math.min(firstPurgeDelayMs, purgeIntervalMs), purgeIntervalMs, async () => {
      try {
        await this.purgeOnce();
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'purging the delivery log failed; it is tried again later');
      }
    });
  }

  /** Stops the timers, interrupts a purge between two batches, and waits for what is running. */
  async stop(): Promise<void> {
    this.stopping.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  /** One lease sweep; returns how many deliveries it gave up. */
  async sweepLeases(): Promise<number> {
    const { leaseSeconds, crashRetryLimit } = this.deps.settings;
    const { rows: adopted } = await this.sql.executeSql<{ due: number; leased: number }>(ADOPT_EARLIER_ROWS, [
      leaseSeconds,
    ]);
    const { due = 0, leased = 0 } = adopted[0] ?? {};
    if (due + leased > 0) {
      this.deps.logger.info({ due, leased }, 'deliveries written by an earlier release were made claimable');
    }
    let givenUp = 0;
    for (;;) {
      const { rowCount } = await this.sql.executeSql(GIVE_UP_EXPIRED, [
        crashRetryLimit,
        CUT_ROUND_FAILURE_JSON,
        GIVE_UP_BATCH,
      ]);
      givenUp += rowCount;
      if (rowCount < GIVE_UP_BATCH) break;
    }
    if (givenUp > 0) {
      this.deps.logger.warn(
        { deliveries: givenUp, leaseExpiries: crashRetryLimit + 1 },
        'deliveries whose leases kept expiring were given up as FAILED',
      );
    }
    return givenUp;
  }

  /**
   * Purges unless another process is purging (then returns false). The lock is held by a connection of its
   * own for as long as the purge runs, and goes with it if the connection breaks.
   */
  async purgeOnce(): Promise<boolean> {
    const runner = this.deps.dataSource.createQueryRunner();
    const lockHolder = runnerExecutor(runner);
    try {
      const { rows } = await lockHolder.executeSql<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1) AS locked',
        [PURGE_LOCK_KEY],
      );
      if (!rows[0]?.locked) return false;
      try {
        await this.deps.purge(this.stopping.signal);
      } finally {
        await lockHolder.executeSql('SELECT pg_advisory_unlock($1)', [PURGE_LOCK_KEY]);
      }
      return true;
    } finally {
      await runner.release();
    }
  }

  /** Runs `task` after `firstMs`, then `everyMs` after each run ends (runs never overlap). */
  private every(firstMs: number, everyMs: number, task: () => Promise<void>): void {
    const schedule = (ms: number) => {
      if (this.stopping.signal.aborted) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        const run = task();
        this.running.add(run);
        void run.finally(() => {
          this.running.delete(run);
          schedule(everyMs);
        });
      }, ms);
      timer.unref();
      this.timers.add(timer);
    };
    schedule(firstMs);
  }
}
