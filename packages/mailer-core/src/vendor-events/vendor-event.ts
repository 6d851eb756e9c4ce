import type { ApiVendor } from '../provider';

/** A webhook request as it arrived: header names in lower case, the body as the exact bytes received. */
export interface WebhookRequest {
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer;
}

/** Why a webhook request was refused. None of these is ever worded with the secret or the signature. */
export type WebhookRefusal =
  /** No webhook secret is stored for the provider, so nothing can be verified. */
  | 'no_secret'
  /** The signature, the credentials or the signed timestamp is missing. */
  | 'missing_signature'
  /** The signature or the credentials do not match the secret. */
  | 'bad_signature'
  /** The signed timestamp is more than five minutes away from now. */
  | 'stale_timestamp'
  /** The stored secret is not in the vendor's form (e.g. not a SendGrid verification key). */
  | 'unusable_secret';

/**
 * What checking a request's signature or credentials found. `replayKey` names the signed request (its
 * signed id or timestamp together with the signature): the same key seen twice is a replay. Null for
 * vendors that authenticate with credentials only and sign nothing, where a replay cannot be told apart.
 */
export type WebhookVerdict = { ok: true; replayKey: string | null } | { ok: false; refusal: WebhookRefusal };

export type BounceKind = 'HARD' | 'SOFT';

/** What a vendor event means for a delivery; null (in {@link VendorEvent.outcome}) for opens, clicks and the rest. */
export type VendorEventOutcome =
  | { eventType: 'DELIVERY_DELIVERED' }
  | { eventType: 'DELIVERY_BOUNCED'; bounceType: BounceKind }
  | { eventType: 'DELIVERY_COMPLAINED' };

/** One event a vendor reported about one message (and recipient), read from its webhook payload. */
export interface VendorEvent {
  vendor: ApiVendor;
  /** The vendor's id of the event, the same when it retries: duplicates are recognised by it. */
  vendorEventId: string;
  /** The vendor's own name of the event ("bounce", "HardBounce", "email.bounced" …). */
  vendorEventType: string;
  /** The vendor field that tells hard from soft (severity, bounce type, bounce class …), when there is one. */
  detail: string | null;
  outcome: VendorEventOutcome | null;
  recipient: string | null;
  /** The vendor's id of the message, in the form the send answer gave it (see normaliseVendorMessageId). */
  vendorMessageId: string | null;
  /** The message's Message-ID header, when the vendor reports it. */
  messageIdHeader: string | null;
  /** The metadata attached at send (Message.metadata), as the vendor echoes it. */
  metadata: Record<string, string>;
  /** The vendor's diagnostic in words (the remote server's answer, the bounce description …). */
  reason: string | null;
  occurredAt: Date | null;
}

/** A body that is not the vendor's webhook format at all (not JSON, or not its shape). */
export class VendorPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VendorPayloadError';
  }
}

/** How one vendor's webhook is checked and read. */
export interface VendorWebhook {
  readonly vendor: ApiVendor;
  /** `secret` is the provider's stored webhook secret; `now` the time the request is judged at. */
  verify(request: WebhookRequest, secret: string, now: Date): WebhookVerdict;
  /** The events in a verified request's body (several for the vendors that batch). */
  parse(request: WebhookRequest): VendorEvent[];
}
