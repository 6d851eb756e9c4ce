import type { ApiVendor } from '../provider';

/** The vendors' SMTP relays: mail sent through them is reported by the same vendor webhooks. */
const RELAY_HOSTS: ReadonlyArray<readonly [host: string, vendor: ApiVendor]> = [
  ['smtp.zeptomail.com', 'zeptomail'],
  ['smtp.zeptomail.in', 'zeptomail'],
  ['smtp.zeptomail.eu', 'zeptomail'],
  ['smtp.sendgrid.net', 'sendgrid'],
  ['smtp.mailgun.org', 'mailgun'],
  ['smtp.eu.mailgun.org', 'mailgun'],
  ['smtp.postmarkapp.com', 'postmark'],
  ['smtp-relay.brevo.com', 'brevo'],
  ['smtp-relay.sendinblue.com', 'brevo'],
  ['smtp.resend.com', 'resend'],
  ['smtp.sparkpostmail.com', 'sparkpost'],
  ['smtp.eu.sparkpostmail.com', 'sparkpost'],
];

/**
 * The vendor whose delivery events a provider receives: its API vendor, else the vendor whose SMTP relay
 * it sends through (known by the relay's host name); null for any other SMTP server.
 */
export function eventVendorOf(provider: { apiVendor?: ApiVendor | null; host: string }): ApiVendor | null {
  if (provider.apiVendor) return provider.apiVendor;
  const host = provider.host.trim().toLowerCase().replace(/\.$/, '');
  return RELAY_HOSTS.find(([relay]) => relay === host)?.[1] ?? null;
}
