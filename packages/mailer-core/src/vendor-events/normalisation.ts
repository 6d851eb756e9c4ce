import type { ApiVendor } from '../provider';
import type { VendorEvent, VendorEventOutcome } from './vendor-event';

const DELIVERED: VendorEventOutcome = { eventType: 'DELIVERY_DELIVERED' };
const HARD: VendorEventOutcome = { eventType: 'DELIVERY_BOUNCED', bounceType: 'HARD' };
const SOFT: VendorEventOutcome = { eventType: 'DELIVERY_BOUNCED', bounceType: 'SOFT' };
const COMPLAINED: VendorEventOutcome = { eventType: 'DELIVERY_COMPLAINED' };

/** Any detail: the row applies whatever the event's detail field says (or when it has none). */
export const ANY_DETAIL = '*';

/**
 * vendor, the vendor's event name, the detail that tells hard from soft (or ANY_DETAIL), and what it
 * means. A row with an exact detail wins over the vendor's ANY_DETAIL row for the same event. Events
 * with no row (opens, clicks, sends, unsubscribes …) mean nothing for a delivery: they are stored, not
 * turned into delivery events.
 */
export const NORMALISATION: ReadonlyArray<
  readonly [vendor: ApiVendor, vendorEventType: string, detail: string, outcome: VendorEventOutcome | null]
> = [
  // Mailgun: `failed` with `severity` permanent or temporary.
  ['mailgun', 'delivered', ANY_DETAIL, DELIVERED],
  ['mailgun', 'failed', 'permanent', HARD],
  ['mailgun', 'failed', 'temporary', SOFT],
  ['mailgun', 'complained', ANY_DETAIL, COMPLAINED],
  // SendGrid: `bounce` with `type` bounce (the address was refused) or blocked (the message was);
  // `dropped` by SendGrid itself, hard when its reason is a known bad address; `deferred` retries later.
  ['sendgrid', 'delivered', ANY_DETAIL, DELIVERED],
  ['sendgrid', 'bounce', 'bounce', HARD],
  ['sendgrid', 'bounce', 'blocked', SOFT],
  ['sendgrid', 'bounce', ANY_DETAIL, HARD],
  ['sendgrid', 'dropped', 'address', HARD],
  ['sendgrid', 'dropped', ANY_DETAIL, SOFT],
  ['sendgrid', 'deferred', ANY_DETAIL, SOFT],
  ['sendgrid', 'spamreport', ANY_DETAIL, COMPLAINED],
  // Postmark: the RecordType, then the bounce `Type`. Types that are not failures (auto-responders,
  // subscription and address changes, challenge mails) map to nothing.
  ['postmark', 'Delivery', ANY_DETAIL, DELIVERED],
  ['postmark', 'Bounce', 'HardBounce', HARD],
  ['postmark', 'Bounce', 'BadEmailAddress', HARD],
  ['postmark', 'Bounce', 'ManuallyDeactivated', HARD],
  ['postmark', 'Bounce', 'SoftBounce', SOFT],
  ['postmark', 'Bounce', 'Transient', SOFT],
  ['postmark', 'Bounce', 'DnsError', SOFT],
  ['postmark', 'Bounce', 'Blocked', SOFT],
  ['postmark', 'Bounce', 'DMARCPolicy', SOFT],
  ['postmark', 'Bounce', 'VirusNotification', SOFT],
  ['postmark', 'Bounce', 'Unknown', SOFT],
  ['postmark', 'Bounce', 'SMTPApiError', SOFT],
  ['postmark', 'Bounce', 'SpamComplaint', COMPLAINED],
  ['postmark', 'Bounce', ANY_DETAIL, null],
  ['postmark', 'SpamComplaint', ANY_DETAIL, COMPLAINED],
  // Resend: `bounce.type` Permanent or Transient (Undetermined counts as soft).
  ['resend', 'email.delivered', ANY_DETAIL, DELIVERED],
  ['resend', 'email.bounced', 'Permanent', HARD],
  ['resend', 'email.bounced', 'Transient', SOFT],
  ['resend', 'email.bounced', ANY_DETAIL, SOFT],
  ['resend', 'email.complained', ANY_DETAIL, COMPLAINED],
  // Brevo: the event name says it. `blocked` is Brevo refusing a blocklisted contact, not a dead mailbox.
  ['brevo', 'delivered', ANY_DETAIL, DELIVERED],
  ['brevo', 'hard_bounce', ANY_DETAIL, HARD],
  ['brevo', 'invalid_email', ANY_DETAIL, HARD],
  ['brevo', 'soft_bounce', ANY_DETAIL, SOFT],
  ['brevo', 'blocked', ANY_DETAIL, SOFT],
  ['brevo', 'spam', ANY_DETAIL, COMPLAINED],
  ['brevo', 'complaint', ANY_DETAIL, COMPLAINED],
  // SparkPost: `bounce_class` — 10, 25, 30 and 90 are hard (invalid recipient, admin failure, no RCPT,
  // unsubscribe); 50–54 are blocks (policy, spam, mail block, relay, auth) and soft like the others.
  ['sparkpost', 'delivery', ANY_DETAIL, DELIVERED],
  ...(['bounce', 'out_of_band'] as const).flatMap((type) => [
    ['sparkpost', type, '10', HARD] as const,
    ['sparkpost', type, '25', HARD] as const,
    ['sparkpost', type, '30', HARD] as const,
    ['sparkpost', type, '90', HARD] as const,
    ['sparkpost', type, '50', SOFT] as const,
    ['sparkpost', type, '51', SOFT] as const,
    ['sparkpost', type, '52', SOFT] as const,
    ['sparkpost', type, '53', SOFT] as const,
    ['sparkpost', type, '54', SOFT] as const,
    ['sparkpost', type, ANY_DETAIL, SOFT] as const,
  ]),
  ['sparkpost', 'spam_complaint', ANY_DETAIL, COMPLAINED],
  // ZeptoMail reports bounces (and opens and clicks) only.
  ['zeptomail', 'hardbounce', ANY_DETAIL, HARD],
  ['zeptomail', 'softbounce', ANY_DETAIL, SOFT],
];

/** What a vendor event means for its delivery, by the table above; null when it means nothing we track. */
export function normaliseVendorEvent(
  vendor: ApiVendor,
  vendorEventType: string,
  detail: string | null,
): VendorEventOutcome | null {
  const rows = NORMALISATION.filter((row) => row[0] === vendor && row[1] === vendorEventType);
  const exact = detail === null ? undefined : rows.find((row) => row[2] === detail);
  const row = exact ?? rows.find((candidate) => candidate[2] === ANY_DETAIL);
  return row ? row[3] : null;
}

/**
 * A vendor's message id in the form its send answer gave it, so an event finds the attempt that
 * recorded it: SendGrid's event id `sg_message_id` is the `X-Message-Id` followed by `.filter…`;
 * Mailgun's events carry the id without the angle brackets the send answer has.
 */
export function normaliseVendorMessageId(vendor: ApiVendor, id: string): string {
  const trimmed = id.trim();
  if (vendor === 'sendgrid') return trimmed.split('.')[0] ?? trimmed;
  if (vendor === 'mailgun') return trimmed.replace(/^<|>$/g, '');
  return trimmed;
}

/** The fields a vendor's parser reads; the rest of a {@link VendorEvent} follows from them. */
export interface ParsedFields {
  vendorEventId: string;
  vendorEventType: string;
  detail?: string | null;
  recipient?: string | null;
  vendorMessageId?: string | null;
  messageIdHeader?: string | null;
  metadata?: Record<string, string>;
  reason?: string | null;
  occurredAt?: Date | null;
}

/** A parsed event with its meaning (from the table) and its message id in the send answer's form. */
export function vendorEvent(vendor: ApiVendor, fields: ParsedFields): VendorEvent {
  const detail = fields.detail ?? null;
  const recipient = fields.recipient?.trim();
  return {
    vendor,
    vendorEventId: fields.vendorEventId,
    vendorEventType: fields.vendorEventType,
    detail,
    outcome: normaliseVendorEvent(vendor, fields.vendorEventType, detail),
    recipient: recipient ? recipient : null,
    vendorMessageId: fields.vendorMessageId ? normaliseVendorMessageId(vendor, fields.vendorMessageId) : null,
    messageIdHeader: fields.messageIdHeader ?? null,
    metadata: fields.metadata ?? {},
    reason: fields.reason?.trim() ? fields.reason.trim().slice(0, 1000) : null,
    occurredAt: fields.occurredAt ?? null,
  };
}
