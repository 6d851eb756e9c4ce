import {
  initialHealthRecord,
  type CircuitState,
  type HealthRecord,
  type HealthStore,
} from '@mail-providers/mailer-core';
import type { SqlExecutor } from '../queue/sql-executor';

/** A provider's circuit changed state through this process's write (each change is written by exactly one process). */
export interface CircuitTransition {
  providerId: string;
  from: CircuitState;
  to: CircuitState;
  previous: HealthRecord;
  record: HealthRecord;
  /** `reset`: the record was forgotten (credentials changed, provider deleted). */
  cause: 'update' | 'reset';
}

export interface PgHealthStoreOptions {
  /**
   * How old a snapshot of every record may be before `get`/`list` read the table again. Writes always go
   * to the table, so this bounds how long another process's change takes to be seen here (default 250 ms).
   */
  snapshotMs?: number;
  /** Called after this process changed a circuit's state. Errors thrown by listeners are ignored. */
  onTransition?: (transition: CircuitTransition) => void;
  /** Clock for the snapshot age (tests). */
  now?: () => number;
}

interface HealthRow {
  provider_id: string;
  record: HealthRecord;
  version: string;
}

/** Concurrent writers to one provider are rare (a few sends at the moment it fails), so few rounds suffice. */
const MAX_WRITE_ROUNDS = 50;

/**
 * mailer-core's HealthStore kept in the `provider_health` table, so every API and worker process on one
 * database shares circuit state, probe slots and rate-limit cooldowns.
 *
 * `update` is an optimistic read-modify-write: read the row and its version, apply `fn`, then write only
 * if the version is still the one read (`UPDATE … WHERE version = $read`, or an insert that loses to a
 * concurrent insert). A lost race reads again and re-applies `fn`, which the store contract allows. So two
 * processes can never both take the half-open probe or both count the same failure twice.
 *
 * Reads for skip decisions come from a snapshot of the whole table, refreshed at most every `snapshotMs`,
 * so sending does not cost a query per provider per message.
 */
export class PgHealthStore implements HealthStore {
  private snapshot = new Map<string, HealthRecord>();
  private snapshotAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | null = null;
  private readonly snapshotMs: number;
  private readonly now: () => number;
  private readonly listeners: Array<(transition: CircuitTransition) => void> = [];

  constructor(
    private readonly sql: SqlExecutor,
    options: PgHealthStoreOptions = {},
  ) {
    this.snapshotMs = options.snapshotMs ?? 250;
    this.now = options.now ?? Date.now;
    if (options.onTransition) this.listeners.push(options.onTransition);
  }

  /** Adds a listener for circuit changes made by this process. */
  onTransition(listener: (transition: CircuitTransition) => void): void {
    this.listeners.push(listener);
  }

  async get(providerId: string): Promise<HealthRecord> {
    await this.fresh();
    return this.snapshot.get(providerId) ?? initialHealthRecord();
  }

  async list(): Promise<Array<{ providerId: string; record: HealthRecord }>> {
    await this.fresh();
    return [...this.snapshot].map(([providerId, record]) => ({ providerId, record }));
  }

  async update(providerId: string, fn: (current: HealthRecord) => HealthRecord): Promise<HealthRecord> {
    // Most updates change nothing (a success on a healthy provider). When the snapshot (refreshed once for
    // all callers if it is stale) says so, there is nothing to write: no write means no lost update, and a
    // change made by another process meanwhile is at most `snapshotMs` old, like every read for a skip
    // decision.
    await this.fresh();
    const known = this.snapshot.get(providerId) ?? initialHealthRecord();
    if (fn(known) === known) return known;
    for (let round = 0; round < MAX_WRITE_ROUNDS; round++) {
      const { rows } = await this.sql.executeSql<HealthRow>(
        `SELECT provider_id, record, version FROM provider_health WHERE provider_id = $1`,
        [providerId],
      );
      const row = rows[0];
      const current = row ? row.record : initialHealthRecord();
      const next = fn(current);
      if (next === current) {
        this.snapshot.set(providerId, current);
        return current;
      }
      const written = row
        ? await this.sql.executeSql(
            `UPDATE provider_health SET record = $2, version = version + 1, updated_at = now()
             WHERE provider_id = $1 AND version = $3 RETURNING version`,
            [providerId, JSON.stringify(next), row.version],
          )
        : await this.sql.executeSql(
            `INSERT INTO provider_health (provider_id, record) VALUES ($1, $2)
             ON CONFLICT (provider_id) DO NOTHING RETURNING version`,
            [providerId, JSON.stringify(next)],
          );
      if (written.rows.length === 1) {
        this.snapshot.set(providerId, next);
        if (current.state !== next.state) {
          this.emit({
            providerId,
            from: current.state,
            to: next.state,
            previous: current,
            record: next,
            cause: 'update',
          });
        }
        return next;
      }
    }
    throw new Error(`Provider health for ${providerId} kept changing under concurrent writers; try again.`);
  }

  async reset(providerId: string): Promise<void> {
    const { rows } = await this.sql.executeSql<{ record: HealthRecord }>(
      `DELETE FROM provider_health WHERE provider_id = $1 RETURNING record`,
      [providerId],
    );
    this.snapshot.delete(providerId);
    const previous = rows[0]?.record;
    if (previous && previous.state !== 'CLOSED') {
      const record = initialHealthRecord();
      this.emit({ providerId, from: previous.state, to: 'CLOSED', previous, record, cause: 'reset' });
    }
  }

  /** Drops the snapshot so the next read goes to the table (tests, and after a long pause). */
  invalidate(): void {
    this.snapshotAt = Number.NEGATIVE_INFINITY;
  }

  private async fresh(): Promise<void> {
    if (this.now() - this.snapshotAt < this.snapshotMs) return;
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = null;
    });
    await this.refreshing;
  }

  private async refresh(): Promise<void> {
    const startedAt = this.now();
    const { rows } = await this.sql.executeSql<HealthRow>(
      `SELECT provider_id, record, version FROM provider_health`,
    );
    this.snapshot = new Map(rows.map((row) => [row.provider_id, row.record]));
    this.snapshotAt = startedAt;
  }

  private emit(transition: CircuitTransition): void {
    for (const listener of this.listeners) {
      try {
        listener(transition);
      } catch {
        // A listener (alerts, metrics) must never break a send.
      }
    }
  }
}
