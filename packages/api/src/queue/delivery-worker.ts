import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  MessageValidationError,
  isAddrSpec,
  type Attempt,
  type Channel,
  type Failure,
  type Mailer,
  type Message,
  type SendResult,
} from '@mail-providers/mailer-core';
import type { DataSource } from 'typeorm';
import type { DeliveryStatus } from '../entities/delivery.entity';
import type { Logger } from '../logger';
import type { DeliveryQueue, QueuedJob } from './delivery-queue';
import type { MessageColumns } from './message-columns';
import { planRetry, type RetryPolicy } from './retry-policy';
import { dataSourceExecutor, inTransaction, type SqlExecutor } from './sql-executor';

export interface DeliveryWorkerSettings {
  retry: RetryPolicy;
  jobTimeoutSeconds: number;
  concurrency: number;
  pollIntervalMs: number;
  /** How often deliveries given up by the dead-letter queue are looked for. */
  deadLetterIntervalMs: number;
}

/** What the worker tells the rest of the server about finished rounds (metrics, alerts). */
export interface DeliveryWorkerHooks {
  onAttempts?(attempts: Attempt[]): void;
  onFinished?(status: 'SENT' | 'FAILED'): void;
  /** A later provider delivered because the first one of the chain failed or was skipped. */
  onFallback?(primary: Attempt, deliveredBy: Attempt): void;
}

export interface DeliveryWorkerDeps {
  dataSource: DataSource;
  queue: DeliveryQueue;
  mailer: () => Mailer;
  settings: DeliveryWorkerSettings;
  logger: Logger;
  hooks?: DeliveryWorkerHooks;
}

/** A delivery this worker holds for one round. */
interface ClaimedDelivery {
  jobId: string;
  id: string;
  round: number;
  channel: Channel;
  message: Message;
  windowStartedAt: Date;
}

interface ClaimRow extends MessageColumns {
  id: string;
  job_id: string | null;
  channel: Channel;
  /** Including the round being claimed. */
  rounds: number;
  message_id: string | null;
  window_started_at: Date;
}

/** How a round ended, before it is written down. */
type RoundOutcome =
  | { kind: 'result'; result: SendResult }
  | { kind: 'interrupted'; why: string; startedAt: Date; durationMs: number }
  | { kind: 'invalid'; problem: string }
  | { kind: 'error'; problem: string };

/** Attempt as stored: the engine's Attempt plus its place in the round. */
interface AttemptRecord {
  seq: number;
  provider_id: string | null;
  provider_name: string;
  started_at: string;
  duration_ms: number;
  outcome: Attempt['outcome'];
  category: string | null;
  skipped_reason: string | null;
  failure: Failure | null;
  provider_message_id: string | null;
  worker: string;
}

/** A round's outcome as the batched write takes it (snake_case: it goes through jsonb_to_recordset). */
interface OutcomeRow {
  id: string;
  job_id: string;
  round: number;
  status: DeliveryStatus;
  next_attempt_at: string | null;
  next_job_id: string | null;
  delivered_by_provider_id: string | null;
  delivered_by_provider_name: string | null;
  provider_message_id: string | null;
  rejected_recipients: unknown[];
  failure: Failure | null;
  failure_reason: string | null;
  attempts: AttemptRecord[];
}

interface PendingWrite {
  row: OutcomeRow;
  resolve: (status: DeliveryStatus | null) => void;
  reject: (error: unknown) => void;
}

const MAX_WRITE_BATCH = 200;
/**
 * Outcomes are written this long after the first of them is ready, so rounds finishing close together share
 * one statement. Invisible to senders (they heard QUEUED long ago); it only delays the log by as much.
 */
const WRITE_GATHER_MS = 10;

/**
 * The INSERT that records a round left SENDING by a worker that stopped as an AMBIGUOUS attempt: `cte` holds
 * the locked deliveries (id, previous_status, previous_rounds, previous_since, previous_worker), `failure`
 * the placeholder of the failure without its message (the statement writes the message, naming worker and
 * round), `consequence` what happens to the message next.
 */
function recordCutRound(cte: string, failure: string, consequence: string): string {
  return `
    INSERT INTO delivery_attempts (delivery_id, round, seq, provider_id, provider_name, started_at, duration_ms,
                                   outcome, category, failure, worker)
    SELECT c.id, c.previous_rounds, 1, NULL, '(interrupted round)', COALESCE(c.previous_since, now()),
           GREATEST(0, (extract(epoch FROM now() - COALESCE(c.previous_since, now())) * 1000)::int),
           'FAILED', 'AMBIGUOUS',
           ${failure}::jsonb || jsonb_build_object('message', format(
             'The worker %s stopped during round %s before recording its outcome; the message may already have been delivered${consequence}.',
             COALESCE(c.previous_worker, '(unknown)'), c.previous_rounds)),
           c.previous_worker
    FROM ${cte} c WHERE c.previous_status = 'SENDING'
    ON CONFLICT (delivery_id, round, seq) DO NOTHING`;
}

/**
 * Gives up deliveries whose job died too often (the dead-letter queue): FAILED with the reason, and the
 * round that was cut recorded as AMBIGUOUS like any interrupted round.
 */
const GIVE_UP = `
  WITH dead AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[]) AS x(delivery_id, job_id)
  ), given_up AS (
    SELECT d.id, d.status AS previous_status, d.rounds AS previous_rounds, d.sending_since AS previous_since,
           d.sending_worker AS previous_worker
    FROM deliveries d JOIN dead ON d.id = dead.delivery_id AND d.job_id = dead.job_id
    WHERE d.status IN ('QUEUED', 'SENDING', 'RETRYING')
    ORDER BY d.id
    FOR UPDATE OF d
  ), cut AS (${recordCutRound('given_up', '$3', '')}
  )
  UPDATE deliveries d SET
    status = 'FAILED', finished_at = now(), updated_at = now(), sending_since = NULL, sending_worker = NULL,
    next_attempt_at = NULL,
    failure_reason = 'Its worker stopped (or lost the database) too many times while sending it, so it was stopped rather than retried forever. Find out why workers stop, then retry it.'
  FROM given_up g
  WHERE d.id = g.id`;

/**
 * Claims the jobs' deliveries for one round, in one statement: locks the rows still waiting for exactly
 * these jobs, records a round found SENDING (its worker died mid-send) as AMBIGUOUS, fixes the Message-ID
 * before the first round, and marks them SENDING by this worker. Stale jobs match no row.
 */
const CLAIM = `
  WITH wanted AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS w(id, job_id, token)
  ), locked AS (
    SELECT d.id, d.status AS previous_status, d.rounds AS previous_rounds, d.sending_since AS previous_since,
           d.sending_worker AS previous_worker
    FROM deliveries d JOIN wanted w ON w.id = d.id AND w.job_id = d.job_id
    WHERE d.status IN ('QUEUED', 'RETRYING', 'SENDING')
    ORDER BY d.id
    FOR UPDATE OF d
  ), interrupted AS (${recordCutRound('locked', '$7', ', and it is sent again')}
  )
  UPDATE deliveries d SET
    status = 'SENDING', rounds = d.rounds + 1, sending_since = now(), sending_worker = $4, next_attempt_at = NULL,
    message_id = COALESCE(d.message_id, '<' || w.token || '@' || CASE d.channel WHEN 'CRM' THEN $6 ELSE $5 END || '>'),
    updated_at = now()
  FROM locked l JOIN wanted w ON w.id = l.id
  WHERE d.id = l.id
  RETURNING d.id, d.job_id, d.channel, d.rounds, d.message_id, d.to_addresses, d.cc_addresses, d.bcc_addresses,
            d.reply_to, d.subject, d.text_body, d.html_body, d.window_started_at`;

const WRITE_OUTCOMES = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
      id uuid, job_id uuid, round int, status text, next_attempt_at timestamptz, next_job_id uuid,
      delivered_by_provider_id uuid, delivered_by_provider_name text, provider_message_id text,
      rejected_recipients jsonb, failure jsonb, failure_reason text, attempts jsonb)
  ), updated AS (
    UPDATE deliveries d SET
      status = i.status, updated_at = now(), sending_since = NULL, sending_worker = NULL,
      next_attempt_at = i.next_attempt_at, job_id = COALESCE(i.next_job_id, d.job_id),
      sent_at = CASE WHEN i.status = 'SENT' THEN now() ELSE d.sent_at END,
      finished_at = CASE WHEN i.status IN ('SENT', 'FAILED') THEN now() ELSE NULL END,
      delivered_by_provider_id = i.delivered_by_provider_id,
      delivered_by_provider_name = i.delivered_by_provider_name,
      provider_message_id = i.provider_message_id,
      rejected_recipients = COALESCE(i.rejected_recipients, '[]'::jsonb),
      failure = NULLIF(i.failure, 'null'::jsonb), failure_reason = i.failure_reason
    FROM input i
    WHERE d.id = i.id AND d.job_id = i.job_id AND d.status = 'SENDING'
    RETURNING d.id
  ), attempts AS (
    INSERT INTO delivery_attempts (delivery_id, round, seq, provider_id, provider_name, started_at, duration_ms,
                                   outcome, category, skipped_reason, failure, provider_message_id, worker)
    SELECT i.id, i.round, a.seq, a.provider_id, a.provider_name, a.started_at, a.duration_ms, a.outcome,
           a.category, a.skipped_reason, NULLIF(a.failure, 'null'::jsonb), a.provider_message_id, a.worker
    FROM input i
    JOIN updated u ON u.id = i.id
    CROSS JOIN LATERAL jsonb_to_recordset(i.attempts) AS a(seq int, provider_id uuid, provider_name text,
      started_at timestamptz, duration_ms int, outcome text, category text, skipped_reason text, failure jsonb,
      provider_message_id text, worker text)
    ON CONFLICT (delivery_id, round, seq) DO NOTHING
  )
  SELECT id FROM updated`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class RoundAbort extends Error {
  constructor(readonly why: string) {
    super(why);
    this.name = 'RoundAbort';
  }
}

/**
 * Takes delivery jobs from the queue and runs one round per job: walk the chain once through the process
 * mailer, then write the attempts and the verdict (SENT, FAILED, or RETRYING with the next round enqueued
 * in the same transaction).
 *
 * Before a round sends anything the delivery is marked SENDING by this worker. A round that finds a
 * delivery still SENDING knows the previous round's worker died mid-send, and records that round as
 * AMBIGUOUS (the message may have gone out) before sending again: delivery is at least once, and a
 * possible duplicate is visible in the log.
 */
export class DeliveryWorker {
  readonly workerId = `${hostname()}:${process.pid}`;
  private readonly sql: SqlExecutor;
  private inFlight = 0;
  private stopping = false;
  private loopDone: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private woken = false;
  /** The last fetch filled every free slot: more jobs are probably waiting. */
  private backlog = false;
  private deadLetterTimer: NodeJS.Timeout | null = null;
  private readonly controllers = new Map<string, AbortController>();
  private readonly idle = new Set<() => void>();
  private finishedJobs: string[] = [];
  private finishTimer: NodeJS.Timeout | null = null;
  private readonly domainCache = new Map<Channel, { domain: string | undefined; at: number }>();
  private pendingWrites: PendingWrite[] = [];
  private writing = false;

  constructor(private readonly deps: DeliveryWorkerDeps) {
    this.sql = dataSourceExecutor(deps.dataSource);
  }

  start(): void {
    if (this.loopDone) return;
    this.loopDone = this.loop();
    this.deadLetterTimer = setInterval(
      () => void this.sweepDeadLetters(),
      this.deps.settings.deadLetterIntervalMs,
    );
    this.deadLetterTimer.unref();
  }

  /** Looks for jobs now instead of at the next poll (a delivery was just enqueued in this process). */
  notify(): void {
    const wake = this.wake;
    this.wake = null;
    if (wake) wake();
    // Not waiting right now (a fetch is running): look again before the next wait.
    else this.woken = true;
  }

  /**
   * Stops taking jobs and lets the rounds in flight finish for up to `drainMs`; rounds still running then
   * are aborted and recorded as interrupted (AMBIGUOUS, retried at once), so nothing is left SENDING by a
   * clean shutdown.
   */
  async stop(drainMs: number): Promise<void> {
    this.stopping = true;
    if (this.deadLetterTimer) clearInterval(this.deadLetterTimer);
    this.notify();
    await this.loopDone;
    if (!(await this.waitIdle(drainMs))) {
      for (const controller of this.controllers.values())
        controller.abort(new RoundAbort('the worker was shutting down'));
      await this.waitIdle(15_000);
    }
    await this.flushFinished();
  }

  private waitIdle(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.idle.delete(done);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.idle.delete(done);
        resolve(false);
      }, timeoutMs);
      this.idle.add(done);
    });
  }

  private async loop(): Promise<void> {
    const { concurrency, pollIntervalMs } = this.deps.settings;
    while (!this.stopping) {
      this.woken = false;
      const room = concurrency - this.inFlight;
      let full = false;
      if (room >= this.fetchThreshold()) {
        let jobs: QueuedJob[] = [];
        try {
          jobs = await this.deps.queue.fetch(room);
        } catch (error) {
          this.deps.logger.warn({ err: error }, 'fetching delivery jobs failed');
        }
        if (jobs.length > 0) {
          this.inFlight += jobs.length;
          void this.runJobs(jobs);
          full = jobs.length === room;
        }
        this.backlog = full;
        if (jobs.length > 0 && !full) continue;
      }
      if (this.stopping) break;
      if (this.woken) continue;
      // With no room, a finishing round wakes us; with an empty queue, the poll timer or an enqueue does.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.wake = null;
          resolve();
        }, pollIntervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /**
   * The free slots worth a fetch. With a backlog, slots are refilled in chunks of half the concurrency: each
   * fetch, claim and write then carries many rounds (the rounds still in flight keep the providers busy).
   */
  private fetchThreshold(): number {
    return this.backlog ? Math.max(1, Math.floor(this.deps.settings.concurrency / 2)) : 1;
  }

  private finishOne(): void {
    this.inFlight--;
    if (this.inFlight === 0) for (const done of [...this.idle]) done();
    if (this.backlog && this.deps.settings.concurrency - this.inFlight >= this.fetchThreshold())
      this.notify();
  }

  private async runJobs(jobs: QueuedJob[]): Promise<void> {
    let claimed: ClaimedDelivery[];
    try {
      claimed = await this.claim(jobs);
    } catch (error) {
      this.deps.logger.warn(
        { err: error, jobs: jobs.length },
        'claiming deliveries failed; the jobs go back to the queue',
      );
      await Promise.allSettled(jobs.map((job) => this.deps.queue.fail(job.jobId, 'claim failed')));
      for (let i = 0; i < jobs.length; i++) this.finishOne();
      return;
    }
    const claimedJobs = new Set(claimed.map((delivery) => delivery.jobId));
    for (const job of jobs) {
      if (claimedJobs.has(job.jobId)) continue;
      // Stale: the delivery finished, moved on to another job, or was purged.
      this.finishLater(job.jobId);
      this.finishOne();
    }
    await Promise.all(
      claimed.map((delivery) =>
        this.runRound(delivery)
          .catch((error: unknown) => {
            this.deps.logger.error(
              { err: error, deliveryId: delivery.id },
              'delivery round failed unexpectedly',
            );
          })
          .finally(() => this.finishOne()),
      ),
    );
  }

  /**
   * Marks the jobs' deliveries SENDING for this worker in one transaction. A delivery found SENDING was
   * being sent by a worker that stopped before writing the outcome: that round is recorded as AMBIGUOUS.
   */
  private async claim(jobs: QueuedJob[]): Promise<ClaimedDelivery[]> {
    const defaultDomain = messageIdDomain(await this.messageIdDomain('DEFAULT'));
    const crmDomain = messageIdDomain(await this.messageIdDomain('CRM'));
    // The message of each interrupted round is written by the statement itself (it names worker and round).
    const { message: _message, ...ambiguous } = ambiguousFailure('');
    const { rows } = await this.sql.executeSql<ClaimRow>(CLAIM, [
      jobs.map((job) => job.deliveryId),
      jobs.map((job) => job.jobId),
      jobs.map(() => randomUUID()),
      this.workerId,
      defaultDomain,
      crmDomain,
      JSON.stringify(ambiguous),
    ]);
    return rows.map((row) => ({
      jobId: row.job_id ?? '',
      id: row.id,
      round: row.rounds,
      channel: row.channel,
      windowStartedAt: new Date(row.window_started_at),
      message: messageOf(row, row.message_id ?? `<${randomUUID()}@${defaultDomain}>`),
    }));
  }

  /** The Message-ID domain a send on this channel would get (the first provider's From domain), cached briefly. */
  private async messageIdDomain(channel: Channel): Promise<string | undefined> {
    const cached = this.domainCache.get(channel);
    if (cached && Date.now() - cached.at < 10_000) return cached.domain;
    let domain: string | undefined;
    try {
      const chain = await this.deps.mailer().chain(channel);
      const fromEmail = chain[0]?.fromEmail;
      domain =
        fromEmail && isAddrSpec(fromEmail) ? fromEmail.slice(fromEmail.lastIndexOf('@') + 1) : undefined;
    } catch {
      domain = undefined;
    }
    this.domainCache.set(channel, { domain, at: Date.now() });
    return domain;
  }

  private async runRound(delivery: ClaimedDelivery): Promise<void> {
    const controller = new AbortController();
    this.controllers.set(delivery.id, controller);
    const budgetMs = Math.max(1000, this.deps.settings.jobTimeoutSeconds * 700);
    const timer = setTimeout(
      () => controller.abort(new RoundAbort(`the round took longer than ${Math.round(budgetMs / 1000)} s`)),
      budgetMs,
    );
    const startedAt = new Date();
    let outcome: RoundOutcome;
    try {
      const result = await this.deps.mailer().send(delivery.message, {
        channel: delivery.channel,
        signal: controller.signal,
      });
      outcome = { kind: 'result', result };
    } catch (error) {
      if (controller.signal.aborted) {
        const reason: unknown = controller.signal.reason;
        const why = reason instanceof RoundAbort ? reason.why : 'the round was aborted';
        outcome = { kind: 'interrupted', why, startedAt, durationMs: Date.now() - startedAt.getTime() };
      } else if (error instanceof MessageValidationError) {
        outcome = { kind: 'invalid', problem: error.message };
      } else {
        outcome = { kind: 'error', problem: error instanceof Error ? error.message : String(error) };
        this.deps.logger.warn({ err: error, deliveryId: delivery.id }, 'delivery round could not run');
      }
    } finally {
      clearTimeout(timer);
      this.controllers.delete(delivery.id);
    }
    await this.record(delivery, outcome);
  }

  /**
   * Writes the round's outcome. A database that is briefly unreachable (a restart) is waited for, so the
   * outcome of a send that happened is not lost; if it stays away past the job's lifetime, the job expires
   * and the next round records this one as AMBIGUOUS instead.
   */
  private async record(delivery: ClaimedDelivery, outcome: RoundOutcome): Promise<void> {
    const deadline = Date.now() + this.deps.settings.jobTimeoutSeconds * 250;
    for (let wait = 250; ; wait = Math.min(wait * 2, 4000)) {
      try {
        const status = await this.submitOutcome(delivery, outcome);
        this.finishLater(delivery.jobId);
        this.afterRecorded(outcome, status);
        return;
      } catch (error) {
        if (Date.now() + wait > deadline) {
          this.deps.logger.error(
            { err: error, deliveryId: delivery.id },
            'could not record a delivery round; the job will expire and the round counts as interrupted',
          );
          return;
        }
        this.deps.logger.warn(
          { err: error, deliveryId: delivery.id, retryInMs: wait },
          'recording a round failed; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  private afterRecorded(outcome: RoundOutcome, status: DeliveryStatus | null): void {
    const hooks = this.deps.hooks;
    if (!hooks || status === null) return;
    if (outcome.kind === 'result') {
      hooks.onAttempts?.(outcome.result.attempts);
      const first = outcome.result.attempts[0];
      const last = outcome.result.attempts[outcome.result.attempts.length - 1];
      if (outcome.result.ok && first && last && first !== last && first.outcome !== 'SENT') {
        hooks.onFallback?.(first, last);
      }
    }
    if (status === 'SENT' || status === 'FAILED') hooks.onFinished?.(status);
  }

  /**
   * Queues the round's outcome for the next batched write. Rounds that finish while a write is running are
   * written together by the next one: at high rates one statement records many deliveries.
   */
  private submitOutcome(delivery: ClaimedDelivery, outcome: RoundOutcome): Promise<DeliveryStatus | null> {
    const verdict = this.verdict(delivery, outcome);
    const row: OutcomeRow = {
      id: delivery.id,
      job_id: delivery.jobId,
      round: delivery.round,
      status: verdict.status,
      next_attempt_at: verdict.nextAttemptAt?.toISOString() ?? null,
      next_job_id: verdict.status === 'RETRYING' ? randomUUID() : null,
      delivered_by_provider_id: verdict.deliveredById,
      delivered_by_provider_name: verdict.deliveredByName,
      provider_message_id: verdict.providerMessageId,
      rejected_recipients: verdict.rejected,
      failure: verdict.failure,
      failure_reason: verdict.reason,
      attempts: attemptRecords(outcome, this.workerId),
    };
    return new Promise((resolve, reject) => {
      this.pendingWrites.push({ row, resolve, reject });
      this.startWrites();
    });
  }

  private startWrites(): void {
    if (this.writing || this.pendingWrites.length === 0) return;
    this.writing = true;
    if (this.pendingWrites.length >= MAX_WRITE_BATCH || this.stopping) this.writeBatch();
    else setTimeout(() => this.writeBatch(), WRITE_GATHER_MS);
  }

  private writeBatch(): void {
    const batch = this.pendingWrites.splice(0, MAX_WRITE_BATCH);
    this.writeOutcomes(batch.map((entry) => entry.row))
      .then(
        (written) => {
          for (const entry of batch) entry.resolve(written.has(entry.row.id) ? entry.row.status : null);
        },
        (error: unknown) => {
          for (const entry of batch) entry.reject(error);
        },
      )
      .finally(() => {
        this.writing = false;
        this.startWrites();
      });
  }

  /**
   * Writes verdicts and attempts of many rounds in one statement, and the next rounds' jobs (RETRYING) in
   * the same transaction. A delivery no longer SENDING under the job that ran the round is left alone.
   * Returns the ids written.
   */
  private async writeOutcomes(rows: OutcomeRow[]): Promise<Set<string>> {
    const write = async (sql: SqlExecutor): Promise<Set<string>> => {
      const { rows: updated } = await sql.executeSql<{ id: string }>(WRITE_OUTCOMES, [JSON.stringify(rows)]);
      const written = new Set(updated.map((row) => row.id));
      const jobs = rows.flatMap((row) =>
        written.has(row.id) && row.next_job_id !== null && row.next_attempt_at !== null
          ? [{ jobId: row.next_job_id, deliveryId: row.id, startAfter: new Date(row.next_attempt_at) }]
          : [],
      );
      await this.deps.queue.enqueue(sql, jobs);
      return written;
    };
    // One statement is atomic by itself; a retry's job needs a transaction around both writes.
    return rows.some((row) => row.next_job_id !== null)
      ? inTransaction(this.deps.dataSource, write)
      : write(this.sql);
  }

  private verdict(delivery: ClaimedDelivery, outcome: RoundOutcome): Verdict {
    const base: Verdict = {
      status: 'FAILED',
      nextAttemptAt: null,
      deliveredById: null,
      deliveredByName: null,
      providerMessageId: null,
      rejected: [],
      failure: null,
      reason: null,
    };
    if (outcome.kind === 'result' && outcome.result.ok) {
      const sent = [...outcome.result.attempts].reverse().find((attempt) => attempt.outcome === 'SENT');
      return {
        ...base,
        status: 'SENT',
        deliveredById:
          outcome.result.deliveredBy && UUID.test(outcome.result.deliveredBy)
            ? outcome.result.deliveredBy
            : null,
        deliveredByName: sent?.providerName ?? null,
        providerMessageId: sent?.providerMessageId ?? null,
        rejected: outcome.result.rejectedRecipients,
      };
    }
    if (outcome.kind === 'invalid') {
      return { ...base, reason: `The stored message cannot be sent: ${outcome.problem}` };
    }
    const failure = outcome.kind === 'result' ? (outcome.result.failure ?? null) : null;
    if (failure && !failure.retryable) {
      return {
        ...base,
        failure,
        reason: `${failure.category}: ${failure.message} — ${failure.hint.en}`,
      };
    }
    const why =
      outcome.kind === 'interrupted'
        ? `The round was interrupted (${outcome.why}); the message may have been delivered and is sent again.`
        : outcome.kind === 'error'
          ? `The round could not run: ${outcome.problem}`
          : failure
            ? `${failure.category}: ${failure.message} — ${failure.hint.en}`
            : 'No provider delivered the message.';
    const windowOpen = Date.now() < delivery.windowStartedAt.getTime() + this.deps.settings.retry.windowMs;
    if (outcome.kind === 'interrupted' && windowOpen) {
      // Not the providers' fault: try again at once rather than waiting out a backoff.
      return {
        ...base,
        status: 'RETRYING',
        nextAttemptAt: new Date(Date.now() + 1000),
        failure,
        reason: why,
      };
    }
    const plan = planRetry(delivery.windowStartedAt, delivery.round, new Date(), this.deps.settings.retry);
    if (!plan.retry) {
      const hours = Math.round((this.deps.settings.retry.windowMs / 3_600_000) * 10) / 10;
      return {
        ...base,
        failure,
        reason: `Gave up after ${delivery.round} round(s) over ${hours} h. Last: ${why}`,
      };
    }
    return { ...base, status: 'RETRYING', nextAttemptAt: plan.at, failure, reason: why };
  }

  private finishLater(jobId: string): void {
    this.finishedJobs.push(jobId);
    if (this.finishedJobs.length >= 100) {
      void this.flushFinished();
      return;
    }
    if (this.finishTimer) return;
    this.finishTimer = setTimeout(() => void this.flushFinished(), 20);
  }

  /** Removing a finished round's job is only housekeeping: a job left active expires, is found stale and removed. */
  private async flushFinished(): Promise<void> {
    if (this.finishTimer) {
      clearTimeout(this.finishTimer);
      this.finishTimer = null;
    }
    const ids = this.finishedJobs;
    this.finishedJobs = [];
    try {
      await this.deps.queue.finish(ids);
    } catch (error) {
      this.deps.logger.warn(
        { err: error, jobs: ids.length },
        'removing finished delivery jobs failed; they will expire',
      );
    }
  }

  /** Deliveries whose job died too often end FAILED with the reason, instead of staying in limbo. */
  private async sweepDeadLetters(): Promise<void> {
    try {
      const dead = await this.deps.queue.fetchDead(100);
      if (dead.length === 0) return;
      const { message: _message, ...ambiguous } = ambiguousFailure('');
      await this.sql.executeSql(GIVE_UP, [
        dead.map((job) => job.deliveryId),
        dead.map((job) => job.jobId),
        JSON.stringify(ambiguous),
      ]);
      await this.deps.queue.finishDead(dead.map((job) => job.deadJobId));
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'sweeping dead delivery jobs failed');
    }
  }
}

interface Verdict {
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  deliveredById: string | null;
  deliveredByName: string | null;
  providerMessageId: string | null;
  rejected: unknown[];
  failure: Failure | null;
  reason: string | null;
}

/** The domain part of a generated Message-ID: the first provider's From domain, else this host's name. */
function messageIdDomain(domain: string | undefined): string {
  if (domain && /^[A-Za-z0-9.-]+$/.test(domain)) return domain;
  return hostname().replace(/[^A-Za-z0-9.-]/g, '') || 'localhost';
}

function messageOf(row: ClaimRow, messageId: string): Message {
  const message: Message = { to: row.to_addresses, subject: row.subject, messageId };
  if (row.cc_addresses.length > 0) message.cc = row.cc_addresses;
  if (row.bcc_addresses.length > 0) message.bcc = row.bcc_addresses;
  if (row.reply_to !== null) message.replyTo = row.reply_to;
  if (row.text_body !== null) message.text = row.text_body;
  if (row.html_body !== null) message.html = row.html_body;
  return message;
}

function ambiguousFailure(message: string): Failure {
  return {
    category: 'AMBIGUOUS',
    fallback: true,
    countsAgainstHealth: false,
    retryable: true,
    possibleDuplicate: true,
    message,
    hint: {
      en: 'The message may have reached a provider before the round stopped, so the recipient may get it twice. Nothing to fix unless it happens often: then look at why workers stop.',
      tr: 'İleti, tur durmadan önce bir sağlayıcıya ulaşmış olabilir; alıcı onu iki kez alabilir. Sık olmadıkça yapılacak bir şey yok; sık oluyorsa çalışanların neden durduğuna bakın.',
    },
  };
}

function attemptRecords(outcome: RoundOutcome, worker: string): AttemptRecord[] {
  if (outcome.kind === 'interrupted') {
    return [
      {
        seq: 1,
        provider_id: null,
        provider_name: '(interrupted round)',
        started_at: outcome.startedAt.toISOString(),
        duration_ms: Math.max(0, Math.round(outcome.durationMs)),
        outcome: 'FAILED',
        category: 'AMBIGUOUS',
        skipped_reason: null,
        failure: ambiguousFailure(
          `The round was stopped because ${outcome.why}; the message may have been delivered.`,
        ),
        provider_message_id: null,
        worker,
      },
    ];
  }
  if (outcome.kind !== 'result') return [];
  return outcome.result.attempts.map((attempt, index) => ({
    seq: index + 1,
    provider_id: UUID.test(attempt.providerId) ? attempt.providerId : null,
    provider_name: attempt.providerName,
    started_at: attempt.startedAt.toISOString(),
    duration_ms: Math.max(0, Math.round(attempt.durationMs)),
    outcome: attempt.outcome,
    category: attempt.failure?.category ?? null,
    skipped_reason: attempt.skippedReason ?? null,
    failure: attempt.failure ?? null,
    provider_message_id: attempt.providerMessageId ?? null,
    worker,
  }));
}
