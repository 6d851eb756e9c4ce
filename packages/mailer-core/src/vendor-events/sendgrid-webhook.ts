import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { isRecord, pick, pickString } from '../transports/http/json-fields';
import { vendorEvent } from './normalisation';
import { VendorPayloadError, type VendorWebhook } from './vendor-event';
import { dateOf, header, isFresh, jsonBody } from './webhook-auth';

const SIGNATURE = 'x-twilio-email-event-webhook-signature';
const TIMESTAMP = 'x-twilio-email-event-webhook-timestamp';

/** The fields SendGrid itself puts on an event; every other string field is one of our custom_args. */
const SENDGRID_FIELDS = new Set([
  'email',
  'timestamp',
  'event',
  'sg_event_id',
  'sg_message_id',
  'smtp-id',
  'type',
  'reason',
  'status',
  'response',
  'attempt',
  'category',
  'ip',
  'tls',
  'cert_err',
  'useragent',
  'url',
  'url_offset',
  'asm_group_id',
  'marketing_campaign_id',
  'marketing_campaign_name',
  'pool',
  'sg_machine_open',
  'bounce_classification',
  'send_at',
  'sg_template_id',
  'sg_template_name',
  'sg_content_type',
]);

// `dropped` reasons that say the address itself is bad (as opposed to content or unsubscribes).
const BAD_ADDRESS = /bounced address|invalid/i;

/** The verification key as the dashboard shows it: base64 of the DER public key (a PEM is accepted too). */
function publicKey(secret: string): KeyObject | undefined {
  try {
    if (secret.includes('BEGIN PUBLIC KEY')) return createPublicKey(secret);
    return createPublicKey({ key: Buffer.from(secret.trim(), 'base64'), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

function customArgs(event: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(event)) {
    if (typeof value === 'string' && !SENDGRID_FIELDS.has(key)) out[key] = value;
  }
  return out;
}

/**
 * SendGrid's signed Event Webhook: ECDSA (P-256, SHA-256) over the timestamp header followed by the raw
 * body, the signature base64 (DER) in a header; the body is a batch (JSON array) of events.
 */
export const sendgridWebhook: VendorWebhook = {
  vendor: 'sendgrid',
  verify(request, secret, now) {
    const signature = header(request, SIGNATURE);
    const timestamp = header(request, TIMESTAMP);
    if (!signature || !timestamp) return { ok: false, refusal: 'missing_signature' };
    const key = publicKey(secret);
    if (!key) return { ok: false, refusal: 'unusable_secret' };
    let valid = false;
    try {
      const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), request.body]);
      valid = verify('sha256', signed, key, Buffer.from(signature, 'base64'));
    } catch {
      valid = false;
    }
    if (!valid) return { ok: false, refusal: 'bad_signature' };
    if (!isFresh(timestamp, now)) return { ok: false, refusal: 'stale_timestamp' };
    return { ok: true, replayKey: `${timestamp}:${signature}` };
  },
  parse(request) {
    const body = jsonBody(request);
    if (!Array.isArray(body)) throw new VendorPayloadError('The body is not a JSON array of events.');
    return body.filter(isRecord).map((event) => {
      const type = pickString(event, 'event');
      const id = pickString(event, 'sg_event_id');
      if (!type || !id) throw new VendorPayloadError('An event has no "event" or "sg_event_id".');
      const reason = pickString(event, 'reason') ?? pickString(event, 'response');
      const detail =
        type === 'dropped'
          ? BAD_ADDRESS.test(reason ?? '')
            ? 'address'
            : 'other'
          : (pickString(event, 'type') ?? null);
      return vendorEvent('sendgrid', {
        vendorEventId: id,
        vendorEventType: type,
        detail,
        recipient: pickString(event, 'email'),
        vendorMessageId: pickString(event, 'sg_message_id'),
        messageIdHeader: pickString(event, 'smtp-id'),
        metadata: customArgs(event),
        reason,
        occurredAt: dateOf(pick(event, 'timestamp')),
      });
    });
  },
};
