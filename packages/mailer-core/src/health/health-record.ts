import type { Failure } from '../result';

/** CLOSED: sending normally. OPEN: skipped until `openUntil`. HALF_OPEN: one probe is on its way. */
export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** The single half-open probe slot, held by whoever put its `token` there, until `until` (epoch ms). */
export interface ProbeLease {
  token: string;
  until: number;
}

/**
 * What the circuit breaker knows about one provider. Plain JSON (times are epoch milliseconds), so a
 * shared store can keep it in one database row or JSON column.
 */
export interface HealthRecord {
  state: CircuitState;
  /** Counted failures since the last success. */
  consecutiveFailures: number;
  lastFailureAt: number | null;
  lastFailure: Failure | null;
  /** While OPEN: the provider is skipped until then; afterwards one probe may be tried. */
  openUntil: number | null;
  /** How long the circuit was last opened for; each failed probe doubles it (up to the maximum). */
  openMs: number | null;
  /** After a rate limit: the provider is skipped until then, whatever the circuit state. */
  cooldownUntil: number | null;
  /** The half-open probe slot, when taken. */
  probe: ProbeLease | null;
}

/** The record of a provider nothing is known about yet: closed, no failures. */
export function initialHealthRecord(): HealthRecord {
  return {
    state: 'CLOSED',
    consecutiveFailures: 0,
    lastFailureAt: null,
    lastFailure: null,
    openUntil: null,
    openMs: null,
    cooldownUntil: null,
    probe: null,
  };
}
