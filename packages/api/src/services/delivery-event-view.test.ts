import type { ApiVendor } from '@mail-providers/mailer-core';
import type { StoredEvent } from '../events/event-types';
import { toDeliveryEventView, type DeliveryEventView } from './delivery-event-view';

const PROVIDER = '7d1f6e0a-3a53-4a53-9c3e-2f0e1f1b2c3d';

function stored(partial: Pick<StoredEvent, 'type' | 'payload'> & Partial<StoredEvent>): StoredEvent {
  return {
    id: 'e1',
    seq: '1',
    occurredAt: new Date(0),
    deliveryId: 'd1',
    recipient: null,
    providerId: null,
    ...partial,
  };
}

const NONE = { providerId: null, providerName: null, vendor: null, bounceType: null, reason: null };

describe('a delivery event as the timeline shows it', () => {
  it.each<[string, StoredEvent, Partial<DeliveryEventView>]>([
    ['queued', stored({ type: 'DELIVERY_QUEUED', payload: { channel: 'DEFAULT' } }), NONE],
    [
      'suppressed (recipient kept)',
      stored({ type: 'DELIVERY_SUPPRESSED', recipient: 'ann@example.com', payload: { channel: 'CRM' } }),
      { ...NONE, recipient: 'ann@example.com' },
    ],
    [
      'sent (provider from the payload)',
      stored({
        type: 'DELIVERY_SENT',
        payload: { providerId: PROVIDER, providerName: 'sink', providerMessageId: '<x@y>' },
      }),
      { ...NONE, providerId: PROVIDER, providerName: 'sink' },
    ],
    [
      'failed',
      stored({
        type: 'DELIVERY_FAILED',
        payload: { category: 'RECIPIENT_REJECTED', reason: 'no such user' },
      }),
      { ...NONE, reason: 'no such user' },
    ],
    [
      'bounced',
      stored({
        type: 'DELIVERY_BOUNCED',
        providerId: PROVIDER,
        recipient: 'ann@example.com',
        payload: { vendor: 'mailgun', providerId: PROVIDER, bounceType: 'HARD', reason: '550 5.1.1' },
      }),
      {
        providerId: PROVIDER,
        providerName: null,
        vendor: 'mailgun',
        bounceType: 'HARD',
        reason: '550 5.1.1',
      },
    ],
  ])('%s', (_case, event, expected) => {
    expect(toDeliveryEventView(event)).toMatchObject({ id: 'e1', type: event.type, ...expected });
  });

  it('shows null for a field of the wrong shape rather than failing', () => {
    const odd = stored({
      type: 'DELIVERY_BOUNCED',
      payload: { vendor: 'nobody' as ApiVendor, providerId: PROVIDER, bounceType: 'HARD', reason: null },
    });
    expect(toDeliveryEventView(odd)).toMatchObject({ vendor: null, bounceType: 'HARD', reason: null });
  });
});
