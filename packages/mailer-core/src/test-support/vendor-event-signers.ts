import { createHmac, generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { ApiVendor } from '../provider';
import { isRecord } from '../transports/http/json-fields';

/** A request as a vendor would post it: headers and the exact body text. */
export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

export interface SignOptions {
  /** The signing time; now when absent (give an old one to test the freshness check). */
  at?: Date;
  /** Resend's svix-id (the same on a retry); a fresh one when absent. */
  requestId?: string;
}

/**
 * Signs payloads the way one vendor does, with a secret made for the test. `secret` is what the
 * provider stores as its webhook secret (SendGrid: the base64 public verification key, whose private
 * half stays in the signer).
 */
export interface VendorSigner {
  vendor: ApiVendor;
  secret: string;
  sign(payload: unknown, options?: SignOptions): SignedRequest;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const unix = (options: SignOptions | undefined) => Math.floor((options?.at ?? new Date()).getTime() / 1000);

function mailgunSigner(): VendorSigner {
  const secret = randomBytes(16).toString('hex');
  return {
    vendor: 'mailgun',
    secret,
    sign(payload, options) {
      const timestamp = String(unix(options));
      const token = randomBytes(25).toString('hex');
      const signature = createHmac('sha256', secret)
        .update(timestamp + token)
        .digest('hex');
      const body = JSON.stringify({
        signature: { timestamp, token, signature },
        ...(isRecord(payload) ? payload : {}),
      });
      return { headers: JSON_TYPE, body };
    },
  };
}

function sendgridSigner(): VendorSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const secret = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  return {
    vendor: 'sendgrid',
    secret,
    sign(payload, options) {
      const body = JSON.stringify(payload);
      const timestamp = String(unix(options));
      return {
        headers: {
          ...JSON_TYPE,
          'x-twilio-email-event-webhook-timestamp': timestamp,
          'x-twilio-email-event-webhook-signature': ecdsa(privateKey, timestamp + body),
        },
        body,
      };
    },
  };
}

function ecdsa(privateKey: KeyObject, text: string): string {
  return sign('sha256', Buffer.from(text, 'utf8'), privateKey).toString('base64');
}

function resendSigner(): VendorSigner {
  const key = randomBytes(24);
  return {
    vendor: 'resend',
    secret: `whsec_${key.toString('base64')}`,
    sign(payload, options) {
      const body = JSON.stringify(payload);
      const id = options?.requestId ?? `msg_${randomUUID()}`;
      const timestamp = String(unix(options));
      const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
      return {
        headers: {
          ...JSON_TYPE,
          'svix-id': id,
          'svix-timestamp': timestamp,
          'svix-signature': `v1,${signature}`,
        },
        body,
      };
    },
  };
}

function zeptomailSigner(): VendorSigner {
  const secret = randomBytes(18).toString('base64');
  return {
    vendor: 'zeptomail',
    secret,
    sign(payload, options) {
      const body = JSON.stringify(payload);
      const ts = String((options?.at ?? new Date()).getTime());
      const s = createHmac('sha256', secret).update(body).digest('base64');
      const value = encodeURIComponent(`ts=${ts};s=${s};s-algorithm=HmacSHA256`);
      return { headers: { ...JSON_TYPE, 'producer-signature': value }, body };
    },
  };
}

/** Postmark, Brevo, SparkPost: Basic credentials from the webhook URL, the password being the secret. */
function basicAuthSigner(vendor: ApiVendor): VendorSigner {
  const secret = randomBytes(12).toString('hex');
  const credentials = Buffer.from(`${vendor}-webhook:${secret}`).toString('base64');
  return {
    vendor,
    secret,
    sign: (payload) => ({
      headers: { ...JSON_TYPE, authorization: `Basic ${credentials}` },
      body: JSON.stringify(payload),
    }),
  };
}

/** A signer for the vendor, with a fresh secret. */
export function vendorSigner(vendor: ApiVendor): VendorSigner {
  switch (vendor) {
    case 'mailgun':
      return mailgunSigner();
    case 'sendgrid':
      return sendgridSigner();
    case 'resend':
      return resendSigner();
    case 'zeptomail':
      return zeptomailSigner();
    default:
      return basicAuthSigner(vendor);
  }
}

/** Whether the vendor signs a timestamp and an id (so old and replayed requests can be refused). */
export function vendorSignsRequests(vendor: ApiVendor): boolean {
  return vendor === 'mailgun' || vendor === 'sendgrid' || vendor === 'resend' || vendor === 'zeptomail';
}
