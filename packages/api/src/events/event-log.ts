import type { SqlExecutor } from '../queue/sql-executor';
import type { EventPayloads, EventType, NewEvent, StoredEvent } from './event-types';

interface EventRow {
  id: string;
  seq: string;
  type: EventType;
  occurred_at: Date;
  delivery_id: string | null;
  recipient: string | null;
  provider_id: string | null;
  payload: EventPayloads[EventType];
}

/**
 * Appends events to the log with one statement. Run it with the executor of the transaction that makes the
 * change the events report (or in the same statement, as the durable-sending statements do with their own
 * `INSERT INTO events`): an event is written if and only if its change is. Every enabled webhook endpoint
 * subscribed to an event's type gets its copy to send in that same transaction (see the events migration).
 */
export async function appendEvents(sql: SqlExecutor, events: NewEvent[]): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  const { rows } = await sql.executeSql<EventRow>(
    `INSERT INTO events (type, occurred_at, delivery_id, recipient, provider_id, payload)
     SELECT x.type, coalesce(x.occurred_at, now()), x.delivery_id, x.recipient, x.provider_id, x.payload
     FROM jsonb_to_recordset($1::jsonb) AS x(type text, occurred_at timestamptz, delivery_id uuid,
       recipient text, provider_id uuid, payload jsonb, ord int)
     ORDER BY x.ord
     RETURNING id, seq::text AS seq, type, occurred_at, delivery_id, recipient, provider_id, payload`,
    [
      JSON.stringify(
        events.map((event, ord) => ({
          ord,
          type: event.type,
          occurred_at: event.occurredAt?.toISOString() ?? null,
          delivery_id: event.deliveryId ?? null,
          recipient: event.recipient ?? null,
          provider_id: event.providerId ?? null,
          payload: event.payload,
        })),
      ),
    ],
  );
  return rows.map(toStoredEvent);
}

/** A delivery's events in the order they were written (queued, sent, then what the vendor reported). */
export async function eventsOfDelivery(sql: SqlExecutor, deliveryId: string): Promise<StoredEvent[]> {
  const { rows } = await sql.executeSql<EventRow>(
    `SELECT id, seq::text AS seq, type, occurred_at, delivery_id, recipient, provider_id, payload
     FROM events WHERE delivery_id = $1 ORDER BY seq`,
    [deliveryId],
  );
  return rows.map(toStoredEvent);
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.id,
    seq: row.seq,
    type: row.type,
    occurredAt: new Date(row.occurred_at),
    deliveryId: row.delivery_id,
    recipient: row.recipient,
    providerId: row.provider_id,
    payload: row.payload,
  };
}
