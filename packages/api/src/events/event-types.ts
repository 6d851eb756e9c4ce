import type { ApiVendor, Channel, FailureCategory } from '@mail-providers/mailer-core';

/**
 * What the product tells integrators and operators about: what became of each delivery (from acceptance to
 * the recipient's server, as far as a vendor reports it) and of each provider.
 */
export const DELIVERY_EVENT_TYPES = [
  'DELIVERY_QUEUED',
  'DELIVERY_SENT',
  'DELIVERY_FAILED',
  'DELIVERY_DELIVERED',
  'DELIVERY_BOUNCED',
  'DELIVERY_COMPLAINED',
  'DELIVERY_SUPPRESSED',
] as const;

export const PROVIDER_EVENT_TYPES = [
  'PROVIDER_PAUSED',
  'PROVIDER_RECOVERED',
  'FALLBACK_USED',
  'PROVIDER_OAUTH_REVOKED',
] as const;

export const EVENT_TYPES = [...DELIVERY_EVENT_TYPES, ...PROVIDER_EVENT_TYPES] as const;

export type DeliveryEventType = (typeof DELIVERY_EVENT_TYPES)[number];
export type ProviderEventType = (typeof PROVIDER_EVENT_TYPES)[number];
export type EventType = (typeof EVENT_TYPES)[number];

export type BounceType = 'HARD' | 'SOFT';

/**
 * The small typed payload of each event type. Never a secret, never the message's body or subject: an
 * event says what happened and to what, and the delivery's id leads to the rest for those allowed to read it.
 */
export interface EventPayloads {
  DELIVERY_QUEUED: { channel: Channel };
  DELIVERY_SENT: { providerId: string | null; providerName: string | null; providerMessageId: string | null };
  DELIVERY_FAILED: { category: FailureCategory | null; reason: string | null };
  DELIVERY_DELIVERED: { vendor: ApiVendor; providerId: string };
  DELIVERY_BOUNCED: { vendor: ApiVendor; providerId: string; bounceType: BounceType; reason: string | null };
  DELIVERY_COMPLAINED: { vendor: ApiVendor; providerId: string };
  DELIVERY_SUPPRESSED: { channel: Channel };
  PROVIDER_PAUSED: {
    providerName: string;
    category: FailureCategory | null;
    consecutiveFailures: number;
  };
  PROVIDER_RECOVERED: { providerName: string };
  FALLBACK_USED: { providerName: string; deliveredByName: string; category: FailureCategory | null };
  PROVIDER_OAUTH_REVOKED: { providerName: string };
}

/** An event to append to the log: delivery events name their delivery (and recipient), provider events their provider. */
export type NewEvent = {
  [T in EventType]: {
    type: T;
    payload: EventPayloads[T];
    deliveryId?: string | null;
    recipient?: string | null;
    providerId?: string | null;
    /** When it happened (a vendor's own time); now when absent. */
    occurredAt?: Date;
  };
}[EventType];

/** An event as stored: `seq` is the order in which events were written, which orders each delivery's events. */
export interface StoredEvent {
  id: string;
  seq: string;
  type: EventType;
  occurredAt: Date;
  deliveryId: string | null;
  recipient: string | null;
  providerId: string | null;
  payload: EventPayloads[EventType];
}

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}
