import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  MessageValidationError,
  isAddrSpec,
  type Attempt,
  type Channel,
  type Mailer,
  type Message,
} from '@mail-providers/mailer-core';
import type { DataSource } from 'typeorm';
import type { DeliveryStatus } from '../entities/delivery.entity';
import type { Logger } from '../logger';
import type { DeliveryQueue } from './delivery-queue';
import { GIVE_UP, TAKE_ROUNDS } from './delivery-statements';
import { FailureStreak } from './failure-streak';
import type { MessageColumns } from './message-columns';
import { OutcomeWriter, type ClaimedRound } from './outcome-writer';
import type { RetryPolicy } from './retry-policy';
import { ambiguousFailure, type RoundOutcome } from './round-verdict';
import { dataSourceExecutor, type SqlExecutor } from './sql-executor';

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
  /** How the log names this worker; `host:pid` unless given (several workers in one process). */
  workerId?: string;
}

/** A delivery this worker holds for one round. */
interface ClaimedDelivery extends ClaimedRound {
  channel: Channel;
  message: Message;
}

/** A row of {@link TAKE_ROUNDS}: a job handed out, and its delivery's columns when it was claimed. */
type TakenRow = { handed_out_job_id: string } & (ClaimRow | { [column in keyof ClaimRow]: null });

interface ClaimRow extends MessageColumns {
  id: string;
  job_id: string;
  channel: Channel;
  /** Including the round being claimed. */
  rounds: number;
  message_id: string | null;
  window_started_at: Date;
}

/** The rounds one take got: claimed deliveries, and jobs handed out whose delivery no longer wanted them. */
interface Taken {
  claimed: ClaimedDelivery[];
  stale: string[];
}

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
 * delivery still SENDING knows the previous round's worker never recorded its outcome (it died mid-send,
 * or could not reach the database), and records that round as AMBIGUOUS (the message may have gone out)
 * before sending again: delivery is at least once, and a possible duplicate is visible in the log. The
 * outcomes are written by {@link OutcomeWriter}, fenced by round.
 */
export class DeliveryWorker {
  readonly workerId: string;
  private readonly sql: SqlExecutor;
  private readonly outcomes: OutcomeWriter;
  /** Rounds held: claimed, and not yet recorded. */
  private inFlight = 0;
  /** Of those, the rounds being claimed or sent (the rest wait for their outcome write). */
  private sending = 0;
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

  /** Polls fail for as long as the database is away: each outage is logged once, and its end. */
  private readonly fetching: FailureStreak;
  private readonly sweeping: FailureStreak;

  constructor(private readonly deps: DeliveryWorkerDeps) {
    this.workerId = deps.workerId ?? `${hostname()}:${process.pid}`;
    this.sql = dataSourceExecutor(deps.dataSource);
    this.outcomes = new OutcomeWriter({
      dataSource: deps.dataSource,
      queue: deps.queue,
      logger: deps.logger,
      workerId: this.workerId,
      retry: deps.settings.retry,
      jobTimeoutSeconds: deps.settings.jobTimeoutSeconds,
    });
    this.fetching = new FailureStreak(deps.logger, 'fetching delivery jobs');
    this.sweeping = new FailureStreak(deps.logger, 'sweeping dead delivery jobs');
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

  /** A provider was added, changed or removed: the Message-ID domains are looked up again. */
  providersChanged(): void {
    this.domainCache.clear();
  }

  /**
   * Stops taking jobs and lets the rounds in flight finish for up to `drainMs`; rounds still running then
   * are aborted and recorded as interrupted (AMBIGUOUS, retried at once), so nothing is left SENDING by a
   * clean shutdown. Outcomes still waiting then for a database that cannot be reached are given up: their
   * rounds count as cut, and this worker did stop.
   */
  async stop(drainMs: number): Promise<void> {
    this.stopping = true;
    this.outcomes.drain();
    if (this.deadLetterTimer) clearInterval(this.deadLetterTimer);
    this.notify();
    await this.loopDone;
    if (!(await this.waitIdle(drainMs))) {
      for (const controller of this.controllers.values())
        controller.abort(new RoundAbort('the worker was shutting down'));
      this.outcomes.abandon();
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
    const { pollIntervalMs } = this.deps.settings;
    while (!this.stopping) {
      this.woken = false;
      const room = this.room();
      let full = false;
      if (room >= this.fetchThreshold()) {
        let taken: Taken = { claimed: [], stale: [] };
        try {
          taken = await this.take(room);
          this.fetching.succeeded();
        } catch (error) {
          this.fetching.failed(error);
        }
        for (const jobId of taken.stale) this.finishLater(jobId);
        const rounds = taken.claimed.length;
        if (rounds > 0) {
          this.inFlight += rounds;
          this.sending += rounds;
          for (const delivery of taken.claimed) void this.runClaimed(delivery);
        }
        full = rounds + taken.stale.length === room;
        this.backlog = full;
      }
      if (this.stopping) break;
      // Woken during the fetch: what was announced meanwhile may not have been in it.
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

  /**
   * Sending slots free for new rounds: `concurrency` rounds send at once. A round that has sent frees its
   * slot before its outcome is written, so the write's wait (the gather delay and the statement) does not
   * leave the providers' sessions without the next message. The rounds held in all, waiting for their write
   * included, stay within twice the concurrency: when writes lag (a slow database), nothing new is taken.
   */
  private room(): number {
    const { concurrency } = this.deps.settings;
    return Math.max(0, Math.min(concurrency - this.sending, 2 * concurrency - this.inFlight));
  }

  private sendingDone(): void {
    this.sending--;
    this.wakeIfRoom();
  }

  private finishOne(): void {
    this.inFlight--;
    if (this.inFlight === 0) for (const done of [...this.idle]) done();
    this.wakeIfRoom();
  }

  private wakeIfRoom(): void {
    if (this.backlog && this.room() >= this.fetchThreshold()) this.notify();
  }

  private async runClaimed(delivery: ClaimedDelivery): Promise<void> {
    try {
      await this.runRound(delivery);
    } catch (error) {
      this.deps.logger.error({ err: error, deliveryId: delivery.id }, 'delivery round failed unexpectedly');
    } finally {
      this.finishOne();
    }
  }

  /**
   * Takes up to `max` rounds: hands out due jobs and marks their deliveries SENDING for this worker, in one
   * statement. A delivery found SENDING was being sent by a worker that stopped before writing the outcome:
   * that round is recorded as AMBIGUOUS.
   */
  private async take(max: number): Promise<Taken> {
    const defaultDomain = messageIdDomain(await this.messageIdDomain('DEFAULT'));
    const crmDomain = messageIdDomain(await this.messageIdDomain('CRM'));
    // The message of each interrupted round is written by the statement itself (it names worker and round).
    const { message: _message, ...ambiguous } = ambiguousFailure('');
    const { rows } = await this.sql.executeSql<TakenRow>(TAKE_ROUNDS, [
      max,
      this.workerId,
      defaultDomain,
      crmDomain,
      JSON.stringify(ambiguous),
    ]);
    const taken: Taken = { claimed: [], stale: [] };
    for (const row of rows) {
      if (row.id === null) {
        taken.stale.push(row.handed_out_job_id);
        continue;
      }
      taken.claimed.push({
        jobId: row.job_id,
        id: row.id,
        round: row.rounds,
        channel: row.channel,
        windowStartedAt: new Date(row.window_started_at),
        message: messageOf(row, row.message_id ?? `<${randomUUID()}@${defaultDomain}>`),
      });
    }
    return taken;
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
    let outcome: RoundOutcome;
    try {
      outcome = await this.send(delivery);
    } finally {
      this.sendingDone();
    }
    this.afterRecorded(outcome, await this.outcomes.record(delivery, outcome));
  }

  /** Walks the chain once for the delivery, within the round's time budget. */
  private async send(delivery: ClaimedDelivery): Promise<RoundOutcome> {
    const controller = new AbortController();
    const key = `${delivery.id}:${delivery.round}`;
    this.controllers.set(key, controller);
    const budgetMs = Math.max(1000, this.deps.settings.jobTimeoutSeconds * 700);
    const timer = setTimeout(
      () => controller.abort(new RoundAbort(`the round took longer than ${Math.round(budgetMs / 1000)} s`)),
      budgetMs,
    );
    const startedAt = new Date();
    try {
      const result = await this.deps.mailer().send(delivery.message, {
        channel: delivery.channel,
        signal: controller.signal,
      });
      return { kind: 'result', result };
    } catch (error) {
      if (controller.signal.aborted) {
        const reason: unknown = controller.signal.reason;
        const why = reason instanceof RoundAbort ? reason.why : 'the round was aborted';
        return { kind: 'interrupted', why, startedAt, durationMs: Date.now() - startedAt.getTime() };
      }
      if (error instanceof MessageValidationError) return { kind: 'invalid', problem: error.message };
      this.deps.logger.warn({ err: error, deliveryId: delivery.id }, 'delivery round could not run');
      return { kind: 'error', problem: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
      this.controllers.delete(key);
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

  private finishLater(jobId: string): void {
    this.finishedJobs.push(jobId);
    if (this.finishedJobs.length >= 100) {
      void this.flushFinished();
      return;
    }
    if (this.finishTimer) return;
    this.finishTimer = setTimeout(() => void this.flushFinished(), 20);
  }

  /**
   * Removes the jobs of rounds that ended without an outcome to write (stale jobs). Only housekeeping: a job
   * left active expires, is found stale and removed.
   */
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
      if (dead.length > 0) {
        const { message: _message, ...ambiguous } = ambiguousFailure('');
        await this.sql.executeSql(GIVE_UP, [
          dead.map((job) => job.deliveryId),
          dead.map((job) => job.jobId),
          JSON.stringify(ambiguous),
        ]);
        await this.deps.queue.finishDead(dead.map((job) => job.deadJobId));
      }
      this.sweeping.succeeded();
    } catch (error) {
      this.sweeping.failed(error);
    }
  }
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
