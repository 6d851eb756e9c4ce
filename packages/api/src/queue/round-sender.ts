import { MessageValidationError, type Mailer } from '@mail-providers/mailer-core';
import type { Logger } from '../logger';
import { roundSendBudgetMs } from './lease-budget';
import type { ClaimedDelivery } from './round-claimer';
import type { RoundOutcome } from './round-verdict';

/** Why a round was stopped before its send ended. */
class RoundAbort extends Error {
  constructor(readonly why: string) {
    super(why);
    this.name = 'RoundAbort';
  }
}

export interface RoundSenderDeps {
  mailer: () => Mailer;
  logger: Logger;
  /** How long a claim holds its delivery: a round sends for at most its send budget of it. */
  leaseSeconds: number;
}

/**
 * Sends claimed deliveries: one walk of the chain per round through the process mailer, within the
 * round's send budget (ROUND_SEND_BUDGET of the lease), and says how the round ended.
 */
export class RoundSender {
  private readonly controllers = new Map<string, AbortController>();

  constructor(private readonly deps: RoundSenderDeps) {}

  async send(delivery: ClaimedDelivery): Promise<RoundOutcome> {
    const controller = new AbortController();
    const key = `${delivery.id}:${delivery.round}`;
    this.controllers.set(key, controller);
    const budgetMs = roundSendBudgetMs(this.deps.leaseSeconds);
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

  /** Stops every send in flight; their rounds end as interrupted because `why`. */
  abortAll(why: string): void {
    for (const controller of this.controllers.values()) controller.abort(new RoundAbort(why));
  }
}
