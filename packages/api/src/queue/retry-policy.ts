/** How long a delivery keeps being retried while every provider fails with a retryable category. */
export interface RetryPolicy {
  /** Wait after the first failed round; each further round waits twice as long. */
  baseDelayMs: number;
  /** The longest wait between two rounds. */
  maxDelayMs: number;
  /** Counted from acceptance: no round starts later than this, and the round at its end is the last. */
  windowMs: number;
}

/** About 30 s doubling, capped at an hour, for up to 24 h (docs/reference.md#deliveries). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
  windowMs: 24 * 60 * 60_000,
};

export type RetryDecision = { retry: true; at: Date; delayMs: number } | { retry: false };

/** The wait after `failedRounds` rounds have failed (1 → base, 2 → twice the base, …), capped. */
export function retryDelayMs(failedRounds: number, policy: RetryPolicy): number {
  const exponent = Math.max(0, failedRounds - 1);
  // 2^exponent overflows to Infinity long after the cap applies, so the cap alone bounds the result.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
}

/**
 * When the next round should run, or that there is none. A wait that would end after the window is
 * shortened so the last round runs when the window closes: a message is never given up before its
 * window has ended, and never retried after it.
 */
export function planRetry(
  acceptedAt: Date,
  failedRounds: number,
  now: Date,
  policy: RetryPolicy,
): RetryDecision {
  const deadline = acceptedAt.getTime() + policy.windowMs;
  if (now.getTime() >= deadline) return { retry: false };
  const delayMs = Math.min(retryDelayMs(failedRounds, policy), deadline - now.getTime());
  return { retry: true, at: new Date(now.getTime() + delayMs), delayMs };
}
