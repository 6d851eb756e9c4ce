import type { HealthRecord } from './health-record';

/**
 * Where circuit-breaker state lives. The engine keeps nothing of it in memory, so one store shared by
 * several processes (the API keeps it in PostgreSQL) makes a provider tripped by one process skipped by all.
 *
 * The contract is small on purpose:
 * - `update` is the only write and must be an atomic read-modify-write per provider: read the current
 *   record (or {@link initialHealthRecord} when none is stored), call `fn` on it, store and return what `fn`
 *   returned, with no other update of that provider in between. In SQL: `SELECT … FOR UPDATE` on the
 *   provider's row inside a transaction, then `UPDATE`. `fn` is pure (no I/O) and may be called again if the
 *   store retries after a conflict. When `fn` returns the very record it was given, nothing changed and the
 *   store may skip the write.
 * - The half-open probe slot is part of the record (`probe`): taking it is an `update` with
 *   {@link takeProbe}, and the caller holds it when the returned record carries its token
 *   ({@link holdsProbe}). So no separate lock is needed.
 * - `reset` forgets a provider (credentials changed, provider deleted).
 */
export interface HealthStore {
  /** The provider's record, or a fresh closed one when none is stored. */
  get(providerId: string): Promise<HealthRecord>;
  /** Every stored record. Providers with no record are healthy (closed). */
  list(): Promise<Array<{ providerId: string; record: HealthRecord }>>;
  /** Atomically replaces the provider's record with `fn(current)` and returns the stored result. */
  update(providerId: string, fn: (current: HealthRecord) => HealthRecord): Promise<HealthRecord>;
  /** Forgets the provider's record: it is closed with no failures again. */
  reset(providerId: string): Promise<void>;
}
