import { createHmac } from 'node:crypto';
import { isRecord, pick, pickArray, pickString } from '../transports/http/json-fields';
import { vendorEvent } from './normalisation';
import { VendorPayloadError, type VendorEvent, type VendorWebhook } from './vendor-event';
import { dateOf, fingerprint, header, isFresh, jsonBody, metadataFromText, sameText } from './webhook-auth';

/** `ts=<ms>;s=<base64>;s-algorithm=HmacSHA256`, possibly URL-encoded. */
function signatureParts(value: string): Record<string, string> {
  let decoded = value;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    // Not encoded after all.
  }
  const parts: Record<string, string> = {};
  for (const part of decoded.split(';')) {
    const equals = part.indexOf('=');
    if (equals > 0) parts[part.slice(0, equals).trim()] = part.slice(equals + 1).trim();
  }
  return parts;
}

function recipientsOf(info: unknown): string[] {
  return pickArray(info, 'to')
    .map((entry) => pickString(entry, 'email_address', 'address'))
    .filter((address): address is string => address !== undefined);
}

/**
 * ZeptoMail webhooks: `{event_name: [..], event_message: [{email_info, event_data: [{details: [..]}],
 * request_id}], webhook_request_id}`. With a webhook authentication key set, ZeptoMail sends the header
 * `producer-signature: ts=…;s=…;s-algorithm=HmacSHA256`, `s` being the base64 HMAC-SHA256 of the raw
 * body under that key and `ts` the time of sending in milliseconds. The body alone is signed: `ts` is
 * checked for freshness, and the pair (ts, s) names the request for replay detection, so a retry sent
 * later with a new `ts` is taken (and processed once, by event id).
 */
export const zeptomailWebhook: VendorWebhook = {
  vendor: 'zeptomail',
  verify(request, secret, now) {
    const value = header(request, 'producer-signature');
    if (!value) return { ok: false, refusal: 'missing_signature' };
    const { ts, s } = signatureParts(value);
    if (!ts || !s) return { ok: false, refusal: 'missing_signature' };
    const expected = createHmac('sha256', secret).update(request.body).digest('base64');
    if (!sameText(expected, s)) return { ok: false, refusal: 'bad_signature' };
    if (!isFresh(ts, now)) return { ok: false, refusal: 'stale_timestamp' };
    return { ok: true, replayKey: `${ts}:${s}` };
  },
  parse(request) {
    const body = jsonBody(request);
    const names = pickArray(body, 'event_name').filter((name): name is string => typeof name === 'string');
    const messages = pickArray(body, 'event_message').filter(isRecord);
    if (names.length === 0 || messages.length === 0)
      throw new VendorPayloadError('The body has no "event_name" or "event_message".');
    const events: VendorEvent[] = [];
    messages.forEach((message, index) => {
      const info = pick(message, 'email_info');
      const details = pickArray(message, 'event_data').flatMap((data) => pickArray(data, 'details'));
      const type = pickString(message, 'event_data', 0, 'object') ?? names[index] ?? names[0] ?? '';
      const fallbackRecipients = recipientsOf(info);
      const entries: unknown[] = details.length > 0 ? details : [{}];
      for (const detail of entries) {
        const recipient =
          pickString(detail, 'bounced_recipient') ??
          (fallbackRecipients.length === 1 ? fallbackRecipients[0] : undefined);
        const messageId = pickString(message, 'request_id');
        const time = pick(detail, 'time') ?? pick(info, 'processed_time');
        events.push(
          vendorEvent('zeptomail', {
            // webhook_request_id may change between a request and its retry: the event's own fields do not.
            vendorEventId: `${type}:${fingerprint(messageId, recipient, time)}`,
            vendorEventType: type,
            recipient,
            vendorMessageId: messageId,
            metadata: metadataFromText(pickString(info, 'client_reference')),
            reason: pickString(detail, 'diagnostic_message') ?? pickString(detail, 'reason'),
            occurredAt: dateOf(time),
          }),
        );
      }
    });
    return events;
  },
};
