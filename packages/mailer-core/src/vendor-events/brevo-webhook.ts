import { isRecord, pick, pickString } from '../transports/http/json-fields';
import { vendorEvent } from './normalisation';
import { VendorPayloadError, type VendorWebhook } from './vendor-event';
import { dateOf, fingerprint, jsonBody, metadataFromText, verifyCredentials } from './webhook-auth';

/**
 * Brevo transactional webhooks: one JSON object per event (`event`, `email`, `message-id`, `reason`,
 * `ts_event`, `X-Mailin-custom` …). Brevo signs nothing: the webhook is created with Basic credentials
 * in its URL or a bearer token, either equal to the secret. Brevo gives the event no id of its own; its
 * fields identify it.
 */
export const brevoWebhook: VendorWebhook = {
  vendor: 'brevo',
  verify: (request, secret) => verifyCredentials(request, secret),
  parse(request) {
    const body = jsonBody(request);
    // Brevo posts one object; a batch (array) is read the same way should an account be set up so.
    const events = Array.isArray(body) ? body.filter(isRecord) : isRecord(body) ? [body] : [];
    if (events.length === 0) throw new VendorPayloadError('The body holds no event object.');
    return events.map((event) => {
      const type = pickString(event, 'event');
      if (!type) throw new VendorPayloadError('An event has no "event".');
      const messageId = pickString(event, 'message-id');
      const recipient = pickString(event, 'email');
      const time = pick(event, 'ts_event') ?? pick(event, 'ts') ?? pick(event, 'date');
      return vendorEvent('brevo', {
        vendorEventId: `${type}:${fingerprint(messageId, recipient, time)}`,
        vendorEventType: type,
        recipient,
        // Brevo's message id is the Message-ID header of the message.
        vendorMessageId: messageId,
        messageIdHeader: messageId,
        metadata: metadataFromText(pickString(event, 'X-Mailin-custom')),
        reason: pickString(event, 'reason'),
        occurredAt: dateOf(time),
      });
    });
  },
};
