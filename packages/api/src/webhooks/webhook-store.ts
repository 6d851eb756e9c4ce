import { randomUUID } from 'node:crypto';
import {
  CURSOR_PART,
  cursorPage,
  cursorTimeSql,
  decodeCursor,
  encodeCursor,
  type CursorPage,
} from '../database/cursor-page';
import { toStoredEvent } from '../events/event-log';
import type { EventType, StoredEvent } from '../events/event-types';
import type { SqlExecutor } from '../queue/sql-executor';
import type { SecretBox } from '../secrets/secret-box';
import type { EndpointSettings, WebhookFormat } from './webhook-validation';

/** An endpoint as the API shows it: never its secret. */
export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string | null;
  eventTypes: EventType[];
  format: WebhookFormat;
  enabled: boolean;
  language: string;
  createdAt: Date;
  failingSince: Date | null;
  disabledReason: string | null;
}

/** One attempt to deliver one event (or a test event) to one endpoint. */
export interface WebhookAttemptView {
  id: string;
  endpointId: string;
  eventId: string | null;
  eventType: string;
  attempt: number;
  status: 'SUCCEEDED' | 'FAILED';
  attemptedAt: Date;
  durationMs: number;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  nextAttemptAt: Date | null;
}

export interface EndpointRow {
  id: string;
  url: string;
  description: string | null;
  event_types: EventType[];
  format: WebhookFormat;
  language: string;
  enabled: boolean;
  secret_ciphertext: string;
  secret_key_id: string;
  failing_since: Date | null;
  disabled_reason: string | null;
  created_at: Date;
}

interface AttemptRow {
  id: string;
  endpoint_id: string;
  event_id: string | null;
  event_type: string;
  attempt: number;
  status: 'SUCCEEDED' | 'FAILED';
  attempted_at: Date;
  duration_ms: number;
  response_status: number | null;
  response_body: string | null;
  error: string | null;
  next_attempt_at: Date | null;
  cursor_time: string;
}

/** The SecretBox context of an endpoint's signing secret; must match its entry in secrets/secret-columns.ts. */
export function secretContext(endpointId: string): string {
  return `webhook:${endpointId}:secret`;
}

/** Who created the endpoint that stands for ALERT_WEBHOOK_URL (unique per URL, see the migration). */
export const ALERT_URL_CREATOR = 'ALERT_WEBHOOK_URL';

const ENDPOINT_COLUMNS = `id, url, description, event_types, format, language, enabled, secret_ciphertext,
  secret_key_id, failing_since, disabled_reason, created_at`;

export function toEndpointView(row: EndpointRow): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.event_types,
    format: row.format,
    enabled: row.enabled,
    language: row.language,
    createdAt: new Date(row.created_at),
    failingSince: row.failing_since === null ? null : new Date(row.failing_since),
    disabledReason: row.disabled_reason,
  };
}

/** The settings as the parameters $2 to $7 of the statements that write them. */
function settingValues(settings: EndpointSettings): unknown[] {
  return [
    settings.url,
    settings.description,
    settings.eventTypes,
    settings.format,
    settings.language,
    settings.enabled,
  ];
}

/** The endpoint's signing secret, opened. */
export function openSecret(box: SecretBox, row: EndpointRow): string {
  return box.open({ ciphertext: row.secret_ciphertext, keyId: row.secret_key_id }, secretContext(row.id));
}

/**
 * Inserts an endpoint with its sealed secret; returns the row, or undefined when `createdBy` is
 * ALERT_URL_CREATOR and that URL's endpoint exists already.
 */
export async function insertEndpoint(
  sql: SqlExecutor,
  box: SecretBox,
  settings: EndpointSettings,
  secret: string,
  createdBy: string | null,
): Promise<EndpointRow | undefined> {
  const id = randomUUID();
  const sealed = box.seal(secret, secretContext(id));
  const { rows } = await sql.executeSql<EndpointRow>(
    `INSERT INTO webhook_endpoints (id, url, description, event_types, format, language, enabled,
       secret_ciphertext, secret_key_id, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (url) WHERE created_by = '${ALERT_URL_CREATOR}' DO NOTHING
     RETURNING ${ENDPOINT_COLUMNS}`,
    [id, ...settingValues(settings), sealed.ciphertext, sealed.keyId, createdBy],
  );
  return rows[0];
}

export async function findEndpoint(sql: SqlExecutor, id: string): Promise<EndpointRow | undefined> {
  const { rows } = await sql.executeSql<EndpointRow>(
    `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id::text = $1`,
    [id],
  );
  return rows[0];
}

export async function listEndpoints(sql: SqlExecutor): Promise<EndpointRow[]> {
  const { rows } = await sql.executeSql<EndpointRow>(
    `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints ORDER BY created_at, id`,
  );
  return rows;
}

/**
 * Saves new settings. Enabling an endpoint again starts it healthy: its failure run and the reason it was
 * disabled are cleared, and the messages waiting for it are due at once rather than at their next retry.
 */
export async function updateEndpoint(
  sql: SqlExecutor,
  id: string,
  settings: EndpointSettings,
): Promise<EndpointRow | undefined> {
  if (settings.enabled) {
    await sql.executeSql(
      `UPDATE webhook_messages m SET next_attempt_at = now()
       FROM webhook_endpoints w
       WHERE w.id::text = $1 AND NOT w.enabled AND m.endpoint_id = w.id AND m.status = 'PENDING'
         AND m.next_attempt_at > now()`,
      [id],
    );
  }
  const { rows } = await sql.executeSql<EndpointRow>(
    `UPDATE webhook_endpoints SET url = $2, description = $3, event_types = $4, format = $5, language = $6,
       failing_since = CASE WHEN $7 AND NOT enabled THEN NULL ELSE failing_since END,
       disabled_reason = CASE WHEN $7 THEN NULL ELSE disabled_reason END,
       enabled = $7, updated_at = now()
     WHERE id::text = $1 RETURNING ${ENDPOINT_COLUMNS}`,
    [id, ...settingValues(settings)],
  );
  return rows[0];
}

export async function replaceSecret(
  sql: SqlExecutor,
  box: SecretBox,
  id: string,
  secret: string,
): Promise<EndpointRow | undefined> {
  const sealed = box.seal(secret, secretContext(id));
  const { rows } = await sql.executeSql<EndpointRow>(
    `UPDATE webhook_endpoints SET secret_ciphertext = $2, secret_key_id = $3, updated_at = now()
     WHERE id::text = $1 RETURNING ${ENDPOINT_COLUMNS}`,
    [id, sealed.ciphertext, sealed.keyId],
  );
  return rows[0];
}

export async function deleteEndpoint(sql: SqlExecutor, id: string): Promise<boolean> {
  const { rowCount } = await sql.executeSql(`DELETE FROM webhook_endpoints WHERE id::text = $1`, [id]);
  return rowCount > 0;
}

/** An attempt to record; `messageId` is null for a test send. */
export interface NewAttempt {
  messageId: string | null;
  endpointId: string;
  eventId: string | null;
  eventType: string;
  attempt: number;
  ok: boolean;
  durationMs: number;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  nextAttemptAt: Date | null;
}

const ATTEMPT_COLUMNS = `id, endpoint_id, event_id, event_type, attempt, status, attempted_at, duration_ms,
  response_status, response_body, error, next_attempt_at, ${cursorTimeSql('attempted_at')} AS cursor_time`;

export async function insertAttempt(sql: SqlExecutor, attempt: NewAttempt): Promise<WebhookAttemptView> {
  const { rows } = await sql.executeSql<AttemptRow>(
    `INSERT INTO webhook_attempts (message_id, endpoint_id, event_id, event_type, attempt, status, duration_ms,
       response_status, response_body, error, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${ATTEMPT_COLUMNS}`,
    [
      attempt.messageId,
      attempt.endpointId,
      attempt.eventId,
      attempt.eventType,
      attempt.attempt,
      attempt.ok ? 'SUCCEEDED' : 'FAILED',
      attempt.durationMs,
      attempt.responseStatus,
      attempt.responseBody,
      attempt.error,
      attempt.nextAttemptAt,
    ],
  );
  const row = rows[0];
  if (!row) throw new Error('The webhook attempt was not recorded.');
  return toAttemptView(row);
}

function toAttemptView(row: AttemptRow): WebhookAttemptView {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    attempt: row.attempt,
    status: row.status,
    attemptedAt: new Date(row.attempted_at),
    durationMs: row.duration_ms,
    responseStatus: row.response_status,
    responseBody: row.response_body,
    error: row.error,
    nextAttemptAt: row.next_attempt_at === null ? null : new Date(row.next_attempt_at),
  };
}

/** An endpoint's attempts, newest first. */
export async function attemptsOf(
  sql: SqlExecutor,
  endpointId: string,
  first: number,
  after: string | null,
): Promise<CursorPage<WebhookAttemptView>> {
  const cursor = decodeCursor(after, [CURSOR_PART.time, CURSOR_PART.uuid]);
  const { rows: counted } = await sql.executeSql<{ count: string }>(
    `SELECT count(*)::text AS count FROM webhook_attempts WHERE endpoint_id::text = $1`,
    [endpointId],
  );
  const { rows } = await sql.executeSql<AttemptRow>(
    `SELECT ${ATTEMPT_COLUMNS} FROM webhook_attempts
     WHERE endpoint_id::text = $1
       AND ($2::timestamptz IS NULL OR (attempted_at, id) < ($2::timestamptz, $3::uuid))
     ORDER BY attempted_at DESC, id DESC LIMIT $4`,
    [endpointId, cursor?.[0] ?? null, cursor?.[1] ?? null, first + 1],
  );
  return cursorPage(rows, {
    first,
    totalCount: Number(counted[0]?.count ?? 0),
    toNode: toAttemptView,
    cursorOf: (row) => encodeCursor([row.cursor_time, row.id]),
  });
}

/** The newest attempt of each endpoint. */
export async function lastAttempts(
  sql: SqlExecutor,
  endpointIds: readonly string[],
): Promise<Map<string, WebhookAttemptView>> {
  if (endpointIds.length === 0) return new Map();
  const { rows } = await sql.executeSql<AttemptRow>(
    `SELECT a.* FROM unnest($1::uuid[]) AS e(id)
     CROSS JOIN LATERAL (
       SELECT ${ATTEMPT_COLUMNS} FROM webhook_attempts
       WHERE endpoint_id = e.id ORDER BY attempted_at DESC, id DESC LIMIT 1
     ) a`,
    [endpointIds],
  );
  return new Map(rows.map((row) => [row.endpoint_id, toAttemptView(row)]));
}

/** A queued message claimed for sending, with its endpoint and event. */
export interface ClaimedMessage {
  id: string;
  attempts: number;
  createdAt: Date;
  endpoint: EndpointRow;
  event: StoredEvent;
}

interface ClaimedRow extends EndpointRow {
  message_id: string;
  attempts: number;
  message_created_at: Date;
  event_id: string;
  event_seq: string;
  event_type: EventType;
  occurred_at: Date;
  delivery_id: string | null;
  recipient: string | null;
  provider_id: string | null;
  payload: StoredEvent['payload'];
}

/**
 * Claims up to `limit` due messages for `workerId` until the lease ends. A message is due when its time
 * has come (`deferMs` ago: see WebhookConfig.mailFirstMs), nobody holds it (or its holder's lease ran out:
 * the process died mid-send), its endpoint is enabled, and no earlier event of the same delivery is still
 * waiting for the same endpoint, which keeps one delivery's events in order. Locked rows are skipped, so
 * processes never claim the same message. Each enabled endpoint is looked at through its own index range,
 * so messages kept for a disabled endpoint cost nothing here.
 */
export async function claimDue(
  sql: SqlExecutor,
  workerId: string,
  limit: number,
  leaseSeconds: number,
  deferMs = 0,
): Promise<ClaimedMessage[]> {
  const { rows } = await sql.executeSql<ClaimedRow>(
    `WITH due AS (
       SELECT d.id FROM webhook_endpoints w
       CROSS JOIN LATERAL (
         SELECT m.id, m.next_attempt_at, m.event_seq FROM webhook_messages m
         WHERE m.endpoint_id = w.id AND m.status = 'PENDING'
           AND m.next_attempt_at <= now() - $4 * interval '1 millisecond'
           AND (m.lease_expires_at IS NULL OR m.lease_expires_at < now())
           AND NOT EXISTS (
             SELECT 1 FROM webhook_messages p
             WHERE p.endpoint_id = m.endpoint_id AND p.delivery_id = m.delivery_id
               AND p.event_seq < m.event_seq AND p.status = 'PENDING')
         ORDER BY m.next_attempt_at, m.event_seq
         LIMIT $1
         FOR UPDATE OF m SKIP LOCKED
       ) d
       WHERE w.enabled
       ORDER BY d.next_attempt_at, d.event_seq
       LIMIT $1
     ), claimed AS (
       UPDATE webhook_messages m SET claimed_by = $2, attempts = m.attempts + 1,
         lease_expires_at = now() + $3 * interval '1 second'
       FROM due WHERE m.id = due.id
       RETURNING m.id, m.attempts, m.created_at, m.endpoint_id, m.event_id
     )
     SELECT w.id, w.url, w.description, w.event_types, w.format, w.language, w.enabled, w.secret_ciphertext,
       w.secret_key_id, w.failing_since, w.disabled_reason, w.created_at,
       c.id AS message_id, c.attempts, c.created_at AS message_created_at,
       e.id AS event_id, e.seq::text AS event_seq, e.type AS event_type, e.occurred_at, e.delivery_id,
       e.recipient, e.provider_id, e.payload
     FROM claimed c JOIN webhook_endpoints w ON w.id = c.endpoint_id JOIN events e ON e.id = c.event_id`,
    [limit, workerId, leaseSeconds, deferMs],
  );
  return rows.map((row) => ({
    id: row.message_id,
    attempts: row.attempts,
    createdAt: new Date(row.message_created_at),
    endpoint: row,
    event: toStoredEvent({
      id: row.event_id,
      seq: row.event_seq,
      type: row.event_type,
      occurred_at: row.occurred_at,
      delivery_id: row.delivery_id,
      recipient: row.recipient,
      provider_id: row.provider_id,
      payload: row.payload,
    }),
  }));
}

/** A delivered message's attempt, as recordDelivered writes it. */
export type DeliveredAttempt = Omit<NewAttempt, 'nextAttemptAt' | 'ok' | 'error'>;

/**
 * Records delivered messages in one statement (atomic by itself), however many: each one's attempt, the
 * message settled, and the end of its endpoint's run of failures if one was going on. Deliveries are most
 * of what the sender writes, so they are written together (see WebhookDispatcher); failures take the
 * longer way (recordFailure).
 */
export async function recordDelivered(
  sql: SqlExecutor,
  attempts: readonly DeliveredAttempt[],
): Promise<void> {
  await sql.executeSql(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(message_id uuid, endpoint_id uuid, event_id uuid,
         event_type text, attempt int, duration_ms int, response_status int, response_body text)
     ), attempts AS (
       INSERT INTO webhook_attempts (message_id, endpoint_id, event_id, event_type, attempt, status, duration_ms,
         response_status, response_body)
       SELECT message_id, endpoint_id, event_id, event_type, attempt, 'SUCCEEDED', duration_ms, response_status,
         response_body
       FROM input
     ), settled AS (
       UPDATE webhook_messages m SET claimed_by = NULL, lease_expires_at = NULL, status = 'DELIVERED'
       FROM input i WHERE m.id = i.message_id
     )
     UPDATE webhook_endpoints w SET failing_since = NULL
     WHERE w.id IN (SELECT endpoint_id FROM input) AND w.failing_since IS NOT NULL`,
    [
      JSON.stringify(
        attempts.map((attempt) => ({
          message_id: attempt.messageId,
          endpoint_id: attempt.endpointId,
          event_id: attempt.eventId,
          event_type: attempt.eventType,
          attempt: attempt.attempt,
          duration_ms: attempt.durationMs,
          response_status: attempt.responseStatus,
          response_body: attempt.responseBody,
        })),
      ),
    ],
  );
}

/** Ends a failed attempt's message: waiting for its retry at `next`, or given up (`next` null). */
export async function settleFailed(sql: SqlExecutor, messageId: string, next: Date | null): Promise<void> {
  await sql.executeSql(
    `UPDATE webhook_messages SET claimed_by = NULL, lease_expires_at = NULL,
       status = CASE WHEN $2::timestamptz IS NULL THEN 'GIVEN_UP' ELSE 'PENDING' END,
       given_up_at = CASE WHEN $2::timestamptz IS NULL THEN now() END,
       next_attempt_at = coalesce($2::timestamptz, next_attempt_at)
     WHERE id = $1`,
    [messageId, next],
  );
}

/**
 * Counts a failure against its endpoint: it starts a run of failures if none is going on (a success ends it,
 * see recordDelivered), and an endpoint failing since longer than `disableAfterMs` is disabled with
 * `reason`. Returns the endpoint when this call disabled it (once, whichever process sees it first).
 */
export async function recordFailure(
  sql: SqlExecutor,
  endpointId: string,
  disableAfterMs: number,
  reason: string,
): Promise<EndpointRow | undefined> {
  await sql.executeSql(
    `UPDATE webhook_endpoints SET failing_since = now() WHERE id = $1 AND failing_since IS NULL`,
    [endpointId],
  );
  const { rows } = await sql.executeSql<EndpointRow>(
    `UPDATE webhook_endpoints SET enabled = false, disabled_reason = $3, updated_at = now()
     WHERE id = $1 AND enabled AND failing_since <= now() - $2 * interval '1 millisecond'
     RETURNING ${ENDPOINT_COLUMNS}`,
    [endpointId, disableAfterMs, reason],
  );
  return rows[0];
}

/**
 * Gives up messages past their retry window that no worker will try again (their endpoint is disabled,
 * or they wait behind one that was); returns how many.
 */
export async function giveUpExpired(sql: SqlExecutor, windowMs: number): Promise<number> {
  const { rowCount } = await sql.executeSql(
    `UPDATE webhook_messages SET status = 'GIVEN_UP', given_up_at = now(), claimed_by = NULL,
       lease_expires_at = NULL
     WHERE status = 'PENDING' AND created_at < now() - $1 * interval '1 millisecond'
       AND (lease_expires_at IS NULL OR lease_expires_at < now())`,
    [windowMs],
  );
  return rowCount;
}

/**
 * Deletes what the delivery log's purge does not reach, once older than the retention: settled messages of
 * provider events (with their attempts) and the attempts of test sends. A delivery's messages go with it.
 */
export async function purgeSettled(sql: SqlExecutor, before: Date): Promise<number> {
  const messages = await sql.executeSql(
    `DELETE FROM webhook_messages WHERE status <> 'PENDING' AND delivery_id IS NULL AND created_at < $1`,
    [before],
  );
  const tests = await sql.executeSql(
    `DELETE FROM webhook_attempts WHERE message_id IS NULL AND attempted_at < $1`,
    [before],
  );
  return messages.rowCount + tests.rowCount;
}
