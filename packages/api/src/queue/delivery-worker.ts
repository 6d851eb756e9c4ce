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

interface ClaimRow {
  id: string;
  job_id: string | null;
  status: DeliveryStatus;
  channel: Channel;
  rounds: number;
  message_id: string | null;
  sending_since: Date | null;
  sending_worker: string | null;
  to_addresses: string[];
  cc_addresses: string[];
  bcc_addresses: string[];
  reply_to: string | null;
  subject: string;
  text_body: string | null;
  html_body: string | null;
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
  private deadLetterTimer: NodeJS.Timeout | null = null;
  private readonly controllers = new Map<string, AbortController>();
  private readonly idle = new Set<() => void>();
  private pendingCompletions: string[] = [];
  private completionTimer: NodeJS.Timeout | null = null;
  private readonly domainCache = new Map<Channel, { domain: string | undefined; at: number }>();

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
    wake?.();
  }

  /** Rounds being worked on in this process. */
  get busy(): number {
    return this.inFlight;
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
    await this.flushCompletions();
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
      const room = concurrency - this.inFlight;
      let full = false;
      if (room > 0) {
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
        if (jobs.length > 0 && !full) continue;
      }
      if (this.stopping) break;
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

  private finishOne(): void {
    this.inFlight--;
    if (this.inFlight === 0) for (const done of [...this.idle]) done();
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
      this.completeLater(job.jobId);
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
    const domains = new Map<Channel, string | undefined>();
    for (const channel of ['DEFAULT', 'CRM'] as const)
      domains.set(channel, await this.messageIdDomain(channel));
    return inTransaction(this.deps.dataSource, async (sql) => {
      const { rows } = await sql.executeSql<ClaimRow>(
        `SELECT id, job_id, status, channel, rounds, message_id, sending_since, sending_worker, to_addresses,
                cc_addresses, bcc_addresses, reply_to, subject, text_body, html_body, window_started_at
         FROM deliveries WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
        [jobs.map((job) => job.deliveryId)],
      );
      const jobFor = new Map(jobs.map((job) => [job.deliveryId, job.jobId]));
      const claimable = rows.filter(
        (row) =>
          row.job_id !== null &&
          row.job_id === jobFor.get(row.id) &&
          (row.status === 'QUEUED' || row.status === 'RETRYING' || row.status === 'SENDING'),
      );
      if (claimable.length === 0) return [];

      const interrupted = claimable.filter((row) => row.status === 'SENDING');
      if (interrupted.length > 0) {
        await sql.executeSql(
          `INSERT INTO delivery_attempts (delivery_id, round, seq, provider_id, provider_name, started_at, duration_ms,
                                          outcome, category, failure, worker)
           SELECT x.id, x.round, 1, NULL, '(interrupted round)', x.started_at,
                  GREATEST(0, (extract(epoch FROM now() - x.started_at) * 1000)::int), 'FAILED', 'AMBIGUOUS', x.failure, x.worker
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, round int, started_at timestamptz, failure jsonb, worker text)
           ON CONFLICT (delivery_id, round, seq) DO NOTHING`,
          [JSON.stringify(interrupted.map((row) => interruptedRecord(row)))],
        );
      }

      const messageIds = claimable.map((row) => row.message_id ?? newMessageId(domains.get(row.channel)));
      await sql.executeSql(
        `UPDATE deliveries d SET status = 'SENDING', rounds = d.rounds + 1, sending_since = now(), sending_worker = $3,
                next_attempt_at = NULL, message_id = m.message_id, updated_at = now()
         FROM unnest($1::uuid[], $2::text[]) AS m(id, message_id) WHERE d.id = m.id`,
        [claimable.map((row) => row.id), messageIds, this.workerId],
      );
      return claimable.map((row, index) => ({
        jobId: row.job_id ?? '',
        id: row.id,
        round: row.rounds + 1,
        channel: row.channel,
        windowStartedAt: new Date(row.window_started_at),
        message: messageOf(row, messageIds[index] ?? newMessageId(undefined)),
      }));
    });
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
        const status = await this.writeOutcome(delivery, outcome);
        this.completeLater(delivery.jobId);
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

  /** One transaction: attempts, verdict, and the next round's job when there is one. Returns the new status, or null if the delivery was no longer ours. */
  private async writeOutcome(
    delivery: ClaimedDelivery,
    outcome: RoundOutcome,
  ): Promise<DeliveryStatus | null> {
    const attempts = attemptRecords(outcome, this.workerId);
    const verdict = this.verdict(delivery, outcome);
    return inTransaction(this.deps.dataSource, async (sql) => {
      const nextJobId = verdict.status === 'RETRYING' ? randomUUID() : null;
      const { rows } = await sql.executeSql<{ id: string }>(
        `UPDATE deliveries SET
           status = $3, updated_at = now(), sending_since = NULL, sending_worker = NULL,
           next_attempt_at = $4, job_id = COALESCE($5::uuid, job_id),
           sent_at = CASE WHEN $3 = 'SENT' THEN now() ELSE sent_at END,
           finished_at = CASE WHEN $3 IN ('SENT', 'FAILED') THEN now() ELSE NULL END,
           delivered_by_provider_id = $6, delivered_by_provider_name = $7, provider_message_id = $8,
           rejected_recipients = $9, failure = $10, failure_reason = $11
         WHERE id = $1 AND job_id = $2 AND status = 'SENDING'
         RETURNING id`,
        [
          delivery.id,
          delivery.jobId,
          verdict.status,
          verdict.nextAttemptAt,
          nextJobId,
          verdict.deliveredById,
          verdict.deliveredByName,
          verdict.providerMessageId,
          JSON.stringify(verdict.rejected),
          verdict.failure === null ? null : JSON.stringify(verdict.failure),
          verdict.reason,
        ],
      );
      if (rows.length === 0) return null;
      if (attempts.length > 0) {
        await sql.executeSql(
          `INSERT INTO delivery_attempts (delivery_id, round, seq, provider_id, provider_name, started_at, duration_ms,
                                          outcome, category, skipped_reason, failure, provider_message_id, worker)
           SELECT $1, $2, x.seq, x.provider_id, x.provider_name, x.started_at, x.duration_ms, x.outcome, x.category,
                  x.skipped_reason, x.failure, x.provider_message_id, x.worker
           FROM jsonb_to_recordset($3::jsonb) AS x(seq int, provider_id uuid, provider_name text, started_at timestamptz,
                duration_ms int, outcome text, category text, skipped_reason text, failure jsonb,
                provider_message_id text, worker text)
           ON CONFLICT (delivery_id, round, seq) DO NOTHING`,
          [delivery.id, delivery.round, JSON.stringify(attempts)],
        );
      }
      if (nextJobId !== null && verdict.nextAttemptAt !== null) {
        await this.deps.queue.enqueue(sql, [
          { jobId: nextJobId, deliveryId: delivery.id, startAfter: verdict.nextAttemptAt },
        ]);
      }
      return verdict.status;
    });
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
    if (outcome.kind === 'interrupted') {
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

  private completeLater(jobId: string): void {
    this.pendingCompletions.push(jobId);
    if (this.pendingCompletions.length >= 100) {
      void this.flushCompletions();
      return;
    }
    if (this.completionTimer) return;
    this.completionTimer = setTimeout(() => void this.flushCompletions(), 20);
  }

  /** Completing a job is only housekeeping: a job left active expires and is then found stale and completed. */
  private async flushCompletions(): Promise<void> {
    if (this.completionTimer) {
      clearTimeout(this.completionTimer);
      this.completionTimer = null;
    }
    const ids = this.pendingCompletions;
    this.pendingCompletions = [];
    try {
      await this.deps.queue.complete(ids);
    } catch (error) {
      this.deps.logger.warn(
        { err: error, jobs: ids.length },
        'completing delivery jobs failed; they will expire',
      );
    }
  }

  /** Deliveries whose job died too often end FAILED with the reason, instead of staying in limbo. */
  private async sweepDeadLetters(): Promise<void> {
    try {
      const dead = await this.deps.queue.fetchDead(100);
      if (dead.length === 0) return;
      await this.sql.executeSql(
        `UPDATE deliveries SET status = 'FAILED', finished_at = now(), updated_at = now(), sending_since = NULL,
                sending_worker = NULL, next_attempt_at = NULL,
                failure_reason = 'Its worker stopped or lost the database too many times while sending it; it was stopped so it cannot loop forever. Fix the cause, then retry it.'
         WHERE id = ANY($1::uuid[]) AND job_id = ANY($2::uuid[]) AND status IN ('QUEUED', 'SENDING', 'RETRYING')`,
        [dead.map((job) => job.deliveryId), dead.map((job) => job.jobId)],
      );
      await this.deps.queue.completeDead(dead.map((job) => job.jobId));
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

function newMessageId(domain: string | undefined): string {
  const host =
    domain && /^[A-Za-z0-9.-]+$/.test(domain)
      ? domain
      : hostname().replace(/[^A-Za-z0-9.-]/g, '') || 'localhost';
  return `<${randomUUID()}@${host}>`;
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

function interruptedRecord(row: ClaimRow): {
  id: string;
  round: number;
  started_at: string;
  failure: Failure;
  worker: string | null;
} {
  const since = row.sending_since ? new Date(row.sending_since) : new Date();
  return {
    id: row.id,
    round: row.rounds,
    started_at: since.toISOString(),
    worker: row.sending_worker,
    failure: ambiguousFailure(
      `The worker ${row.sending_worker ?? '(unknown)'} stopped during round ${row.rounds} before recording its outcome; the message may already have been delivered, and it is sent again.`,
    ),
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
