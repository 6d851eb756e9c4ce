import { createHmac } from 'node:crypto';
import { isRecord, pick, pickArray, pickString } from '../transports/http/json-fields';
import { vendorEvent } from './normalisation';
import { VendorPayloadError, type VendorWebhook } from './vendor-event';
import { dateOf, header, isFresh, jsonBody, sameText, stringEntries } from './webhook-auth';

const SECRET_PREFIX = 'whsec_';

/** Resend's tags: `{name: value}` in current payloads, `[{name, value}]` as sent; both are read. */
function tagsOf(value: unknown): Record<string, string> {
  if (!Array.isArray(value)) return stringEntries(value);
  const out: Record<string, string> = {};
  for (const tag of value) {
    const name = pickString(tag, 'name');
    const tagValue = pickString(tag, 'value');
    if (name && tagValue !== undefined) out[name] = tagValue;
  }
  return out;
}

/**
 * Resend signs with Svix (Standard Webhooks): `svix-signature` lists `v1,<base64 HMAC-SHA256 of
 * "<svix-id>.<svix-timestamp>.<body>">` under the secret's key (base64 after `whsec_`). The svix-id is
 * the same on every retry of a message, so it is also the event's id.
 */
export const resendWebhook: VendorWebhook = {
  vendor: 'resend',
  verify(request, secret, now) {
    const id = header(request, 'svix-id') ?? header(request, 'webhook-id');
    const timestamp = header(request, 'svix-timestamp') ?? header(request, 'webhook-timestamp');
    const signatures = header(request, 'svix-signature') ?? header(request, 'webhook-signature');
    if (!id || !timestamp || !signatures) return { ok: false, refusal: 'missing_signature' };
    const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
    const key = Buffer.from(encoded, 'base64');
    if (key.length === 0) return { ok: false, refusal: 'unusable_secret' };
    const expected = createHmac('sha256', key)
      .update(`${id}.${timestamp}.`)
      .update(request.body)
      .digest('base64');
    const matches = signatures
      .split(' ')
      .some((entry) => entry.startsWith('v1,') && sameText(entry.slice(3), expected));
    if (!matches) return { ok: false, refusal: 'bad_signature' };
    if (!isFresh(timestamp, now)) return { ok: false, refusal: 'stale_timestamp' };
    return { ok: true, replayKey: `${id}:${signatures}` };
  },
  parse(request) {
    const body = jsonBody(request);
    const type = pickString(body, 'type');
    const data = pick(body, 'data');
    const id = header(request, 'svix-id') ?? header(request, 'webhook-id');
    if (!type || !isRecord(data) || !id)
      throw new VendorPayloadError('The event has no "type", "data" or id.');
    // A bounce does not say which recipient when the message had several: only a lone one is named.
    const to = pickArray(data, 'to').filter((entry): entry is string => typeof entry === 'string');
    return [
      vendorEvent('resend', {
        vendorEventId: id,
        vendorEventType: type,
        detail: pickString(data, 'bounce', 'type') ?? null,
        recipient: to.length === 1 ? to[0] : null,
        vendorMessageId: pickString(data, 'email_id'),
        metadata: tagsOf(pick(data, 'tags')),
        reason: pickString(data, 'bounce', 'message'),
        occurredAt: dateOf(pick(body, 'created_at')),
      }),
    ];
  },
};
