import { createHmac, randomBytes } from 'node:crypto';

/** The prefix Standard Webhooks gives a signing secret; the rest is the key in base64. */
const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

/** A new signing secret, `whsec_` and 32 random bytes in base64 (Standard Webhooks asks for 24 to 64). */
export function newSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** The headers of a Standard Webhooks request. */
export interface SignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs a request the way Standard Webhooks does: HMAC-SHA256, keyed with the secret's bytes, over
 * `<id>.<timestamp>.<body>`, sent as `v1,<base64>`. `id` stays the same across retries of one message,
 * so receivers can drop repeats; the timestamp is the attempt's, in unix seconds.
 */
export function signatureHeaders(secret: string, id: string, body: string, at: Date): SignatureHeaders {
  const timestamp = Math.floor(at.getTime() / 1000).toString();
  const key = Buffer.from(
    secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret,
    'base64',
  );
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}
