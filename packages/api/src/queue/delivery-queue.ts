import PgBoss from 'pg-boss';
import type { Logger } from '../logger';
import type { SqlExecutor } from './sql-executor';

/** One job per delivery round. */
export const DELIVERY_QUEUE = 'mail-delivery';
/** Where pg-boss puts a delivery job that failed too often (its workers kept dying). */
export const DELIVERY_DEAD_QUEUE = 'mail-delivery-dead';
/** Cron-driven job that deletes deliveries past the retention period. */
export const PURGE_QUEUE = 'mail-delivery-purge';
/** pg-boss keeps its tables in their own schema of the application database. */
export const QUEUE_SCHEMA = 'pgboss';

/** After an expiry (its worker died), a job is handed out again this soon. */
const CRASH_RETRY_DELAY_SECONDS = 1;

export interface DeliveryJobData {
  deliveryId: string;
  /**
   * The job's own id. pg-boss gives the copy it puts in the dead-letter queue a new id; this one still
   * names the round the delivery was waiting for.
   */
  jobId: string;
}

/** A job of the dead-letter queue: the delivery job that died too often. */
export interface DeadJob {
  deadJobId: string;
  deliveryId: string;
  jobId: string;
}

export interface QueuedJob {
  jobId: string;
  deliveryId: string;
}

export interface DeliveryQueueSettings {
  connectionString: string;
  /** A round's job expires (and goes to another worker) after this. */
  jobTimeoutSeconds: number;
  /**
   * How often a round that never reports back (its worker died) is handed out again before the delivery
   * is given up as FAILED through the dead-letter queue.
   */
  crashRetryLimit: number;
  maintenanceIntervalSeconds: number;
  purgeCron: string;
  /** Connections of pg-boss's own pool (polling, completion, maintenance). */
  poolSize: number;
}

/**
 * The INSERT of delivery jobs, as SQL to embed in a statement of the caller's own (a CTE), so that a delivery
 * and its job are written by one statement. `rows` is a relation with the columns job_id, delivery_id and
 * start_after (NULL: due at once).
 *
 * It writes the rows pg-boss 10's own `insert` writes for this queue (the queue's settings: retries,
 * expiry, dead-letter queue, retention; pg-boss's defaults where the queue has none); a test holds the two
 * side by side. Without the queue's row the name is NULL, which no partition of the job table takes: the
 * statement fails rather than store a delivery without its job.
 */
export function insertDeliveryJobs(rows: string): string {
  return `
    INSERT INTO ${QUEUE_SCHEMA}.job (id, name, data, start_after, dead_letter, expire_in, keep_until, retry_limit,
                                    retry_delay, retry_backoff, policy)
    SELECT j.job_id, q.name, jsonb_build_object('deliveryId', j.delivery_id, 'jobId', j.job_id),
           COALESCE(j.start_after, now()), q.dead_letter,
           COALESCE(q.expire_seconds * interval '1 second', interval '15 minutes'),
           COALESCE(j.start_after, now()) + COALESCE(q.retention_minutes * interval '1 minute', interval '14 days'),
           COALESCE(q.retry_limit, 2),
           CASE WHEN COALESCE(q.retry_backoff, false) THEN GREATEST(q.retry_delay, 1) ELSE COALESCE(q.retry_delay, 0) END,
           COALESCE(q.retry_backoff, false), q.policy
    FROM ${rows} j
    LEFT JOIN ${QUEUE_SCHEMA}.queue q ON q.name = '${DELIVERY_QUEUE}'`;
}

/**
 * The DELETE of delivery jobs, as SQL to embed in a statement of the caller's own (a CTE): removes the jobs
 * whose ids `jobIds` (a subquery of uuids) lists, as pg-boss 10's own `deleteJob` does.
 */
export function deleteDeliveryJobs(jobIds: string): string {
  return `DELETE FROM ${QUEUE_SCHEMA}.job WHERE name = '${DELIVERY_QUEUE}' AND id IN (${jobIds})`;
}

/**
 * Hands out up to `limit` due delivery jobs, each to one taker only (until it expires), as SQL to embed in a
 * statement of the caller's own: two CTEs, the last of them `handed_out` (id, data). It is pg-boss 10's own
 * fetch (`fetchNextJob`) for this queue, whose policy is the standard one (pg-boss groups only singleton and
 * stately queues' jobs by key), with the queue's name written into the text; a test holds the two side by
 * side. pg-boss passes the name as a parameter, so PostgreSQL cannot tell at planning which partition of the
 * job table is read, and plans every call anew, which took as long as running it; with the name written in,
 * a connection plans the statement once.
 */
export function handOutDeliveryJobs(limit: string): string {
  return `
    next AS (
      SELECT id FROM ${QUEUE_SCHEMA}.job
      WHERE name = '${DELIVERY_QUEUE}' AND state < 'active' AND start_after < now()
      ORDER BY priority DESC, created_on, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), handed_out AS (
      UPDATE ${QUEUE_SCHEMA}.job j SET
        state = 'active',
        started_on = now(),
        retry_count = CASE WHEN j.started_on IS NOT NULL THEN j.retry_count + 1 ELSE j.retry_count END
      FROM next
      WHERE j.name = '${DELIVERY_QUEUE}' AND j.id = next.id
      RETURNING j.id, j.data
    )`;
}

/**
 * The pg-boss queue of delivery rounds, in the `pgboss` schema of the application database.
 *
 * Jobs are only ever inserted together with the delivery row they belong to, by {@link insertDeliveryJobs}
 * in the caller's statement or by {@link enqueue} in the caller's transaction: either both exist or neither
 * does. Jobs are handed out at least once by pg-boss's fetch (`FOR UPDATE SKIP LOCKED`), written out as
 * {@link handOutDeliveryJobs} in the worker's statement that also claims their deliveries; pg-boss's part
 * is the expiry and retry of jobs whose worker died, the dead-letter queue, and the cron schedule of the
 * purge.
 */
export class DeliveryQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly settings: DeliveryQueueSettings,
    private readonly sql: SqlExecutor,
  ) {}

  /**
   * Installs or migrates the pg-boss schema (under pg-boss's own lock), creates the queues and the purge
   * schedule. The worker's hot statements (removal of finished jobs, the dead-letter queue's fetch) run
   * through `sql`, the application's connections with their prepared statements; pg-boss's pool does the
   * rest.
   */
  static async start(
    settings: DeliveryQueueSettings,
    logger: Logger,
    sql: SqlExecutor,
  ): Promise<DeliveryQueue> {
    const boss = new PgBoss({
      connectionString: settings.connectionString,
      schema: QUEUE_SCHEMA,
      application_name: 'mail-providers-queue',
      max: settings.poolSize,
      supervise: true,
      schedule: true,
      migrate: true,
      maintenanceIntervalSeconds: settings.maintenanceIntervalSeconds,
      // Finished rounds' jobs are deleted at once (see finish); jobs that pg-boss itself completes or fails
      // (the purge's, a round given up for crashing) go to its archive after an hour.
      archiveCompletedAfterSeconds: 3600,
      deleteAfterDays: 1,
    });
    boss.on('error', (error: Error) => {
      // pg-boss reports connection loss here and keeps polling; it recovers by itself when the database returns.
      logger.warn({ err: { message: error.message, code: errorCode(error) } }, 'queue error');
    });
    await boss.start();
    const queue = new DeliveryQueue(boss, settings, sql);
    await queue.ensureQueues();
    return queue;
  }

  private async ensureQueues(): Promise<void> {
    const deliveryOptions = {
      name: DELIVERY_QUEUE,
      retryLimit: this.settings.crashRetryLimit,
      retryDelay: CRASH_RETRY_DELAY_SECONDS,
      retryBackoff: false,
      expireInSeconds: this.settings.jobTimeoutSeconds,
      deadLetter: DELIVERY_DEAD_QUEUE,
    };
    await this.boss.createQueue(DELIVERY_DEAD_QUEUE, { name: DELIVERY_DEAD_QUEUE });
    await this.boss.createQueue(DELIVERY_QUEUE, deliveryOptions);
    // createQueue keeps an existing queue as it is; settings changed since must still apply.
    await this.boss.updateQueue(DELIVERY_QUEUE, deliveryOptions);
    await this.boss.createQueue(PURGE_QUEUE, { name: PURGE_QUEUE, retryLimit: 3, expireInSeconds: 3600 });
    await this.boss.schedule(PURGE_QUEUE, this.settings.purgeCron, {}, { tz: 'UTC' });
  }

  /**
   * Adds jobs through `sql`, which must be the connection of the transaction that writes their deliveries.
   * `startAfter` delays a retry round.
   */
  async enqueue(sql: SqlExecutor, jobs: Array<QueuedJob & { startAfter?: Date }>): Promise<void> {
    if (jobs.length === 0) return;
    await sql.executeSql(
      insertDeliveryJobs(
        '(SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS j(job_id, delivery_id, start_after))',
      ),
      [
        jobs.map((job) => job.jobId),
        jobs.map((job) => job.deliveryId),
        jobs.map((job) => job.startAfter?.toISOString() ?? null),
      ],
    );
  }

  /**
   * Removes the jobs of finished rounds. The delivery log is the record, so a job is deleted rather than kept
   * as completed: one row change instead of an update now and an archive copy later. The same DELETE as the
   * worker's outcome write, which removes the jobs of the rounds it records.
   */
  async finish(jobIds: string[]): Promise<void> {
    if (jobIds.length > 0) {
      await this.sql.executeSql(deleteDeliveryJobs('SELECT unnest($1::uuid[])'), [jobIds]);
    }
  }

  /** Delivery jobs that died too often; each is returned once (remove it with {@link finishDead}). */
  async fetchDead(max: number): Promise<DeadJob[]> {
    const jobs = await this.fetchJobs(DELIVERY_DEAD_QUEUE, max);
    return jobs.flatMap((job) =>
      isJobData(job.data)
        ? [{ deadJobId: job.id, deliveryId: job.data.deliveryId, jobId: job.data.jobId }]
        : [],
    );
  }

  async finishDead(jobIds: string[]): Promise<void> {
    if (jobIds.length > 0) await this.boss.deleteJob(DELIVERY_DEAD_QUEUE, jobIds, { db: this.sql });
  }

  /** Runs `handler` for every purge tick of the cron schedule (in whichever process takes the job). */
  async workPurge(handler: () => Promise<void>): Promise<void> {
    await this.boss.work(PURGE_QUEUE, { pollingIntervalSeconds: 30 }, async () => handler());
  }

  /**
   * pg-boss's fetch through the application's connections. pg-boss 10 answers a failed fetch with no jobs,
   * as if the queue were empty; the failure (a database that went away) is thrown here instead, so the
   * worker can tell an outage from an idle queue.
   */
  private async fetchJobs(queue: string, max: number): Promise<Array<PgBoss.Job<DeliveryJobData>>> {
    let failure: { error: unknown } | undefined;
    const db: SqlExecutor = {
      executeSql: <Row>(text: string, values?: unknown[]) =>
        this.sql.executeSql<Row>(text, values).catch((error: unknown) => {
          failure = { error };
          throw error;
        }),
    };
    const jobs = await this.boss.fetch<DeliveryJobData>(queue, { batchSize: max, db });
    if (failure) throw failure.error;
    return jobs;
  }

  /** Stops polling and maintenance and closes pg-boss's pool. Rounds in flight are the worker's business. */
  async stop(): Promise<void> {
    await this.boss.stop({ graceful: false, close: true, wait: true });
  }
}

function isJobData(value: unknown): value is DeliveryJobData {
  return (
    typeof value === 'object' &&
    value !== null &&
    'deliveryId' in value &&
    typeof value.deliveryId === 'string' &&
    /^[0-9a-f-]{36}$/i.test(value.deliveryId) &&
    'jobId' in value &&
    typeof value.jobId === 'string' &&
    /^[0-9a-f-]{36}$/i.test(value.jobId)
  );
}

function errorCode(error: Error): string | undefined {
  return 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
