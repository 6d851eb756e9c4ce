import type { ApiVendor } from '../provider';
import { normaliseVendorEvent, normaliseVendorMessageId } from './normalisation';
import { eventVendorOf } from '../rules/relay-hosts';

type Expected = 'DELIVERED' | 'HARD' | 'SOFT' | 'COMPLAINED' | null;

function short(vendor: ApiVendor, type: string, detail: string | null): Expected {
  const outcome = normaliseVendorEvent(vendor, type, detail);
  if (!outcome) return null;
  if (outcome.eventType === 'DELIVERY_BOUNCED') return outcome.bounceType;
  return outcome.eventType === 'DELIVERY_DELIVERED' ? 'DELIVERED' : 'COMPLAINED';
}

describe('the vendor event normalisation table', () => {
  it.each<[ApiVendor, string, string | null, Expected]>([
    ['mailgun', 'delivered', null, 'DELIVERED'],
    ['mailgun', 'failed', 'permanent', 'HARD'],
    ['mailgun', 'failed', 'temporary', 'SOFT'],
    ['mailgun', 'complained', null, 'COMPLAINED'],
    ['mailgun', 'opened', null, null],
    ['mailgun', 'clicked', null, null],
    ['sendgrid', 'delivered', null, 'DELIVERED'],
    ['sendgrid', 'bounce', 'bounce', 'HARD'],
    ['sendgrid', 'bounce', 'blocked', 'SOFT'],
    ['sendgrid', 'dropped', 'address', 'HARD'],
    ['sendgrid', 'dropped', 'other', 'SOFT'],
    ['sendgrid', 'deferred', null, 'SOFT'],
    ['sendgrid', 'spamreport', null, 'COMPLAINED'],
    ['sendgrid', 'open', null, null],
    ['sendgrid', 'processed', null, null],
    ['postmark', 'Delivery', null, 'DELIVERED'],
    ['postmark', 'Bounce', 'HardBounce', 'HARD'],
    ['postmark', 'Bounce', 'BadEmailAddress', 'HARD'],
    ['postmark', 'Bounce', 'SoftBounce', 'SOFT'],
    ['postmark', 'Bounce', 'Transient', 'SOFT'],
    ['postmark', 'Bounce', 'DnsError', 'SOFT'],
    ['postmark', 'Bounce', 'SpamComplaint', 'COMPLAINED'],
    ['postmark', 'Bounce', 'AutoResponder', null],
    ['postmark', 'SpamComplaint', 'SpamComplaint', 'COMPLAINED'],
    ['postmark', 'Open', null, null],
    ['resend', 'email.delivered', null, 'DELIVERED'],
    ['resend', 'email.bounced', 'Permanent', 'HARD'],
    ['resend', 'email.bounced', 'Transient', 'SOFT'],
    ['resend', 'email.bounced', 'Undetermined', 'SOFT'],
    ['resend', 'email.complained', null, 'COMPLAINED'],
    ['resend', 'email.opened', null, null],
    ['resend', 'email.sent', null, null],
    ['brevo', 'delivered', null, 'DELIVERED'],
    ['brevo', 'hard_bounce', null, 'HARD'],
    ['brevo', 'invalid_email', null, 'HARD'],
    ['brevo', 'soft_bounce', null, 'SOFT'],
    ['brevo', 'blocked', null, 'SOFT'],
    ['brevo', 'spam', null, 'COMPLAINED'],
    ['brevo', 'opened', null, null],
    ['sparkpost', 'delivery', null, 'DELIVERED'],
    ['sparkpost', 'bounce', '10', 'HARD'],
    ['sparkpost', 'bounce', '25', 'HARD'],
    ['sparkpost', 'bounce', '30', 'HARD'],
    ['sparkpost', 'bounce', '90', 'HARD'],
    ['sparkpost', 'bounce', '21', 'SOFT'],
    ['sparkpost', 'bounce', '50', 'SOFT'],
    ['sparkpost', 'bounce', '54', 'SOFT'],
    ['sparkpost', 'out_of_band', '10', 'HARD'],
    ['sparkpost', 'out_of_band', '22', 'SOFT'],
    ['sparkpost', 'spam_complaint', null, 'COMPLAINED'],
    ['sparkpost', 'open', null, null],
    ['sparkpost', 'delay', null, null],
    ['zeptomail', 'hardbounce', null, 'HARD'],
    ['zeptomail', 'softbounce', null, 'SOFT'],
    ['zeptomail', 'email_open', null, null],
    ['zeptomail', 'email_link_click', null, null],
  ])('%s %s (%s) → %s', (vendor, type, detail, expected) => {
    expect(short(vendor, type, detail)).toBe(expected);
  });

  it.each<[ApiVendor, string, string]>([
    ['sendgrid', '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0', '14c5d75ce93'],
    ['mailgun', '<20240101.abc@mg.example.com>', '20240101.abc@mg.example.com'],
    ['mailgun', '20240101.abc@mg.example.com', '20240101.abc@mg.example.com'],
    ['postmark', 'b7bc2f4a-e38e-4336-af7d-e6c392c2f817', 'b7bc2f4a-e38e-4336-af7d-e6c392c2f817'],
  ])('the %s message id %s is matched as %s', (vendor, id, expected) => {
    expect(normaliseVendorMessageId(vendor, id)).toBe(expected);
  });

  it.each<[ApiVendor | null, string, ApiVendor | null]>([
    ['sendgrid', 'api.sendgrid.com', 'sendgrid'],
    [null, 'smtp.sendgrid.net', 'sendgrid'],
    [null, 'SMTP.EU.Mailgun.org.', 'mailgun'],
    [null, 'smtp-relay.brevo.com', 'brevo'],
    [null, 'smtp.zeptomail.eu', 'zeptomail'],
    [null, 'mail.example.com', null],
  ])('a provider with vendor %s on %s receives the events of %s', (apiVendor, host, expected) => {
    expect(eventVendorOf({ apiVendor, host })).toBe(expected);
  });
});
