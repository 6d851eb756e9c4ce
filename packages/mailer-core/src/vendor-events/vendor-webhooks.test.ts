import { API_VENDORS, type ApiVendor } from '../provider';
import {
  sampleVendorPayload,
  vendorReports,
  vendorSigner,
  vendorSignsRequests,
  type SampleKind,
} from '../test-support';
import { VENDOR_WEBHOOKS } from './index';
import type { WebhookRequest } from './vendor-event';

function request(signed: { headers: Record<string, string>; body: string }): WebhookRequest {
  return { headers: signed.headers, body: Buffer.from(signed.body, 'utf8') };
}

const KINDS: Array<[SampleKind, string | null]> = [
  ['delivered', 'DELIVERY_DELIVERED'],
  ['hard_bounce', 'DELIVERY_BOUNCED'],
  ['soft_bounce', 'DELIVERY_BOUNCED'],
  ['complaint', 'DELIVERY_COMPLAINED'],
  ['open', null],
];

describe.each([...API_VENDORS])('%s webhooks', (vendor: ApiVendor) => {
  const webhook = VENDOR_WEBHOOKS[vendor];
  const signer = vendorSigner(vendor);
  const now = new Date();

  it.each(KINDS.filter(([kind]) => vendorReports(vendor, kind)))(
    'verifies and reads a signed %s event',
    (kind, eventType) => {
      const payload = sampleVendorPayload(vendor, [
        { kind, recipient: 'Ann@Example.com', vendorMessageId: 'msg-1', metadata: { deliveryId: 'd-1' } },
      ]);
      const signed = request(signer.sign(payload));
      expect(webhook.verify(signed, signer.secret, now)).toMatchObject({ ok: true });
      const [event, ...rest] = webhook.parse(signed);
      expect(rest).toHaveLength(0);
      expect(event?.outcome?.eventType ?? null).toBe(eventType);
      if (kind === 'hard_bounce') expect(event?.outcome).toMatchObject({ bounceType: 'HARD' });
      if (kind === 'soft_bounce') expect(event?.outcome).toMatchObject({ bounceType: 'SOFT' });
      expect(event?.recipient).toBe('Ann@Example.com');
      expect(event?.metadata).toEqual({ deliveryId: 'd-1' });
      if (vendor !== 'brevo') expect(event?.vendorMessageId).toBe('msg-1');
      expect(event?.vendorEventId).toBeTruthy();
    },
  );

  it('refuses a wrong secret and a body changed after signing', () => {
    const payload = sampleVendorPayload(vendor, [{ kind: 'hard_bounce', recipient: 'a@example.com' }]);
    const signed = signer.sign(payload);
    const other = vendorSigner(vendor);
    expect(webhook.verify(request(signed), other.secret, now)).toMatchObject({ ok: false });
    // Mailgun signs timestamp + token only, not the body: its replay key (the token) is what protects it.
    if (vendorSignsRequests(vendor) && vendor !== 'mailgun') {
      const tampered = { ...signed, body: signed.body.replace('a@example.com', 'b@example.com') };
      expect(webhook.verify(request(tampered), signer.secret, now)).toEqual({
        ok: false,
        refusal: 'bad_signature',
      });
    }
    const unsigned = vendor === 'mailgun' ? JSON.stringify(payload) : signed.body;
    expect(webhook.verify({ headers: {}, body: Buffer.from(unsigned) }, signer.secret, now)).toEqual({
      ok: false,
      refusal: 'missing_signature',
    });
  });

  if (vendorSignsRequests(vendor)) {
    it.each([
      ['6 minutes ago', -6 * 60_000],
      ['6 minutes ahead', 6 * 60_000],
    ])('refuses a request signed %s, and names each request for replay detection', (_label, offset) => {
      const payload = sampleVendorPayload(vendor, [{ kind: 'hard_bounce', recipient: 'a@example.com' }]);
      const old = signer.sign(payload, { at: new Date(now.getTime() + offset) });
      expect(webhook.verify(request(old), signer.secret, now)).toEqual({
        ok: false,
        refusal: 'stale_timestamp',
      });
      const first = webhook.verify(request(signer.sign(payload)), signer.secret, now);
      const second = webhook.verify(
        request(signer.sign(payload, { at: new Date(now.getTime() - 2000) })),
        signer.secret,
        now,
      );
      expect(first.ok && second.ok && first.replayKey !== null && first.replayKey !== second.replayKey).toBe(
        true,
      );
    });
  } else {
    it('takes a bearer token equal to the secret', () => {
      const payload = sampleVendorPayload(vendor, [{ kind: 'delivered', recipient: 'a@example.com' }]);
      const bearer = {
        headers: { authorization: `Bearer ${signer.secret}` },
        body: Buffer.from(JSON.stringify(payload)),
      };
      expect(webhook.verify(bearer, signer.secret, now)).toEqual({ ok: true, replayKey: null });
    });
  }
});

describe('batches', () => {
  it.each<ApiVendor>(['sendgrid', 'sparkpost'])('%s: every event of a batch is read', (vendor) => {
    const signer = vendorSigner(vendor);
    const payload = sampleVendorPayload(vendor, [
      { kind: 'delivered', recipient: 'a@example.com' },
      { kind: 'hard_bounce', recipient: 'b@example.com' },
      { kind: 'open', recipient: 'c@example.com' },
    ]);
    const events = VENDOR_WEBHOOKS[vendor].parse(request(signer.sign(payload)));
    expect(events.map((event) => [event.recipient, event.outcome?.eventType ?? null])).toEqual([
      ['a@example.com', 'DELIVERY_DELIVERED'],
      ['b@example.com', 'DELIVERY_BOUNCED'],
      ['c@example.com', null],
    ]);
  });

  it('SparkPost: the empty test batch sent when a webhook is created holds no events', () => {
    const events = VENDOR_WEBHOOKS.sparkpost.parse({ headers: {}, body: Buffer.from('[{"msys":{}}]') });
    expect(events).toEqual([]);
  });
});
