import type { Attempt, Failure, SendResult } from '@mail-providers/mailer-core';
import type { DeliveryStatus } from '../entities/delivery.entity';
import { planRetry, type RetryPolicy } from './retry-policy';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How a round ended, before it is written down. */
export type RoundOutcome =
  | { kind: 'result'; result: SendResult }
  | { kind: 'interrupted'; why: string; startedAt: Date; durationMs: number }
  | { kind: 'invalid'; problem: string }
  | { kind: 'error'; problem: string };

/** Attempt as stored: the engine's Attempt plus its place in the round. */
export interface AttemptRecord {
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

/** A round's consequence for its delivery, before it is written. */
export interface Verdict {
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  deliveredById: string | null;
  deliveredByName: string | null;
  providerMessageId: string | null;
  rejected: unknown[];
  failure: Failure | null;
  reason: string | null;
}

/**
 * What a round's outcome means for its delivery: SENT; FAILED at once (a refusal another try would get
 * again, or a stored message that cannot be sent); RETRYING on the policy's schedule while the window is
 * open (an interrupted round at once), else FAILED with the reason.
 */
export function roundVerdict(
  delivery: { round: number; windowStartedAt: Date },
  outcome: RoundOutcome,
  retry: RetryPolicy,
  now: Date = new Date(),
): Verdict {
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
  const windowOpen = now.getTime() < delivery.windowStartedAt.getTime() + retry.windowMs;
  if (outcome.kind === 'interrupted' && windowOpen) {
    // Not the providers' fault: try again at once rather than waiting out a backoff.
    return {
      ...base,
      status: 'RETRYING',
      nextAttemptAt: new Date(now.getTime() + 1000),
      failure,
      reason: why,
    };
  }
  const plan = planRetry(delivery.windowStartedAt, delivery.round, now, retry);
  if (!plan.retry) {
    const hours = Math.round((retry.windowMs / 3_600_000) * 10) / 10;
    return {
      ...base,
      failure,
      reason: `Gave up after ${delivery.round} round(s) over ${hours} h. Last: ${why}`,
    };
  }
  return { ...base, status: 'RETRYING', nextAttemptAt: plan.at, failure, reason: why };
}

/** The failure recorded for a round that may have delivered before it stopped. */
export function ambiguousFailure(message: string): Failure {
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

/** The round's attempts as the outcome write stores them. */
export function attemptRecords(outcome: RoundOutcome, worker: string): AttemptRecord[] {
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
