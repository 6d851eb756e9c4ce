import type { Failure } from '@mail-providers/mailer-core';
import {
  CURSOR_PART,
  cursorPage,
  cursorTimeSql,
  decodeCursor,
  encodeCursor,
  type CursorPage,
} from '../database/cursor-page';
import type { AlertKind } from '../entities/alert-event.entity';
import type { EventPayloads, ProviderEventType } from '../events/event-types';
import type { CircuitTransition } from '../health/pg-health-store';
import type { Logger } from '../logger';
import type { SqlExecutor } from '../queue/sql-executor';
import { renderAlert, type AlertCode, type AlertParams } from './alert-text';

export interface AlertSettings {
  /** A fallback episode with no occurrence for this long is over. */
  quietMs: number;
}

export interface AlertServiceDeps {
  sql: SqlExecutor;
  settings: AlertSettings;
  logger: Logger;
}

/** An alert as the API returns it. */
export interface AlertView {
  id: string;
  kind: AlertKind;
  code: AlertCode;
  params: AlertParams;
  providerId: string;
  providerName: string;
  /** The English text stored with the alert; readers get it rendered from code and params. */
  message: string;
  failure: Failure | null;
  occurrences: number;
  createdAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
  /** Set only on alerts raised while alerts were POSTed to ALERT_WEBHOOK_URL directly. */
  webhookStatus: string | null;
}

export interface AlertFilter {
  first: number;
  /** Cursor: the createdAt/id of the last alert of the previous page. */
  after?: string | null;
  kind?: AlertKind | null;
  providerId?: string | null;
  /** Only episodes still going on. */
  openOnly?: boolean | null;
}

export type AlertPage = CursorPage<AlertView>;

interface AlertRow {
  id: string;
  kind: AlertKind;
  code: AlertCode;
  params: AlertParams;
  provider_id: string;
  provider_name: string;
  message: string;
  failure: Failure | null;
  occurrences: number;
  created_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
  webhook_status: string | null;
  cursor_time?: string;
}

/** The provider event that goes with the first alert of an episode. */
type ProviderEvent = {
  [T in ProviderEventType]: { type: T; payload: EventPayloads[T] };
}[ProviderEventType];

/** Provider events name their provider by uuid; an alert about anything else (an endpoint) has none. */
const UUID_PATTERN = `'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`;

/** In-process coalescing of fallback repeats: the database is bumped at most this often per provider. */
const FALLBACK_FLUSH_MS = 5_000;

/**
 * Turns circuit changes and fallbacks into stored alerts, debounced so that one outage is one alert: while
 * an episode is open for a provider, repeats only count occurrences. The open episode is unique per
 * provider and kind in the database (a partial unique index), so several processes seeing the same outage
 * still raise it once. The statement that opens an episode also writes its provider event (PROVIDER_PAUSED,
 * FALLBACK_USED, PROVIDER_OAUTH_REVOKED, and PROVIDER_RECOVERED when an announced outage ends), which
 * webhook endpoints deliver: an event exists exactly when its alert does, once per episode.
 */
export class AlertService {
  private readonly pendingFallbacks = new Map<string, number>();
  private readonly recentFallbackWrites = new Map<string, number>();
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** The write that opens each provider's fallback episode: repeats are added to it only once it exists. */
  private readonly raising = new Map<string, Promise<void>>();

  constructor(private readonly deps: AlertServiceDeps) {}

  /** Reacts to a circuit change made by this process (see PgHealthStore). Never throws. */
  circuitChanged(transition: CircuitTransition): void {
    const opened = transition.from === 'CLOSED' && transition.to === 'OPEN';
    const closed = transition.from !== 'CLOSED' && transition.to === 'CLOSED';
    if (opened) this.track(this.openCircuitEpisode(transition));
    if (closed) this.track(this.closeCircuitEpisode(transition));
  }

  /**
   * Mail went out through a later provider because the first one of the chain failed or was skipped.
   * The first alert of an episode is stored with its FALLBACK_USED event; repeats are counted.
   */
  fallbackUsed(
    primary: { id: string; name: string; failure: Failure | null },
    deliveredBy: { name: string },
  ): void {
    const lastWrite = this.recentFallbackWrites.get(primary.id);
    if (lastWrite !== undefined && Date.now() - lastWrite < FALLBACK_FLUSH_MS) {
      this.pendingFallbacks.set(primary.id, (this.pendingFallbacks.get(primary.id) ?? 0) + 1);
      this.scheduleFlush();
      return;
    }
    this.recentFallbackWrites.set(primary.id, Date.now());
    const raising = this.raiseFallback(primary, deliveredBy);
    this.raising.set(primary.id, raising);
    this.track(raising);
  }

  /**
   * A provider's OAuth2 refresh token was refused (invalid_grant): one open alert per provider until it is
   * connected again (the sign-in resolves it). Never throws.
   */
  oauthRevoked(providerId: string): void {
    this.track(
      (async () => {
        const name = await this.providerName(providerId);
        await this.upsertEpisode(
          'OAUTH_REVOKED',
          'OAUTH_REVOKED',
          providerId,
          { providerName: name, category: 'AUTH' },
          null,
          { type: 'PROVIDER_OAUTH_REVOKED', payload: { providerName: name } },
        );
      })(),
    );
  }

  /**
   * The product disabled a webhook endpoint that kept failing: one open alert per endpoint until it is
   * enabled again or deleted ({@link webhookEndpointRestored}). Never throws.
   */
  webhookEndpointDisabled(endpoint: { id: string; name: string }): void {
    this.track(
      this.upsertEpisode(
        'WEBHOOK_DISABLED',
        'WEBHOOK_DISABLED',
        endpoint.id,
        { providerName: endpoint.name },
        null,
        null,
      ),
    );
  }

  /** A disabled webhook endpoint was enabled again or deleted: its WEBHOOK_DISABLED alert is over. */
  webhookEndpointRestored(endpointId: string): void {
    this.track(
      this.deps.sql.executeSql(
        `UPDATE alert_events SET resolved_at = now()
         WHERE kind = 'WEBHOOK_DISABLED' AND provider_id = $1 AND resolved_at IS NULL`,
        [endpointId],
      ),
    );
  }

  async list(filter: AlertFilter): Promise<AlertPage> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.kind) {
      values.push(filter.kind);
      where.push(`kind = $${values.length}`);
    }
    if (filter.providerId) {
      values.push(filter.providerId);
      where.push(`provider_id = $${values.length}`);
    }
    if (filter.openOnly) where.push(`resolved_at IS NULL AND kind <> 'CIRCUIT_CLOSED'`);
    const countWhere = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const { rows: countRows } = await this.deps.sql.executeSql<{ count: string }>(
      `SELECT count(*)::text AS count FROM alert_events ${countWhere}`,
      values,
    );
    const pageValues = [...values];
    const pageWhere = [...where];
    const cursor = decodeCursor(filter.after, [CURSOR_PART.time, CURSOR_PART.uuid]);
    if (cursor) {
      pageValues.push(...cursor);
      pageWhere.push(
        `(created_at, id) < ($${pageValues.length - 1}::timestamptz, $${pageValues.length}::uuid)`,
      );
    }
    pageValues.push(filter.first + 1);
    const { rows } = await this.deps.sql.executeSql<AlertRow>(
      `SELECT *, ${cursorTimeSql('created_at')} AS cursor_time FROM alert_events ${pageWhere.length > 0 ? `WHERE ${pageWhere.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT $${pageValues.length}`,
      pageValues,
    );
    return cursorPage(rows, {
      first: filter.first,
      totalCount: Number(countRows[0]?.count ?? 0),
      toNode: toView,
      cursorOf: (row) => (row.cursor_time ? encodeCursor([row.cursor_time, row.id]) : null),
    });
  }

  /** Writes pending repeat counts and waits for alerts being stored or sent (shutdown, tests). */
  async flush(): Promise<void> {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    await this.flushFallbackCounts();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    await this.flush();
  }

  private track(work: Promise<unknown>): void {
    const guarded = work.catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, 'an alert could not be stored');
    });
    this.inFlight.add(guarded);
    void guarded.finally(() => this.inFlight.delete(guarded));
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.track(this.flushFallbackCounts());
    }, FALLBACK_FLUSH_MS);
    this.flushTimer.unref();
  }

  private async flushFallbackCounts(): Promise<void> {
    const pending = [...this.pendingFallbacks];
    this.pendingFallbacks.clear();
    for (const [providerId, count] of pending) {
      await this.raising.get(providerId)?.catch(() => undefined);
      await this.deps.sql.executeSql(
        `UPDATE alert_events SET occurrences = occurrences + $2, last_seen_at = now()
         WHERE kind = 'FALLBACK_USED' AND provider_id = $1 AND resolved_at IS NULL`,
        [providerId, count],
      );
    }
  }

  private async providerName(providerId: string): Promise<string> {
    const { rows } = await this.deps.sql.executeSql<{ name: string }>(
      `SELECT name FROM providers WHERE id::text = $1`,
      [providerId],
    );
    return rows[0]?.name ?? providerId;
  }

  private async openCircuitEpisode(transition: CircuitTransition): Promise<void> {
    const name = await this.providerName(transition.providerId);
    const failure = transition.record.lastFailure;
    const params: AlertParams = {
      providerName: name,
      failures: transition.record.consecutiveFailures,
      ...failureParams(failure),
    };
    await this.upsertEpisode('CIRCUIT_OPENED', 'CIRCUIT_OPENED', transition.providerId, params, failure, {
      type: 'PROVIDER_PAUSED',
      payload: {
        providerName: name,
        category: failure?.category ?? null,
        consecutiveFailures: transition.record.consecutiveFailures,
      },
    });
  }

  private async closeCircuitEpisode(transition: CircuitTransition): Promise<void> {
    const name = await this.providerName(transition.providerId);
    const code: AlertCode = transition.cause === 'reset' ? 'HEALTH_RESET' : 'CIRCUIT_CLOSED';
    const params: AlertParams = { providerName: name };
    const recovered: EventPayloads['PROVIDER_RECOVERED'] = { providerName: name };
    // One statement: the open episodes end, and only the end of an outage we announced is news (a reset of
    // a healthy provider is not), told by an alert and its PROVIDER_RECOVERED event.
    await this.deps.sql.executeSql(
      `WITH resolved AS (
         UPDATE alert_events SET resolved_at = now()
         WHERE provider_id = $1 AND resolved_at IS NULL AND kind IN ('CIRCUIT_OPENED', 'FALLBACK_USED')
         RETURNING kind
       ), alert AS (
         INSERT INTO alert_events (kind, code, params, provider_id, provider_name, message, resolved_at)
         SELECT 'CIRCUIT_CLOSED', $2::text, $3::jsonb, $1::text, $4::text, $5::text, now()
         WHERE EXISTS (SELECT 1 FROM resolved WHERE kind = 'CIRCUIT_OPENED')
         RETURNING provider_id
       ), event AS (
         INSERT INTO events (type, provider_id, payload)
         SELECT 'PROVIDER_RECOVERED', alert.provider_id::uuid, $6::jsonb FROM alert
         WHERE alert.provider_id ~* ${UUID_PATTERN}
       )
       SELECT count(*)::int AS closed FROM alert`,
      [
        transition.providerId,
        code,
        JSON.stringify(params),
        name,
        renderAlert(code, params, 'en'),
        JSON.stringify(recovered),
      ],
    );
  }

  private async raiseFallback(
    primary: { id: string; name: string; failure: Failure | null },
    deliveredBy: { name: string },
  ): Promise<void> {
    // An episode nothing has added to for the quiet period is over: the next fallback is a new alert.
    await this.deps.sql.executeSql(
      `UPDATE alert_events SET resolved_at = last_seen_at
       WHERE kind = 'FALLBACK_USED' AND provider_id = $1 AND resolved_at IS NULL
         AND last_seen_at < now() - $2 * interval '1 millisecond'`,
      [primary.id, this.deps.settings.quietMs],
    );
    const failure = primary.failure;
    const params: AlertParams = {
      providerName: primary.name,
      deliveredByName: deliveredBy.name,
      ...failureParams(failure),
    };
    await this.upsertEpisode('FALLBACK_USED', 'FALLBACK_USED', primary.id, params, failure, {
      type: 'FALLBACK_USED',
      payload: {
        providerName: primary.name,
        deliveredByName: deliveredBy.name,
        category: failure?.category ?? null,
      },
    });
  }

  /**
   * Opens an episode, or counts a repeat of the open one. The first alert of an episode writes `event` in the
   * same statement; a repeat writes none.
   */
  private async upsertEpisode(
    kind: AlertKind,
    code: AlertCode,
    providerId: string,
    params: AlertParams,
    failure: Failure | null,
    event: ProviderEvent | null,
  ): Promise<void> {
    await this.deps.sql.executeSql(
      `WITH alert AS (
         INSERT INTO alert_events (kind, code, params, provider_id, provider_name, message, failure)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (kind, provider_id) WHERE resolved_at IS NULL AND kind <> 'CIRCUIT_CLOSED'
         DO UPDATE SET occurrences = alert_events.occurrences + 1, last_seen_at = now()
         RETURNING *, (xmax = 0) AS inserted
       ), event AS (
         INSERT INTO events (type, provider_id, payload)
         SELECT $8::text, alert.provider_id::uuid, $9::jsonb FROM alert
         WHERE alert.inserted AND $8::text IS NOT NULL AND alert.provider_id ~* ${UUID_PATTERN}
       )
       SELECT * FROM alert`,
      [
        kind,
        code,
        JSON.stringify(params),
        providerId,
        params.providerName,
        renderAlert(code, params, 'en'),
        failure === null ? null : JSON.stringify(failure),
        event?.type ?? null,
        event === null ? null : JSON.stringify(event.payload),
      ],
    );
  }
}

function toView(row: AlertRow): AlertView {
  return {
    id: row.id,
    kind: row.kind,
    code: row.code,
    params: row.params,
    providerId: row.provider_id,
    providerName: row.provider_name,
    message: row.message,
    failure: row.failure,
    occurrences: row.occurrences,
    createdAt: new Date(row.created_at),
    lastSeenAt: new Date(row.last_seen_at),
    resolvedAt: row.resolved_at === null ? null : new Date(row.resolved_at),
    webhookStatus: row.webhook_status,
  };
}

/** The parts of a failure an alert's text names: its category and the provider's codes. */
function failureParams(failure: Failure | null): Partial<AlertParams> {
  if (!failure) return {};
  const params: Partial<AlertParams> = { category: failure.category };
  if (failure.smtpCode !== undefined) params.smtpCode = failure.smtpCode;
  if (failure.enhancedCode !== undefined) params.enhancedCode = failure.enhancedCode;
  if (failure.httpStatus !== undefined) params.httpStatus = failure.httpStatus;
  return params;
}
