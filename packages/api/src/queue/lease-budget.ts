/**
 * How a round spends its lease (DELIVERY_JOB_TIMEOUT_SECONDS): once the lease has expired, another worker
 * may take the delivery over and send it again, so a round must have sent and recorded its outcome before
 * then. The two shares leave a twentieth of the lease as a margin for clocks and a busy event loop.
 */

/**
 * The share of the lease a round may spend sending. A send still running then is aborted and recorded as
 * interrupted, so its outcome is written while the lease still holds.
 */
export const ROUND_SEND_BUDGET = 0.7;

/**
 * The share of the lease for which an outcome write that fails (the database answers, but with an error)
 * is tried again. After it the round is left to its lease, and the round that takes the delivery over
 * records it as cut. An unreachable database is waited for without this limit.
 */
export const OUTCOME_WRITE_BUDGET = 0.25;

/** The shortest send budget, however short the lease. */
const MIN_SEND_BUDGET_MS = 1000;

export function roundSendBudgetMs(leaseSeconds: number): number {
  return Math.max(MIN_SEND_BUDGET_MS, leaseSeconds * 1000 * ROUND_SEND_BUDGET);
}

export function outcomeWriteBudgetMs(leaseSeconds: number): number {
  return leaseSeconds * 1000 * OUTCOME_WRITE_BUDGET;
}
