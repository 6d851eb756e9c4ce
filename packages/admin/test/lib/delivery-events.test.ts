import { EVENT_TYPES, type BounceType, type EventType } from '../../src/graphql/types';
import { EVENT_TONE, eventTitleKey, eventTone, type EventTone } from '../../src/lib/delivery-events';

describe('how a delivery event reads in its timeline', () => {
  it.each<[EventType, BounceType | null, EventTone, string]>([
    ['DELIVERY_QUEUED', null, 'neutral', 'enums.eventType.DELIVERY_QUEUED'],
    ['DELIVERY_SENT', null, 'ok', 'enums.eventType.DELIVERY_SENT'],
    ['DELIVERY_DELIVERED', null, 'ok', 'enums.eventType.DELIVERY_DELIVERED'],
    ['DELIVERY_BOUNCED', 'HARD', 'danger', 'eventTimeline.bounced.HARD'],
    ['DELIVERY_BOUNCED', 'SOFT', 'warn', 'eventTimeline.bounced.SOFT'],
    ['DELIVERY_BOUNCED', null, 'danger', 'enums.eventType.DELIVERY_BOUNCED'],
    ['DELIVERY_COMPLAINED', null, 'warn', 'enums.eventType.DELIVERY_COMPLAINED'],
    ['DELIVERY_SUPPRESSED', null, 'muted', 'enums.eventType.DELIVERY_SUPPRESSED'],
    ['DELIVERY_FAILED', null, 'danger', 'enums.eventType.DELIVERY_FAILED'],
  ])('%s (%s): %s, titled %s', (type, bounceType, tone, key) => {
    expect(eventTone({ type, bounceType })).toBe(tone);
    expect(eventTitleKey({ type, bounceType })).toBe(key);
  });

  it('has a tone for every event type', () => {
    expect(Object.keys(EVENT_TONE).sort()).toEqual([...EVENT_TYPES].sort());
  });
});
