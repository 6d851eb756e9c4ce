import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { GroupCommit } from '../database/group-commit';
import type { Logger } from '../logger';
import { dataSourceExecutor, inTransaction, type SqlExecutor } from '../queue/sql-executor';
import type { PostOutcome } from './webhook-http';
import type { WebhookConfig } from './webhook-config';
import { nextAttemptAt } from './webhook-retry';
import {
  claimDue,
  giveUpExpired,
  insertAttempt,
  purgeSettled,
  recordDelivered,
  type DeliveredAttempt,
  recordFailure,
  settleFailed,
  type ClaimedMessage,
  type EndpointRow,
} from './webhook-store';

export interface DispatcherDeps {
  dataSource: DataSource;
  logger: Logger;
  settings: WebhookConfig & { pollIntervalMs: number };
  /**
   * Whether this process has mail in flight. Mail goes first: meanwhile only messages older than
   * `settings.mailFirstMs` are claimed; the rest wait until `mailDone` is called.
   */
  mailInFlight: () => boolean;
  /** Sends one claimed message to its endpoint. Never throws. */
  send: (message: ClaimedMessage) => Promise<PostOutcome>;
  /** An endpoint this process disabled for failing too long. */
  onDisabled: (endpoint: EndpointRow) => void;
  /** How long settled messages and test attempts are kept: the delivery log's retention. */
  retentionDays: () => Promise<number>;
}

/** The most delivered messages one statement records. */
const MAX_RECORD_BATCH = 200;

/** How often messages nobody will try again are given up, and old settled ones deleted. */
const SWEEP_MS = 60_000;

/** The words stored on an endpoint disabled for failing too long. */
export function disabledReason(disableAfterMs: number): string {
  const hours = disableAfterMs / 3_600_000;
  const span =
    hours >= 1 ? `${Number(hours.toFixed(1))} hours` : `${Math.round(disableAfterMs / 1000)} seconds`;
  return `Disabled after failing for more than ${span} without a success; fix the receiver, then enable the endpoint again.`;
}

/**
 * This process's webhook sender: claims due messages (see claimDue), sends a few at a time, records every
 * attempt, schedules retries with backoff until the retry window closes, and keeps each endpoint's
 * health. Mail goes first: while this process sends mail, new messages wait (see `mailInFlight`), so a
 * burst of mail is not slowed by the webhooks its events make; they follow as soon as it ends. A process
 * killed mid-send leaves its lease to run out; another claims the message again, so every event arrives at
 * least once, with the same `webhook-id`.
 */
export class WebhookDispatcher {
  readonly workerId = `webhooks-${randomUUID()}`;
  private readonly sql: SqlExecutor;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private lastSweep = 0;
  /** How many messages the last claim took. */
  private claimed = 0;
  /** A claim left young messages waiting for this process's mail (see `mailInFlight`). */
  private heldForMail = false;

  /** Delivered messages finishing close together are recorded by one statement. */
  private readonly delivered: GroupCommit<DeliveredAttempt, undefined>;

  constructor(private readonly deps: DispatcherDeps) {
    this.sql = dataSourceExecutor(deps.dataSource);
    this.delivered = new GroupCommit(
      async (attempts) => {
        await recordDelivered(this.sql, attempts);
        return attempts.map(() => undefined);
      },
      { maxWeight: MAX_RECORD_BATCH },
    );
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Looks for due messages now (new events were queued). */
  notify(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** This process has no more mail in flight: messages held back for it are sent now. */
  mailDone(): void {
    if (!this.heldForMail) return;
    this.heldForMail = false;
    this.notify();
  }

  /** Stops claiming and waits for a claim and the sends in flight (their leases keep the rest safe). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped || this.running) return;
      const running = this.tick().finally(() => {
        this.running = null;
        this.afterTick();
      });
      this.running = running;
    }, delayMs);
    this.timer.unref();
  }

  /** Claims what there is room for and starts sending it; never throws. */
  private async tick(): Promise<void> {
    this.again = false;
    this.claimed = 0;
    try {
      await this.sweep();
      const room = this.deps.settings.concurrency - this.inFlight.size;
      if (room > 0) {
        const { leaseSeconds, mailFirstMs } = this.deps.settings;
        const deferMs = this.deps.mailInFlight() ? mailFirstMs : 0;
        if (deferMs > 0) this.heldForMail = true;
        const messages = await claimDue(this.sql, this.workerId, room, leaseSeconds, deferMs);
        this.claimed = messages.length;
        for (const message of messages) this.track(this.process(message));
      }
    } catch (error) {
      if (!this.stopped)
        this.deps.logger.warn({ err: error }, 'could not claim webhook messages; trying again');
    }
  }

  private afterTick(): void {
    if (this.stopped) return;
    // A full claim may have left more due; otherwise wait for the poll or a notification.
    const more = this.again || (this.claimed > 0 && this.inFlight.size < this.deps.settings.concurrency);
    this.schedule(more ? 0 : this.deps.settings.pollIntervalMs);
  }

  private track(work: Promise<void>): void {
    const guarded = work.catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, 'a webhook attempt could not be recorded; its lease will expire');
    });
    this.inFlight.add(guarded);
    void guarded.finally(() => {
      this.inFlight.delete(guarded);
      this.notify();
    });
  }

  private async sweep(): Promise<void> {
    if (Date.now() - this.lastSweep < SWEEP_MS) return;
    this.lastSweep = Date.now();
    const given = await giveUpExpired(this.sql, this.deps.settings.retryWindowMs);
    if (given > 0) this.deps.logger.warn({ given }, 'webhook messages past their retry window were given up');
    const retentionDays = await this.deps.retentionDays();
    await purgeSettled(this.sql, new Date(Date.now() - retentionDays * 24 * 3_600_000));
  }

  private async process(message: ClaimedMessage): Promise<void> {
    const outcome = await this.deps.send(message);
    const attempt = {
      messageId: message.id,
      endpointId: message.endpoint.id,
      eventId: message.event.id,
      eventType: message.event.type,
      attempt: message.attempts,
      ok: outcome.ok,
      durationMs: outcome.durationMs,
      responseStatus: outcome.status,
      responseBody: outcome.body,
      error: outcome.error,
    };
    if (outcome.ok) {
      await this.delivered.submit(attempt);
      return;
    }
    // A failure: the attempt, the retry (or the give-up) and the endpoint's run of failures together.
    const next = nextAttemptAt(message.attempts, message.createdAt, new Date(), {
      baseMs: this.deps.settings.retryBaseMs,
      windowMs: this.deps.settings.retryWindowMs,
    });
    const { disableAfterMs } = this.deps.settings;
    const disabled = await inTransaction(this.deps.dataSource, async (sql) => {
      await insertAttempt(sql, { ...attempt, nextAttemptAt: next });
      await settleFailed(sql, message.id, next);
      return recordFailure(sql, message.endpoint.id, disableAfterMs, disabledReason(disableAfterMs));
    });
    this.deps.logger.info(
      {
        endpointId: message.endpoint.id,
        eventId: message.event.id,
        attempt: message.attempts,
        status: outcome.status,
        reason: outcome.error,
        givenUp: next === null,
      },
      'a webhook attempt failed',
    );
    if (disabled) {
      this.deps.logger.warn(
        { endpointId: disabled.id },
        'a webhook endpoint failing for too long was disabled',
      );
      this.deps.onDisabled(disabled);
    }
  }
}
