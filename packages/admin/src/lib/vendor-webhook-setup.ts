// How each API vendor is told where to post its delivery events, and what the provider keeps to check
// that a post really comes from the vendor. One row per vendor; the texts are under
// `inboundWebhook.vendors.<VENDOR>` (where: the vendor's dashboard page; secret: what to paste).

import type { ApiVendor } from '../graphql/types';

/**
 * - signingKey: the vendor signs each post with a key it shows; paste that key here.
 * - basicAuth: the vendor sends no signature; choose a password, paste it here and put it in the URL
 *   the vendor posts to (https://mail-providers:<password>@host/…), which it sends as basic auth.
 */
export type InboundVerification = 'signingKey' | 'basicAuth';

export interface VendorWebhookSetup {
  verification: InboundVerification;
  /** An example of the secret's shape, for the field's placeholder (never a real key). */
  placeholder: string;
}

export const VENDOR_WEBHOOK_SETUP: Readonly<Record<ApiVendor, VendorWebhookSetup>> = {
  MAILGUN: { verification: 'signingKey', placeholder: 'HTTP webhook signing key' },
  SENDGRID: { verification: 'signingKey', placeholder: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE…' },
  RESEND: { verification: 'signingKey', placeholder: 'whsec_…' },
  POSTMARK: { verification: 'basicAuth', placeholder: '' },
  BREVO: { verification: 'basicAuth', placeholder: '' },
  SPARKPOST: { verification: 'basicAuth', placeholder: '' },
  ZEPTOMAIL: { verification: 'signingKey', placeholder: '' },
};

/** Stands for the password in the URL shown; the admin types the real one only at the vendor. */
export const PASSWORD_PLACEHOLDER = '<password>';

/** The user name in the URL of a vendor that posts with basic auth. */
export const BASIC_AUTH_USER = 'mail-providers';

/**
 * The URL to paste into the vendor's dashboard: the inbound URL itself, or for a basic-auth vendor the
 * same URL with `mail-providers:<password>@` in front of the host. The password stays a placeholder: the
 * admin types it there, so it is never shown on screen.
 */
export function urlForVendor(vendor: ApiVendor, inboundUrl: string): string {
  if (VENDOR_WEBHOOK_SETUP[vendor].verification !== 'basicAuth') return inboundUrl;
  let url: URL;
  try {
    url = new URL(inboundUrl);
  } catch {
    return inboundUrl;
  }
  const credentials = `${BASIC_AUTH_USER}:${PASSWORD_PLACEHOLDER}@`;
  return `${url.protocol}//${credentials}${url.host}${url.pathname}${url.search}`;
}

/** The write-only secret as the provider form holds it: a new value to store, or the stored one to remove. */
export interface InboundSecretChange {
  secret: string;
  clear: boolean;
}

/** What the provider's input gains: a typed secret replaces the stored one; an empty one keeps it. */
export function inboundSecretInput(change: InboundSecretChange): {
  webhookSecret?: string;
  clearWebhookSecret?: boolean;
} {
  if (change.clear) return { clearWebhookSecret: true };
  return change.secret !== '' ? { webhookSecret: change.secret } : {};
}
