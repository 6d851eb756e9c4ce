import { createHash } from 'node:crypto';
import {
  SIGNATURE_TOLERANCE_MS,
  type ApiVendor,
  type Channel,
  type VendorEvent,
} from '@mail-providers/mailer-core';
import type { SqlExecutor } from '../queue/sql-executor';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The metadata key the worker attaches at send (see queue/round-claimer.ts). */
export const DELIVERY_ID_METADATA = 'deliveryId';

/**
 * Remembers a signed request; false when it was seen already (a replay). The key is stored as a digest:
 * it contains the signature. Keys older than twice the signature tolerance go (such requests are refused
 * as stale before they get here).
 */
export async function rememberSignedRequest(
  sql: SqlExecutor,
  providerId: string,
  replayKey: string,
): Promise<boolean> {
  await sql.executeSql(
    `DELETE FROM vendor_webhook_requests WHERE received_at < now() - make_interval(secs => $1)`,
    [(2 * SIGNATURE_TOLERANCE_MS) / 1000],
  );
  const { rowCount } = await sql.executeSql(
    `INSERT INTO vendor_webhook_requests (provider_id, replay_key) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
    [providerId, createHash('sha256').update(replayKey).digest('hex')],
  );
  return rowCount === 1;
}

export interface MatchedDelivery {
  id: string;
  channel: Channel;
}

/**
 * The delivery an event is about: by the delivery id sent as metadata, else by the vendor's message id
 * recorded on an attempt (stored as the send answer gave it, with or without Mailgun's angle brackets),
 * else by our Message-ID header when the vendor reports it.
 */
export async function findDelivery(sql: SqlExecutor, event: VendorEvent): Promise<MatchedDelivery | null> {
  const fromMetadata = event.metadata[DELIVERY_ID_METADATA];
  const deliveryId = fromMetadata && UUID.test(fromMetadata) ? fromMetadata : null;
  const header = event.messageIdHeader?.trim().replace(/^<|>$/g, '') || null;
  const { rows } = await sql.executeSql<MatchedDelivery>(
    `SELECT id, channel FROM (
       SELECT d.id, d.channel, 1 AS how FROM deliveries d WHERE d.id = $1::uuid
       UNION ALL
       (SELECT d.id, d.channel, 2 FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
         WHERE a.provider_message_id IN ($2::text, '<' || $2::text || '>') ORDER BY a.id DESC LIMIT 1)
       UNION ALL
       (SELECT d.id, d.channel, 3 FROM deliveries d
         WHERE d.message_id IN ($3::text, '<' || $3::text || '>') ORDER BY d.seq DESC LIMIT 1)
     ) m ORDER BY how LIMIT 1`,
    [deliveryId, event.vendorMessageId, header],
  );
  return rows[0] ?? null;
}

/** Stores an event; null when this provider already sent an event with this id (a vendor's retry). */
export async function storeVendorEvent(
  sql: SqlExecutor,
  providerId: string,
  event: VendorEvent,
  deliveryId: string | null,
): Promise<string | null> {
  const { rows } = await sql.executeSql<{ id: string }>(
    `INSERT INTO vendor_events (vendor, provider_id, vendor_event_id, delivery_id, matched, vendor_event_type,
       event_type, bounce_type, recipient, vendor_message_id, reason, occurred_at)
     VALUES ($1, $2, $3, $4, $4::uuid IS NOT NULL, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (provider_id, vendor_event_id) DO NOTHING
     RETURNING id`,
    [
      event.vendor,
      providerId,
      event.vendorEventId,
      deliveryId,
      event.vendorEventType,
      event.outcome?.eventType ?? null,
      event.outcome?.eventType === 'DELIVERY_BOUNCED' ? event.outcome.bounceType : null,
      event.recipient,
      event.vendorMessageId,
      event.reason,
      event.occurredAt?.toISOString() ?? null,
    ],
  );
  return rows[0]?.id ?? null;
}

/** An unmatched event as the API lists it. */
export interface StoredVendorEvent {
  id: string;
  vendor: ApiVendor;
  providerId: string;
  providerName: string | null;
  receivedAt: Date;
  vendorEventType: string;
  eventType: string | null;
  recipient: string | null;
  vendorMessageId: string | null;
  reason: string | null;
}

export interface VendorEventRow {
  id: string;
  seq: string;
  vendor: ApiVendor;
  provider_id: string;
  provider_name: string | null;
  received_at: Date;
  vendor_event_type: string;
  event_type: string | null;
  recipient: string | null;
  vendor_message_id: string | null;
  reason: string | null;
}

/** Unmatched events, newest first, from after the cursor's `seq` (null: from the newest). */
export async function unmatchedVendorEvents(
  sql: SqlExecutor,
  first: number,
  afterSeq: string | null,
): Promise<{ rows: VendorEventRow[]; totalCount: number }> {
  const { rows } = await sql.executeSql<VendorEventRow>(
    `SELECT v.id, v.seq::text AS seq, v.vendor, v.provider_id, p.name AS provider_name, v.received_at,
            v.vendor_event_type, v.event_type, v.recipient, v.vendor_message_id, v.reason
       FROM vendor_events v LEFT JOIN providers p ON p.id = v.provider_id
      WHERE NOT v.matched AND ($2::bigint IS NULL OR v.seq < $2::bigint)
      ORDER BY v.seq DESC LIMIT $1`,
    [first + 1, afterSeq],
  );
  const count = await sql.executeSql<{ count: string }>(
    `SELECT count(*)::text AS count FROM vendor_events WHERE NOT matched`,
  );
  return { rows, totalCount: Number(count.rows[0]?.count ?? 0) };
}

export function toStoredVendorEvent(row: VendorEventRow): StoredVendorEvent {
  return {
    id: row.id,
    vendor: row.vendor,
    providerId: row.provider_id,
    providerName: row.provider_name,
    receivedAt: new Date(row.received_at),
    vendorEventType: row.vendor_event_type,
    eventType: row.event_type,
    recipient: row.recipient,
    vendorMessageId: row.vendor_message_id,
    reason: row.reason,
  };
}
