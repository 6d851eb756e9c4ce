import { isRecord, pick, pickString } from '../transports/http/json-fields';
import { vendorEvent } from './normalisation';
import { VendorPayloadError, type VendorWebhook } from './vendor-event';
import { dateOf, fingerprint, jsonBody, stringEntries, verifyCredentials } from './webhook-auth';

/**
 * Postmark webhooks: one JSON object per request, named by `RecordType` (Delivery, Bounce,
 * SpamComplaint, Open, Click, SubscriptionChange). Postmark signs nothing: the webhook URL carries HTTP
 * Basic credentials, whose password is the secret.
 */
export const postmarkWebhook: VendorWebhook = {
  vendor: 'postmark',
  verify: (request, secret) => verifyCredentials(request, secret),
  parse(request) {
    const event = jsonBody(request);
    if (!isRecord(event)) throw new VendorPayloadError('The body is not a JSON object.');
    const type = pickString(event, 'RecordType');
    if (!type) throw new VendorPayloadError('The event has no "RecordType".');
    const messageId = pickString(event, 'MessageID');
    const recipient = pickString(event, 'Recipient') ?? pickString(event, 'Email');
    // Bounces and complaints have an ID of their own; deliveries are one per message and recipient.
    const ownId = pickString(event, 'ID');
    return [
      vendorEvent('postmark', {
        vendorEventId: ownId ? `${type}:${ownId}` : `${type}:${fingerprint(messageId, recipient)}`,
        vendorEventType: type,
        detail: type === 'Delivery' ? null : (pickString(event, 'Type') ?? null),
        recipient,
        vendorMessageId: messageId,
        metadata: stringEntries(pick(event, 'Metadata')),
        reason: pickString(event, 'Details') || pickString(event, 'Description'),
        occurredAt: dateOf(
          pick(event, 'DeliveredAt') ?? pick(event, 'BouncedAt') ?? pick(event, 'ReceivedAt'),
        ),
      }),
    ];
  },
};
