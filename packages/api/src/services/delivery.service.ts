import type { Attempt, Channel, Failure, RejectedRecipient } from '@mail-providers/mailer-core';
import { cursorPage, type CursorPage } from '../database/cursor-page';
import { containsPattern } from '../database/like-pattern';
import type { DeliveryStatus } from '../entities/delivery.entity';
import { BadUserInputError, ConflictError, NotFoundError, type FieldError } from '../errors';
import { announceQueued } from '../database/change-listener';
import { dataSourceExecutor, inTransaction, type SqlExecutor } from '../queue/sql-executor';
import { DeliveryAcceptance, type DeliveryAcceptanceDeps } from './delivery-acceptance';
import type { MessageColumns } from '../queue/message-columns';
import type { EmailInputData } from './email-input-validation';
import { appendEvents, toStoredEvent } from '../events/event-log';
import type { StoredEvent } from '../events/event-types';

/** A delivery as the API shows it (the bodies stay in the database). */
export interface DeliveryView {
  id: string;
  status: DeliveryStatus;
  channel: Channel;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string | null;
  subject: string;
  sizeBytes: number;
  idempotencyKey: string | null;
  messageId: string | null;
  rounds: number;
  deliveredByProviderId: string | null;
  deliveredByProviderName: string | null;
  providerMessageId: string | null;
  rejectedRecipients: RejectedRecipient[];
  failure: Failure | null;
  failureReason: string | null;
  createdAt: Date;
  sentAt: Date | null;
  nextAttemptAt: Date | null;
  finishedAt: Date | null;
  /** The delivery this one was resent from (resendDelivery), kept after that one is purged. */
  resentFromId: string | null;
  /** Recipients dropped at acceptance because they are on the suppression list (bare, lower case). */
  suppressedRecipients: string[];
}

/** A delivery's bodies, read only when asked for. */
export interface DeliveryBodies {
  text: string | null;
  html: string | null;
}

/** What resendDelivery takes: the delivery to copy, and new recipients or none for the same ones. */
export interface ResendRequest {
  id: string;
  to: string[] | null;
  requestedBy: string | null;
}

/** An attempt as stored, in the engine's shape plus its place in the delivery's history. */
export interface DeliveryAttemptView extends Omit<Attempt, 'providerId'> {
  providerId?: string;
  round: number;
  seq: number;
  worker: string | null;
}

export interface DeliveryFilter {
  first: number;
  after?: string | null;
  status?: DeliveryStatus | null;
  /** Deliveries this provider tried (or delivered), skips not counted. */
  providerId?: string | null;
  /** Matched anywhere in the recipients and the subject, case-insensitively. */
  search?: string | null;
  createdFrom?: Date | null;
  createdTo?: Date | null;
  channel?: Channel | null;
}

export type DeliveryPage = CursorPage<DeliveryView>;

/** Sent and failed attempts of one provider in one hour. */
export interface DeliveryStatsBucket {
  hour: Date;
  providerId: string | null;
  providerName: string;
  sent: number;
  failed: number;
}

/** What acceptance needs (the service picks the columns it returns). */
export type DeliveryServiceDeps = Omit<DeliveryAcceptanceDeps, 'returning'>;

interface DeliveryRow {
  id: string;
  seq: string;
  status: DeliveryStatus;
  channel: Channel;
  to_addresses: string[];
  cc_addresses: string[];
  bcc_addresses: string[];
  reply_to: string | null;
  subject: string;
  size_bytes: number;
  idempotency_key: string | null;
  message_id: string | null;
  rounds: number;
  delivered_by_provider_id: string | null;
  delivered_by_provider_name: string | null;
  provider_message_id: string | null;
  rejected_recipients: RejectedRecipient[];
  failure: Failure | null;
  failure_reason: string | null;
  created_at: Date;
  sent_at: Date | null;
  next_attempt_at: Date | null;
  finished_at: Date | null;
  resent_from_id: string | null;
  suppressed_recipients: string[];
}

interface AttemptRow {
  delivery_id: string;
  round: number;
  seq: number;
  provider_id: string | null;
  provider_name: string;
  started_at: Date;
  duration_ms: number;
  outcome: Attempt['outcome'];
  skipped_reason: 'circuit_open' | 'cooling_down' | null;
  failure: Failure | null;
  provider_message_id: string | null;
  worker: string | null;
}

const VIEW_COLUMNS = `id, seq::text AS seq, status, channel, to_addresses, cc_addresses, bcc_addresses, reply_to, subject,
  size_bytes, idempotency_key, message_id, rounds, delivered_by_provider_id, delivered_by_provider_name,
  provider_message_id, rejected_recipients, failure, failure_reason, created_at, sent_at, next_attempt_at, finished_at,
  resent_from_id, suppressed_recipients`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_STATS_HOURS = 24 * 93;
const PURGE_BATCH = 5000;

/**
 * The rules of durable sending on the API side: what a message must look like, how it is stored for the
 * workers to claim, and how the delivery log is read.
 */
export class DeliveryService {
  private readonly sql: SqlExecutor;

  private readonly acceptance: DeliveryAcceptance<DeliveryRow>;

  constructor(private readonly deps: DeliveryServiceDeps) {
    this.sql = dataSourceExecutor(deps.dataSource);
    this.acceptance = new DeliveryAcceptance({ ...deps, returning: VIEW_COLUMNS });
  }

  /**
   * Stores the message, due at once, and returns it QUEUED. With an idempotency key already used, returns
   * that first delivery instead and stores nothing. Takes the message from the sending quota of
   * `requestedBy`.
   */
  async send(input: EmailInputData, requestedBy: string | null): Promise<DeliveryView> {
    return toView(await this.acceptance.send(input, requestedBy));
  }

  /** Like {@link send} for many messages at once, all in one transaction: all are accepted or none. */
  async sendMany(inputs: EmailInputData[], requestedBy: string | null): Promise<DeliveryView[]> {
    return (await this.acceptance.sendMany(inputs, requestedBy)).map(toView);
  }

  /**
   * Sends a delivery again as a new one with the same subject, bodies, reply-to and channel: to `to` (checked
   * like sendEmail's), or to the original recipients, cc and bcc included, when `to` is null. The new delivery
   * names the original in `resentFromId`.
   */
  async resend(request: ResendRequest): Promise<DeliveryView> {
    const original = UUID.test(request.id) ? await this.messageOf(request.id) : null;
    if (!original) {
      throw new NotFoundError(
        'No delivery has this id: it may have been purged from the log after its retention period. Reload the delivery log.',
      );
    }
    const sameRecipients = request.to === null;
    if (sameRecipients && original.to_addresses.length === 0) {
      throw new BadUserInputError([
        {
          field: 'to',
          message:
            'Every recipient of this delivery was on the suppression list; give the addresses to send to in to (remove them from the list first, or they are dropped again).',
        },
      ]);
    }
    const input: EmailInputData = {
      to: request.to ?? original.to_addresses,
      cc: sameRecipients ? original.cc_addresses : [],
      bcc: sameRecipients ? original.bcc_addresses : [],
      replyTo: original.reply_to,
      subject: original.subject,
      text: original.text_body,
      html: original.html_body,
      channel: original.channel,
    };
    // Fields are named as resendDelivery's arguments: a bad address is `to[0]`.
    const options = { fieldPrefix: '', resentFromId: request.id };
    return toView(await this.acceptance.send(input, request.requestedBy, options));
  }

  /** A delivery's text and HTML bodies, or null for an unknown id. */
  async bodiesOf(id: string): Promise<DeliveryBodies | null> {
    if (!UUID.test(id)) return null;
    const { rows } = await this.sql.executeSql<{ text_body: string | null; html_body: string | null }>(
      `SELECT text_body, html_body FROM deliveries WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    return row ? { text: row.text_body, html: row.html_body } : null;
  }

  private async messageOf(id: string): Promise<(MessageColumns & { channel: Channel }) | null> {
    const { rows } = await this.sql.executeSql<MessageColumns & { channel: Channel }>(
      `SELECT channel, to_addresses, cc_addresses, bcc_addresses, reply_to, subject, text_body, html_body
       FROM deliveries WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async get(id: string): Promise<DeliveryView | null> {
    if (!UUID.test(id)) return null;
    const { rows } = await this.sql.executeSql<DeliveryRow>(
      `SELECT ${VIEW_COLUMNS} FROM deliveries WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    return row ? toView(row) : null;
  }

  /** The delivery log, newest first, with the filters of the panel. */
  async list(filter: DeliveryFilter): Promise<DeliveryPage> {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (sql: (placeholder: string) => string, value: unknown) => {
      values.push(value);
      where.push(sql(`$${values.length}`));
    };
    if (filter.status) add((p) => `d.status = ${p}`, filter.status);
    if (filter.channel) add((p) => `d.channel = ${p}`, filter.channel);
    if (filter.providerId) {
      if (!UUID.test(filter.providerId)) {
        throw new BadUserInputError([{ field: 'providerId', message: 'Give the id of a provider.' }]);
      }
      add(
        (p) =>
          `EXISTS (SELECT 1 FROM delivery_attempts a WHERE a.delivery_id = d.id AND a.provider_id = ${p} AND a.outcome <> 'SKIPPED')`,
        filter.providerId,
      );
    }
    const search = filter.search?.trim();
    if (search) {
      add(
        (p) => `d.id IN (SELECT s.delivery_id FROM delivery_search s WHERE s.search_text LIKE ${p})`,
        containsPattern(search),
      );
    }
    if (filter.createdFrom) add((p) => `d.created_at >= ${p}`, filter.createdFrom);
    if (filter.createdTo) add((p) => `d.created_at < ${p}`, filter.createdTo);

    const { rows: countRows } = await this.sql.executeSql<{ count: string }>(
      `SELECT count(*)::text AS count FROM deliveries d ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`,
      values,
    );
    const after = decodeCursor(filter.after);
    if (after !== null) add((p) => `d.seq < ${p}::bigint`, after);
    values.push(filter.first + 1);
    const { rows } = await this.sql.executeSql<DeliveryRow>(
      `SELECT ${VIEW_COLUMNS} FROM deliveries d
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY d.seq DESC LIMIT $${values.length}`,
      values,
    );
    return cursorPage(rows, {
      first: filter.first,
      totalCount: Number(countRows[0]?.count ?? 0),
      toNode: toView,
      cursorOf: (row) => encodeCursor(row.seq),
    });
  }

  /** Every attempt of these deliveries, oldest first, grouped by delivery id. */
  async attemptsOf(deliveryIds: readonly string[]): Promise<Map<string, DeliveryAttemptView[]>> {
    const out = new Map<string, DeliveryAttemptView[]>(deliveryIds.map((id) => [id, []]));
    const ids = deliveryIds.filter((id) => UUID.test(id));
    if (ids.length === 0) return out;
    const { rows } = await this.sql.executeSql<AttemptRow>(
      `SELECT delivery_id, round, seq, provider_id, provider_name, started_at, duration_ms, outcome, skipped_reason,
              failure, provider_message_id, worker
       FROM delivery_attempts WHERE delivery_id = ANY($1::uuid[]) ORDER BY delivery_id, round, seq`,
      [ids],
    );
    for (const row of rows) out.get(row.delivery_id)?.push(toAttemptView(row));
    return out;
  }

  /** The events of these deliveries, oldest first, grouped by delivery id (one query for all of them). */
  async eventsOf(deliveryIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    const out = new Map<string, StoredEvent[]>(deliveryIds.map((id) => [id, []]));
    const ids = deliveryIds.filter((id) => UUID.test(id));
    if (ids.length === 0) return out;
    const { rows } = await this.sql.executeSql<Parameters<typeof toStoredEvent>[0]>(
      `SELECT id, seq::text AS seq, type, occurred_at, delivery_id, recipient, provider_id, payload
       FROM events WHERE delivery_id = ANY($1::uuid[]) ORDER BY delivery_id, seq`,
      [ids],
    );
    for (const event of rows.map(toStoredEvent)) {
      if (event.deliveryId !== null) out.get(event.deliveryId)?.push(event);
    }
    return out;
  }

  /**
   * Sends a FAILED delivery again, with a fresh retry window: it is QUEUED and due at once, its count of
   * expired leases starts again, and its timeline gets a new DELIVERY_QUEUED event.
   */
  async retry(id: string): Promise<DeliveryView> {
    if (!UUID.test(id)) throw new NotFoundError('No delivery has that id; reload the delivery log.');
    const view = await inTransaction(this.deps.dataSource, async (sql) => {
      const { rows: current } = await sql.executeSql<{ status: DeliveryStatus }>(
        `SELECT status FROM deliveries WHERE id = $1 FOR UPDATE`,
        [id],
      );
      const status = current[0]?.status;
      if (!status) throw new NotFoundError('No delivery has that id; reload the delivery log.');
      if (status !== 'FAILED') {
        throw new ConflictError(`Only FAILED deliveries can be retried; this one is ${status}.`);
      }
      const { rows } = await sql.executeSql<DeliveryRow>(
        `UPDATE deliveries SET status = 'QUEUED', window_started_at = now(), next_attempt_at = now(),
                lease_expiries = 0, finished_at = NULL, failure = NULL, failure_reason = NULL, updated_at = now()
         WHERE id = $1 RETURNING ${VIEW_COLUMNS}`,
        [id],
      );
      if (this.deps.announceQueued) await announceQueued(sql);
      const row = rows[0];
      if (!row) throw new NotFoundError('No delivery has that id; reload the delivery log.');
      await appendEvents(sql, [
        { type: 'DELIVERY_QUEUED', deliveryId: id, payload: { channel: row.channel } },
      ]);
      return toView(row);
    });
    this.deps.onEnqueued?.(1);
    return view;
  }

  /** Sent and failed attempts per provider per hour in [from, to). */
  async stats(from: Date, to: Date, providerId?: string | null): Promise<DeliveryStatsBucket[]> {
    const problems: FieldError[] = [];
    if (!(to.getTime() > from.getTime()))
      problems.push({ field: 'to', message: 'Make "to" later than "from".' });
    if (to.getTime() - from.getTime() > MAX_STATS_HOURS * 3_600_000) {
      problems.push({ field: 'from', message: `Ask for at most ${MAX_STATS_HOURS / 24} days at a time.` });
    }
    if (providerId && !UUID.test(providerId))
      problems.push({ field: 'providerId', message: 'Give the id of a provider.' });
    if (problems.length > 0) throw new BadUserInputError(problems);
    const { rows } = await this.sql.executeSql<{
      hour: Date;
      provider_id: string | null;
      provider_name: string;
      sent: number;
      failed: number;
    }>(
      `SELECT date_trunc('hour', started_at) AS hour, provider_id, max(provider_name) AS provider_name,
              count(*) FILTER (WHERE outcome = 'SENT')::int AS sent,
              count(*) FILTER (WHERE outcome = 'FAILED')::int AS failed
       FROM delivery_attempts
       WHERE started_at >= $1 AND started_at < $2 AND outcome <> 'SKIPPED' AND ($3::uuid IS NULL OR provider_id = $3)
       GROUP BY 1, 2 ORDER BY 1, 3`,
      [from, to, providerId ?? null],
    );
    return rows.map((row) => ({
      hour: new Date(row.hour),
      providerId: row.provider_id,
      providerName: row.provider_name,
      sent: row.sent,
      failed: row.failed,
    }));
  }

  /**
   * Deletes finished deliveries (and their attempts) accepted before `before`; returns how many. An aborted
   * `signal` stops it between two batches.
   */
  async purge(before: Date, signal?: AbortSignal): Promise<number> {
    let total = 0;
    while (!signal?.aborted) {
      // In batches, so a large purge never holds long locks against the workers.
      const { rowCount } = await this.sql.executeSql(
        `DELETE FROM deliveries WHERE id IN (
           SELECT id FROM deliveries WHERE created_at < $1 AND status IN ('SENT', 'FAILED', 'SUPPRESSED') LIMIT ${PURGE_BATCH})`,
        [before],
      );
      total += rowCount;
      if (rowCount < PURGE_BATCH) break;
    }
    if (signal?.aborted) return total;
    await this.sql.executeSql(
      `DELETE FROM alert_events WHERE created_at < $1 AND (resolved_at IS NOT NULL OR kind = 'CIRCUIT_CLOSED')`,
      [before],
    );
    return total;
  }

  /** Deliveries not finished yet, by status. */
  async pendingCounts(): Promise<Array<{ status: string; count: number }>> {
    const { rows } = await this.sql.executeSql<{ status: string; count: number }>(
      `SELECT status, count(*)::int AS count FROM deliveries WHERE status IN ('QUEUED', 'SENDING', 'RETRYING') GROUP BY status`,
    );
    return rows;
  }
}

function toView(row: DeliveryRow): DeliveryView {
  return {
    id: row.id,
    status: row.status,
    channel: row.channel,
    to: row.to_addresses,
    cc: row.cc_addresses,
    bcc: row.bcc_addresses,
    replyTo: row.reply_to,
    subject: row.subject,
    sizeBytes: row.size_bytes,
    idempotencyKey: row.idempotency_key,
    messageId: row.message_id,
    rounds: row.rounds,
    deliveredByProviderId: row.delivered_by_provider_id,
    deliveredByProviderName: row.delivered_by_provider_name,
    providerMessageId: row.provider_message_id,
    rejectedRecipients: row.rejected_recipients,
    failure: row.failure,
    failureReason: row.failure_reason,
    createdAt: new Date(row.created_at),
    sentAt: row.sent_at === null ? null : new Date(row.sent_at),
    // A QUEUED delivery has a due time too (when it was accepted, or its retry asked for); the API shows
    // the time of a round that waits for its backoff.
    nextAttemptAt:
      row.status === 'RETRYING' && row.next_attempt_at !== null ? new Date(row.next_attempt_at) : null,
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
    resentFromId: row.resent_from_id,
    suppressedRecipients: row.suppressed_recipients,
  };
}

function toAttemptView(row: AttemptRow): DeliveryAttemptView {
  const view: DeliveryAttemptView = {
    providerName: row.provider_name,
    startedAt: new Date(row.started_at),
    durationMs: row.duration_ms,
    outcome: row.outcome,
    round: row.round,
    seq: row.seq,
    worker: row.worker,
  };
  if (row.provider_id !== null) view.providerId = row.provider_id;
  if (row.failure !== null) view.failure = row.failure;
  if (row.skipped_reason !== null) view.skippedReason = row.skipped_reason;
  if (row.provider_message_id !== null) view.providerMessageId = row.provider_message_id;
  return view;
}

function encodeCursor(seq: string): string {
  return Buffer.from(`delivery:${seq}`).toString('base64url');
}

function decodeCursor(cursor: string | null | undefined): string | null {
  if (!cursor) return null;
  const decoded = /^delivery:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!decoded?.[1]) {
    throw new BadUserInputError([
      { field: 'after', message: 'Use the endCursor of a previous page as "after".' },
    ]);
  }
  return decoded[1];
}
