// How a delivery's events read in its timeline: each type's tone (the marker's colour) and what is said
// beside the type (the recipient, the bounce's kind, the provider or vendor that reported it).

import type { DeliveryEvent, EventType } from '../graphql/types';

export type EventTone = 'ok' | 'danger' | 'warn' | 'muted' | 'neutral';

export const EVENT_TONE: Readonly<Record<EventType, EventTone>> = {
  DELIVERY_QUEUED: 'neutral',
  DELIVERY_SENT: 'ok',
  DELIVERY_FAILED: 'danger',
  DELIVERY_DELIVERED: 'ok',
  DELIVERY_BOUNCED: 'danger',
  DELIVERY_COMPLAINED: 'warn',
  DELIVERY_SUPPRESSED: 'muted',
  PROVIDER_PAUSED: 'warn',
  PROVIDER_RECOVERED: 'ok',
  FALLBACK_USED: 'warn',
  PROVIDER_OAUTH_REVOKED: 'danger',
};

/** A soft bounce is worth a warning, not an alarm: the address may work again. */
export function eventTone(event: Pick<DeliveryEvent, 'type' | 'bounceType'>): EventTone {
  if (event.type === 'DELIVERY_BOUNCED' && event.bounceType === 'SOFT') return 'warn';
  return EVENT_TONE[event.type];
}

/** The i18n key of an event's title: a bounce says whether it was hard or soft. */
export function eventTitleKey(event: Pick<DeliveryEvent, 'type' | 'bounceType'>): string {
  if (event.type === 'DELIVERY_BOUNCED' && event.bounceType)
    return `eventTimeline.bounced.${event.bounceType}`;
  return `enums.eventType.${event.type}`;
}
