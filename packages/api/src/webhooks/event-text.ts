// Placeholder for the interface another branch implements; replaced when the branches are joined.
import type { StoredEvent } from '../events/event-types';

export type WebhookLanguage = 'en' | 'tr';
export type OutboundEvent = StoredEvent | { id: string; type: 'WEBHOOK_TEST'; occurredAt: Date };

export function eventText(event: OutboundEvent, _language: WebhookLanguage): string {
  return event.type;
}
