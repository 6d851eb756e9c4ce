import { hostname } from 'node:os';
import type { Attempt, Mailer } from '@mail-providers/mailer-core';
import type { DataSource } from 'typeorm';
import type { DeliveryStatus } from '../entities/delivery.entity';
import type { Logger } from '../logger';
import { FailureStreak } from './failure-streak';
import { MessageIdDomains } from './message-id-domains';
import { OutcomeWriter } from './outcome-writer';
import type { RetryPolicy } from './retry-policy';
import { RoundClaimer, type ClaimedDelivery } from './round-claimer';
import { RoundSender } from './round-sender';
import type { RoundOutcome } from './round-verdict';
import { dataSourceExecutor } from './sql-executor';

export interface DeliveryWorkerSettings {
  retry: RetryPolicy;
  /** How long a claim holds its delivery before another worker may take it over. */
  leaseSeconds: number;
  /** Leases that may expire in a row before a delivery is no longer claimed (the lease sweep gives it up). */
  crashRetryLimit: number;
  concurrency: number;
  pollIntervalMs: number;
}

/** What the worker tells the rest of the server about finished rounds (metrics, alerts). */
export interface DeliveryWorkerHooks {
  onAttempts?(attempts: Attempt[]): void;
  onFinished?(status: 'SENT' | 'FAILED'): void;
  /** A later provider delivered because the first one of the chain failed or was skipped. */
  onFallback?(primary: Attempt, deliveredBy: Attempt): void;
  /** The last round held was recorded: the worker has no mail in flight. */
  onIdle?(): void;
}

export interface DeliveryWorkerDeps {
  dataSource: DataSource;
  mailer: () => Mailer;
  settings: DeliveryWorkerSettings;
  logger: Logger;
  hooks?: DeliveryWorkerHooks;
  /** How the log names this worker; `host:pid` unless given (several workers in one process). */
  workerId?: string;
}

/**
 * Claims due deliveries and runs one round for each: walk the chain once through the process mailer,
 * then write the attempts and the verdict (SENT, FAILED, or RETRYING with its next attempt time).
 *
 * This class holds the loop and the sending slots; the claim is {@link RoundClaimer}'s, the send
 * {@link RoundSender}'s, the outcome write {@link OutcomeWriter}'s (fenced by round).
 *
 * A claim marks the delivery SENDING by this worker, with a lease, before anything is sent. When the
 * lease expires first (the worker died mid-send, or could not reach the database), another claim takes
 * the delivery over and records the cut round as AMBIGUOUS (the message may have gone out) before sending
 * again: delivery is at least once, and a possible duplicate is visible in the log.
 */
export class DeliveryWorker {
  readonly workerId: string;
  private readonly claimer: RoundClaimer;
  private readonly sender: RoundSender;
  private readonly outcomes: OutcomeWriter;
  private readonly domains: MessageIdDomains;
  /** Rounds held: claimed, and not yet recorded. */
  private inFlight = 0;
  /** Of those, the rounds being claimed or sent (the rest wait for their outcome write). */
  private sending = 0;
  private stopping = false;
  private loopDone: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private woken = false;
  /** The last claim filled every free slot: more deliveries are probably due. */
  private backlog = false;
  private readonly idle = new Set<() => void>();

  /** Claims fail for as long as the database is away: each outage is logged once, and its end. */
  private readonly claiming: FailureStreak;

  constructor(private readonly deps: DeliveryWorkerDeps) {
    this.workerId = deps.workerId ?? `${hostname()}:${process.pid}`;
    const { settings } = deps;
    this.domains = new MessageIdDomains(deps.mailer);
    this.claimer = new RoundClaimer(dataSourceExecutor(deps.dataSource), this.domains, {
      workerId: this.workerId,
      leaseSeconds: settings.leaseSeconds,
      crashRetryLimit: settings.crashRetryLimit,
    });
    this.sender = new RoundSender({
      mailer: deps.mailer,
      logger: deps.logger,
      leaseSeconds: settings.leaseSeconds,
    });
    this.outcomes = new OutcomeWriter({
      dataSource: deps.dataSource,
      logger: deps.logger,
      workerId: this.workerId,
      retry: settings.retry,
      leaseSeconds: settings.leaseSeconds,
    });
    this.claiming = new FailureStreak(deps.logger, 'claiming deliveries');
  }

  start(): void {
    if (this.loopDone) return;
    this.loopDone = this.loop();
  }

  /** Whether rounds are held: claimed, and not yet recorded. */
  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Claims now instead of at the next poll (a delivery was just accepted). */
  notify(): void {
    const wake = this.wake;
    this.wake = null;
    if (wake) wake();
    // Not waiting right now (a claim is running): look again before the next wait.
    else this.woken = true;
  }

  /** A provider was added, changed or removed: the Message-ID domains are looked up again. */
  providersChanged(): void {
    this.domains.forget();
  }

  /**
   * Stops claiming and lets the rounds in flight finish for up to `drainMs`; rounds still running then
   * are aborted and recorded as interrupted (AMBIGUOUS, retried at once), so nothing is left SENDING by a
   * clean shutdown. Outcomes still waiting then for a database that cannot be reached are given up: their
   * rounds count as cut, and this worker did stop.
   */
  async stop(drainMs: number): Promise<void> {
    this.stopping = true;
    this.outcomes.drain();
    this.notify();
    await this.loopDone;
    if (!(await this.waitIdle(drainMs))) {
      this.sender.abortAll('the worker was shutting down');
      this.outcomes.abandon();
      await this.waitIdle(15_000);
    }
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
      if (room >= this.claimThreshold()) {
        let claimed: ClaimedDelivery[] = [];
        try {
          claimed = await this.claimer.claim(room);
          this.claiming.succeeded();
        } catch (error) {
          this.claiming.failed(error);
        }
        if (claimed.length > 0) {
          this.inFlight += claimed.length;
          this.sending += claimed.length;
          for (const delivery of claimed) void this.runClaimed(delivery);
        }
        this.backlog = claimed.length === room;
      }
      if (this.stopping) break;
      // Woken during the claim: what was announced meanwhile may not have been in it.
      if (this.woken) continue;
      // With no room, a finishing round wakes us; with nothing due, the poll timer or new mail does.
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
   * The free slots worth a claim. With a backlog, slots are refilled in chunks of half the concurrency:
   * each claim and write then carries many rounds (the rounds still in flight keep the providers busy).
   */
  private claimThreshold(): number {
    return this.backlog ? Math.max(1, Math.floor(this.deps.settings.concurrency / 2)) : 1;
  }

  /**
   * Sending slots free for new rounds: `concurrency` rounds send at once. A round that has sent frees its
   * slot before its outcome is written, so the write's wait (the gather delay and the statement) does not
   * leave the providers' sessions without the next message. The rounds held in all, waiting for their write
   * included, stay within twice the concurrency: when writes lag (a slow database), nothing new is claimed.
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
    if (this.inFlight === 0) {
      for (const done of [...this.idle]) done();
      this.deps.hooks?.onIdle?.();
    }
    this.wakeIfRoom();
  }

  private wakeIfRoom(): void {
    if (this.backlog && this.room() >= this.claimThreshold()) this.notify();
  }

  private async runClaimed(delivery: ClaimedDelivery): Promise<void> {
    try {
      let outcome: RoundOutcome;
      try {
        outcome = await this.sender.send(delivery);
      } finally {
        this.sendingDone();
      }
      this.afterRecorded(outcome, await this.outcomes.record(delivery, outcome));
    } catch (error) {
      this.deps.logger.error({ err: error, deliveryId: delivery.id }, 'delivery round failed unexpectedly');
    } finally {
      this.finishOne();
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
}
