/**
 * Delays before each retry, as multiples of the first (10 s by default: 10 s, 1 min, 5 min, 30 min, 1 h,
 * then every 2 h), until the retry window (24 h by default) after the message was queued is over.
 */
export const RETRY_STEPS = [1, 6, 30, 180, 360, 720] as const;

export interface RetrySchedule {
  baseMs: number;
  windowMs: number;
}

/**
 * When a message that has failed `attempts` times (1 after its first try) is tried again, or null when
 * that would be past its retry window: then it is given up.
 */
export function nextAttemptAt(
  attempts: number,
  createdAt: Date,
  now: Date,
  schedule: RetrySchedule,
): Date | null {
  const step = RETRY_STEPS[Math.min(Math.max(attempts, 1), RETRY_STEPS.length) - 1] ?? 1;
  const next = new Date(now.getTime() + step * schedule.baseMs);
  return next.getTime() > createdAt.getTime() + schedule.windowMs ? null : next;
}
