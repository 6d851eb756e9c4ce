import { API_VENDORS, type ApiVendor } from '@mail-providers/mailer-core';
import type { BounceType, EventType, StoredEvent } from '../events/event-types';

/** A delivery's event as its timeline shows it: the payload's fields that apply, flattened. */
export interface DeliveryEventView {
  id: string;
  type: EventType;
  occurredAt: Date;
  recipient: string | null;
  providerId: string | null;
  providerName: string | null;
  vendor: ApiVendor | null;
  bounceType: BounceType | null;
  reason: string | null;
}

/**
 * Flattens a stored event. Every payload field is read by name and kept only with the expected type, so
 * an event written by an earlier release (or a type without that field) shows null rather than failing.
 */
export function toDeliveryEventView(event: StoredEvent): DeliveryEventView {
  const payload: Record<string, unknown> = { ...event.payload };
  const text = (name: string): string | null => {
    const value = payload[name];
    return typeof value === 'string' ? value : null;
  };
  const vendor = text('vendor');
  const bounceType = text('bounceType');
  return {
    id: event.id,
    type: event.type,
    occurredAt: event.occurredAt,
    recipient: event.recipient,
    providerId: event.providerId ?? text('providerId'),
    providerName: text('providerName'),
    vendor: vendor !== null && isApiVendor(vendor) ? vendor : null,
    bounceType: bounceType === 'HARD' || bounceType === 'SOFT' ? bounceType : null,
    reason: text('reason'),
  };
}

function isApiVendor(value: string): value is ApiVendor {
  return (API_VENDORS as readonly string[]).includes(value);
}
