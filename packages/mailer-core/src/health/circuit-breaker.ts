import type { Failure, FailureCategory } from '../result';
import type { CircuitState, HealthRecord } from './health-record';

/** Circuit-breaker tuning (defaults in {@link DEFAULT_BREAKER_SETTINGS}). */
export interface BreakerSettings {
  /** Consecutive counted failures that open the circuit. */
  failureThreshold: number;
  /** Categories that open the circuit on their first occurrence. */
  openImmediatelyOn: readonly FailureCategory[];
  /** How long a circuit first stays open. */
  openMs: number;
  /** The most an open window grows to while probes keep failing. */
  maxOpenMs: number;
  /** Cooldown after a rate limit that did not say how long to wait. */
  defaultRetryAfterMs: number;
  /**
   * How long the half-open probe slot stays taken. It is released when the probe ends; the lease only
   * matters when the process sending the probe dies, so it should exceed one attempt's time budget.
   */
  probeLeaseMs: number;
}

export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = {
  failureThreshold: 3,
  openImmediatelyOn: ['AUTH', 'TIMEOUT'],
  openMs: 30_000,
  maxOpenMs: 600_000,
  defaultRetryAfterMs: 60_000,
  probeLeaseMs: 70_000,
};

/** Fills unset breaker settings with the defaults. */
export function resolveBreakerSettings(settings: Partial<BreakerSettings> = {}): BreakerSettings {
  return {
    failureThreshold: settings.failureThreshold ?? DEFAULT_BREAKER_SETTINGS.failureThreshold,
    openImmediatelyOn: settings.openImmediatelyOn ?? DEFAULT_BREAKER_SETTINGS.openImmediatelyOn,
    openMs: settings.openMs ?? DEFAULT_BREAKER_SETTINGS.openMs,
    maxOpenMs: settings.maxOpenMs ?? DEFAULT_BREAKER_SETTINGS.maxOpenMs,
    defaultRetryAfterMs: settings.defaultRetryAfterMs ?? DEFAULT_BREAKER_SETTINGS.defaultRetryAfterMs,
    probeLeaseMs: settings.probeLeaseMs ?? DEFAULT_BREAKER_SETTINGS.probeLeaseMs,
  };
}

/**
 * Whether a provider may be tried now:
 * - `available`: closed and not cooling down;
 * - `probe`: its open window has ended; it may be tried as the single half-open probe once the caller holds
 *   the probe slot ({@link takeProbe});
 * - `skip`: open, probing elsewhere, or cooling down after a rate limit, until `until`.
 */
export type Availability =
  | { kind: 'available' }
  | { kind: 'probe' }
  | { kind: 'skip'; reason: 'circuit_open' | 'cooling_down'; until: number };

export function availabilityOf(record: HealthRecord, now: number): Availability {
  const circuit = circuitAvailability(record, now);
  if (record.cooldownUntil !== null && record.cooldownUntil > now) {
    const until =
      circuit.kind === 'skip' ? Math.max(circuit.until, record.cooldownUntil) : record.cooldownUntil;
    return { kind: 'skip', reason: 'cooling_down', until };
  }
  return circuit;
}

function circuitAvailability(record: HealthRecord, now: number): Availability {
  switch (record.state) {
    case 'CLOSED':
      return { kind: 'available' };
    case 'OPEN':
      if (record.openUntil !== null && record.openUntil > now) {
        return { kind: 'skip', reason: 'circuit_open', until: record.openUntil };
      }
      return { kind: 'probe' };
    case 'HALF_OPEN':
      if (record.probe !== null && record.probe.until > now) {
        return { kind: 'skip', reason: 'circuit_open', until: record.probe.until };
      }
      return { kind: 'probe' };
  }
}

export interface ProbeRequest {
  now: number;
  /** Unique per attempt; whoever finds it in the stored record holds the slot. */
  token: string;
  leaseMs: number;
  /**
   * Take the slot even before the open window ends (the chain is otherwise locked out and this provider's
   * window ends soonest). Never takes a slot another probe holds.
   */
  early?: boolean;
}

/**
 * The record with the half-open probe slot taken by `token`, when it is free and the circuit is ready for a
 * probe; otherwise the record unchanged. Use inside {@link HealthStore.update}, then {@link holdsProbe}.
 */
export function takeProbe(record: HealthRecord, request: ProbeRequest): HealthRecord {
  const { now, token, leaseMs, early = false } = request;
  if (record.state === 'CLOSED') return record;
  const leaseActive = record.state === 'HALF_OPEN' && record.probe !== null && record.probe.until > now;
  if (leaseActive) return record;
  const windowOver = record.openUntil === null || record.openUntil <= now;
  if (!windowOver && !early) return record;
  return { ...record, state: 'HALF_OPEN', probe: { token, until: now + leaseMs } };
}

/** True when `token` holds the record's half-open probe slot. */
export function holdsProbe(record: HealthRecord, token: string | undefined): boolean {
  return token !== undefined && record.state === 'HALF_OPEN' && record.probe?.token === token;
}

/** Gives the probe slot back without a verdict (the probe was aborted or proved nothing). */
export function releaseProbe(record: HealthRecord, token: string | undefined): HealthRecord {
  if (!holdsProbe(record, token)) return record;
  return { ...record, state: 'OPEN', probe: null };
}

/** A delivery succeeded: the circuit closes and the failure count starts again. */
export function recordSuccess(record: HealthRecord): HealthRecord {
  if (record.state === 'CLOSED' && record.consecutiveFailures === 0 && record.probe === null) return record;
  return { ...record, state: 'CLOSED', consecutiveFailures: 0, openUntil: null, openMs: null, probe: null };
}

export interface FailureContext {
  now: number;
  settings: BreakerSettings;
  /** The probe token of this attempt, when it was sent as the half-open probe. */
  probeToken?: string;
}

/**
 * A delivery failed. Rate limits start a cooldown (Retry-After, else the default) without counting;
 * categories that do not count against health change nothing; counted failures open a closed circuit after
 * the threshold (at once for AUTH/TIMEOUT), and a failed probe reopens it for twice as long (up to the
 * maximum). A failure of an attempt that started before the circuit opened is counted but does not extend
 * the window, so a burst of in-flight failures cannot push it to the maximum at once.
 */
export function recordFailure(record: HealthRecord, failure: Failure, context: FailureContext): HealthRecord {
  const { now, settings, probeToken } = context;
  const wasProbe = holdsProbe(record, probeToken);

  if (failure.category === 'RATE_LIMITED') {
    const wait = validDuration(failure.retryAfterMs) ?? settings.defaultRetryAfterMs;
    const base = wasProbe ? releaseProbe(record, probeToken) : record;
    return {
      ...base,
      cooldownUntil: Math.max(base.cooldownUntil ?? 0, now + wait),
      lastFailure: failure,
      lastFailureAt: now,
    };
  }
  if (!failure.countsAgainstHealth) return releaseProbe(record, probeToken);

  const counted: HealthRecord = {
    ...record,
    consecutiveFailures: record.consecutiveFailures + 1,
    lastFailure: failure,
    lastFailureAt: now,
  };
  if (wasProbe) {
    const openMs = Math.min((record.openMs ?? settings.openMs) * 2, settings.maxOpenMs);
    return { ...counted, state: 'OPEN', openMs, openUntil: now + openMs, probe: null };
  }
  if (record.state !== 'CLOSED') return counted;
  const opens =
    counted.consecutiveFailures >= settings.failureThreshold ||
    settings.openImmediatelyOn.includes(failure.category);
  if (!opens) return counted;
  const openMs = Math.min(settings.openMs, settings.maxOpenMs);
  return { ...counted, state: 'OPEN', openMs, openUntil: now + openMs };
}

/** A provider's health as operators see it; dates instead of epoch numbers. */
export interface ProviderHealth {
  providerId: string;
  /** OPEN whose window has ended reads HALF_OPEN: the next send probes it. */
  state: CircuitState;
  consecutiveFailures: number;
  lastFailureAt: Date | null;
  lastFailure: Failure | null;
  openUntil: Date | null;
  cooldownUntil: Date | null;
}

/** The operator's view of a record at `now`. */
export function describeHealth(providerId: string, record: HealthRecord, now: number): ProviderHealth {
  const windowOver = record.openUntil !== null && record.openUntil <= now;
  const state: CircuitState = record.state === 'OPEN' && windowOver ? 'HALF_OPEN' : record.state;
  return {
    providerId,
    state,
    consecutiveFailures: record.consecutiveFailures,
    lastFailureAt: toDate(record.lastFailureAt),
    lastFailure: record.lastFailure,
    openUntil: state === 'CLOSED' ? null : toDate(record.openUntil),
    cooldownUntil:
      record.cooldownUntil !== null && record.cooldownUntil > now ? toDate(record.cooldownUntil) : null,
  };
}

function toDate(epochMs: number | null): Date | null {
  return epochMs === null ? null : new Date(epochMs);
}

function validDuration(ms: number | undefined): number | undefined {
  return ms !== undefined && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}
