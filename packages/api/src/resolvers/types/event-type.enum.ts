import { registerEnumType } from 'type-graphql';
import { EVENT_TYPES, type EventType } from '../../events/event-types';

export const EventTypeEnum = Object.fromEntries(EVENT_TYPES.map((type) => [type, type])) as {
  [T in EventType]: T;
};

registerEnumType(EventTypeEnum, {
  name: 'EventType',
  description:
    'What happened: DELIVERY_QUEUED (accepted), DELIVERY_SENT (a provider accepted it), DELIVERY_FAILED (no provider could), DELIVERY_DELIVERED (the recipient’s server accepted it, as the vendor reports), DELIVERY_BOUNCED, DELIVERY_COMPLAINED (marked as spam), DELIVERY_SUPPRESSED (not sent: the recipient is on the suppression list); PROVIDER_PAUSED (its circuit opened), PROVIDER_RECOVERED, FALLBACK_USED, PROVIDER_OAUTH_REVOKED (its OAuth2 sign-in was refused: connect it again).',
});
