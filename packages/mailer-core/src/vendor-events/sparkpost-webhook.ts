import { isRecord, pick, pickString } from '../transports/http/json-fields';
import { vendorEvent } from './normalisation';
import { VendorPayloadError, type VendorWebhook, type VendorEvent } from './vendor-event';
import { dateOf, jsonBody, stringEntries, verifyCredentials } from './webhook-auth';

/**
 * SparkPost event webhooks: a batch, `[{msys: {message_event | track_event | … : {…}}}]`. SparkPost signs
 * nothing: a webhook is created with Basic credentials (the password is the secret) or OAuth2, whose
 * bearer token is accepted here when it equals the secret. The test batch sent when a webhook is created
 * (`[{"msys": {}}]`) holds no events.
 */
export const sparkpostWebhook: VendorWebhook = {
  vendor: 'sparkpost',
  verify: (request, secret) => verifyCredentials(request, secret),
  parse(request) {
    const body = jsonBody(request);
    if (!Array.isArray(body)) throw new VendorPayloadError('The body is not a JSON array of events.');
    const events: VendorEvent[] = [];
    for (const item of body) {
      const msys = pick(item, 'msys');
      if (!isRecord(msys)) continue;
      for (const event of Object.values(msys)) {
        if (!isRecord(event)) continue;
        const type = pickString(event, 'type');
        const id = pickString(event, 'event_id');
        if (!type || !id) throw new VendorPayloadError('An event has no "type" or "event_id".');
        events.push(
          vendorEvent('sparkpost', {
            vendorEventId: id,
            vendorEventType: type,
            detail: pickString(event, 'bounce_class') ?? null,
            recipient: pickString(event, 'rcpt_to') ?? pickString(event, 'raw_rcpt_to'),
            // The transmission id is what the send answer gave (`results.id`).
            vendorMessageId: pickString(event, 'transmission_id'),
            metadata: stringEntries(pick(event, 'rcpt_meta')),
            reason: pickString(event, 'raw_reason') ?? pickString(event, 'reason'),
            occurredAt: dateOf(pick(event, 'timestamp')),
          }),
        );
      }
    }
    return events;
  },
};
