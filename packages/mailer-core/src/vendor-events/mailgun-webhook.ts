import { createHmac } from 'node:crypto';
import { isRecord, pick, pickString } from '../transports/http/json-fields';
import { vendorEvent } from './normalisation';
import { VendorPayloadError, type VendorWebhook } from './vendor-event';
import { dateOf, isFresh, jsonBody, sameText, stringEntries } from './webhook-auth';

/**
 * Mailgun webhooks (JSON): `{signature: {timestamp, token, signature}, "event-data": {…}}`. The signature
 * is the hex HMAC-SHA256 of timestamp + token under the account's HTTP webhook signing key. The legacy
 * form-encoded webhooks are not supported.
 */
export const mailgunWebhook: VendorWebhook = {
  vendor: 'mailgun',
  verify(request, secret, now) {
    let body: unknown;
    try {
      body = jsonBody(request);
    } catch {
      // The signature travels in the body: a body that is not JSON carries none.
      return { ok: false, refusal: 'missing_signature' };
    }
    const timestamp = pickString(body, 'signature', 'timestamp');
    const token = pickString(body, 'signature', 'token');
    const signature = pickString(body, 'signature', 'signature');
    if (!timestamp || !token || !signature) return { ok: false, refusal: 'missing_signature' };
    const expected = createHmac('sha256', secret)
      .update(timestamp + token)
      .digest('hex');
    if (!sameText(expected, signature.toLowerCase())) return { ok: false, refusal: 'bad_signature' };
    if (!isFresh(timestamp, now)) return { ok: false, refusal: 'stale_timestamp' };
    return { ok: true, replayKey: `${token}:${signature}` };
  },
  parse(request) {
    const data = pick(jsonBody(request), 'event-data');
    if (!isRecord(data)) throw new VendorPayloadError('The body has no "event-data".');
    const type = pickString(data, 'event');
    const id = pickString(data, 'id');
    if (!type || !id) throw new VendorPayloadError('The event has no "event" or "id".');
    const messageId = pickString(data, 'message', 'headers', 'message-id') ?? null;
    return [
      vendorEvent('mailgun', {
        vendorEventId: id,
        vendorEventType: type,
        detail: pickString(data, 'severity') ?? null,
        recipient: pickString(data, 'recipient'),
        // Mailgun's message id is the Message-ID header it sent (ours when the message had one).
        vendorMessageId: messageId,
        messageIdHeader: messageId,
        metadata: stringEntries(pick(data, 'user-variables')),
        reason:
          pickString(data, 'delivery-status', 'description') ||
          pickString(data, 'delivery-status', 'message') ||
          pickString(data, 'reason'),
        occurredAt: dateOf(pick(data, 'timestamp')),
      }),
    ];
  },
};
