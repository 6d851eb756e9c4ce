import { mount } from '@vue/test-utils';
import DeliveryEventTimeline from '../../src/components/delivery-event-timeline.vue';
import type { DeliveryEvent } from '../../src/graphql/types';
import { logGlobals } from './log-mount-options';

const base = {
  recipient: null,
  providerId: null,
  providerName: null,
  vendor: null,
  bounceType: null,
  reason: null,
};
const EVENTS: DeliveryEvent[] = [
  { ...base, id: '1', type: 'DELIVERY_QUEUED', occurredAt: '2026-12-07T10:00:00Z' },
  {
    ...base,
    id: '2',
    type: 'DELIVERY_SENT',
    occurredAt: '2026-12-07T10:00:01Z',
    providerName: 'sendgrid-api',
  },
  {
    ...base,
    id: '3',
    type: 'DELIVERY_BOUNCED',
    occurredAt: '2026-12-07T10:00:05Z',
    recipient: 'gone@example.com',
    vendor: 'SENDGRID',
    bounceType: 'HARD',
    reason: '550 5.1.1 The email account that you tried to reach does not exist.',
  },
];

describe('a delivery’s events', () => {
  it('lists them oldest first: queued, sent, then the bounce with its kind, recipient and reason', () => {
    const wrapper = mount(DeliveryEventTimeline, { props: { events: EVENTS }, global: logGlobals('en') });
    const items = wrapper.findAll('[data-testid="delivery-event"]');
    expect(items.map((item) => item.attributes('data-event-type'))).toEqual([
      'DELIVERY_QUEUED',
      'DELIVERY_SENT',
      'DELIVERY_BOUNCED',
    ]);
    expect(items[1]?.text()).toContain('reported by sendgrid-api');
    expect(items[2]?.classes()).toContain('timeline__item--danger');
    expect(items[2]?.text()).toContain('Bounced (hard: the address does not exist or refuses mail)');
    expect(items[2]?.text()).toContain('Recipient: gone@example.com');
    expect(items[2]?.text()).toContain('reported by SendGrid');
    expect(items[2]?.text()).toContain('Reason: 550 5.1.1');
  });

  it('says so in Turkish when there is none yet', () => {
    const wrapper = mount(DeliveryEventTimeline, { props: { events: [] }, global: logGlobals('tr') });
    expect(wrapper.text()).toBe('Henüz kayıtlı olay yok.');
  });
});
