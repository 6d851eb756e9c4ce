// Form presets from the vendors' published settings (listed in docs/reference.md#vendors): SMTP relays, and the API hosts
// (with their regions) used when a vendor's HTTP API is chosen.

import type { ApiVendor, Encryption, OAuthFlavour } from '../graphql/types';

export interface VendorPreset {
  id: string;
  /** Shown in the preset list; vendor names are not translated. */
  label: string;
  host: string;
  port: number;
  encryption: Encryption;
  /** A fixed username the vendor documents (`apikey`, `resend` …), filled in for the admin. */
  username?: string;
  /** i18n key under `presets.usernameHints` describing what goes in Username. */
  usernameHint: string;
  /** Set for HTTP API presets: the vendor whose API this host serves. */
  apiVendor?: ApiVendor;
  /** The OAuth2 server the mailbox signs in with (Microsoft 365, Google): the preset picks that sign-in. */
  oauthFlavour?: OAuthFlavour;
}

export const SMTP_RELAY_PRESETS: readonly VendorPreset[] = [
  {
    id: 'microsoft-365-smtp',
    label: 'Microsoft 365 (smtp.office365.com:587 STARTTLS)',
    host: 'smtp.office365.com',
    port: 587,
    encryption: 'STARTTLS',
    usernameHint: 'microsoft365',
    oauthFlavour: 'MICROSOFT',
  },
  {
    id: 'google-smtp',
    label: 'Google Workspace / Gmail (smtp.gmail.com:587 STARTTLS)',
    host: 'smtp.gmail.com',
    port: 587,
    encryption: 'STARTTLS',
    usernameHint: 'google',
    oauthFlavour: 'GOOGLE',
  },
  {
    id: 'zeptomail-smtp',
    label: 'ZeptoMail (smtp.zeptomail.com)',
    host: 'smtp.zeptomail.com',
    port: 465,
    encryption: 'SSL_TLS',
    username: 'emailapikey',
    usernameHint: 'zeptomail',
  },
  {
    id: 'zeptomail-smtp-eu',
    label: 'ZeptoMail EU (smtp.zeptomail.eu)',
    host: 'smtp.zeptomail.eu',
    port: 465,
    encryption: 'SSL_TLS',
    username: 'emailapikey',
    usernameHint: 'zeptomail',
  },
  {
    id: 'zeptomail-smtp-in',
    label: 'ZeptoMail IN (smtp.zeptomail.in)',
    host: 'smtp.zeptomail.in',
    port: 465,
    encryption: 'SSL_TLS',
    username: 'emailapikey',
    usernameHint: 'zeptomail',
  },
  {
    id: 'sendgrid-smtp',
    label: 'SendGrid (smtp.sendgrid.net)',
    host: 'smtp.sendgrid.net',
    port: 587,
    encryption: 'STARTTLS',
    username: 'apikey',
    usernameHint: 'sendgrid',
  },
  {
    id: 'mailgun-smtp',
    label: 'Mailgun (smtp.mailgun.org)',
    host: 'smtp.mailgun.org',
    port: 587,
    encryption: 'STARTTLS',
    usernameHint: 'mailgun',
  },
  {
    id: 'mailgun-smtp-eu',
    label: 'Mailgun EU (smtp.eu.mailgun.org)',
    host: 'smtp.eu.mailgun.org',
    port: 587,
    encryption: 'STARTTLS',
    usernameHint: 'mailgun',
  },
  {
    id: 'postmark-smtp',
    label: 'Postmark (smtp.postmarkapp.com)',
    host: 'smtp.postmarkapp.com',
    port: 587,
    encryption: 'STARTTLS',
    usernameHint: 'postmark',
  },
  {
    id: 'ses-smtp',
    label: 'Amazon SES (email-smtp.us-east-1.amazonaws.com)',
    host: 'email-smtp.us-east-1.amazonaws.com',
    port: 587,
    encryption: 'STARTTLS',
    usernameHint: 'ses',
  },
  {
    id: 'ses-smtp-eu',
    label: 'Amazon SES (email-smtp.eu-west-1.amazonaws.com)',
    host: 'email-smtp.eu-west-1.amazonaws.com',
    port: 587,
    encryption: 'STARTTLS',
    usernameHint: 'ses',
  },
  {
    id: 'brevo-smtp',
    label: 'Brevo (smtp-relay.brevo.com)',
    host: 'smtp-relay.brevo.com',
    port: 587,
    encryption: 'STARTTLS',
    usernameHint: 'brevo',
  },
  {
    id: 'resend-smtp',
    label: 'Resend (smtp.resend.com)',
    host: 'smtp.resend.com',
    port: 465,
    encryption: 'SSL_TLS',
    username: 'resend',
    usernameHint: 'resend',
  },
  {
    id: 'sparkpost-smtp',
    label: 'SparkPost (smtp.sparkpostmail.com)',
    host: 'smtp.sparkpostmail.com',
    port: 587,
    encryption: 'STARTTLS',
    username: 'SMTP_Injection',
    usernameHint: 'sparkpost',
  },
];

function apiPreset(
  apiVendor: ApiVendor,
  label: string,
  host: string,
  usernameHint = 'apiKeyOnly',
): VendorPreset {
  return {
    id: `${apiVendor.toLowerCase()}-api-${host}`,
    label: `${label} (${host})`,
    host,
    port: 443,
    encryption: 'SSL_TLS',
    usernameHint,
    apiVendor,
  };
}

export const API_HOST_PRESETS: readonly VendorPreset[] = [
  apiPreset('ZEPTOMAIL', 'ZeptoMail', 'api.zeptomail.com'),
  apiPreset('ZEPTOMAIL', 'ZeptoMail EU', 'api.zeptomail.eu'),
  apiPreset('ZEPTOMAIL', 'ZeptoMail IN', 'api.zeptomail.in'),
  apiPreset('SENDGRID', 'SendGrid', 'api.sendgrid.com'),
  apiPreset('SENDGRID', 'SendGrid EU', 'api.eu.sendgrid.com'),
  apiPreset('MAILGUN', 'Mailgun', 'api.mailgun.net', 'mailgunApi'),
  apiPreset('MAILGUN', 'Mailgun EU', 'api.eu.mailgun.net', 'mailgunApi'),
  apiPreset('POSTMARK', 'Postmark', 'api.postmarkapp.com'),
  apiPreset('RESEND', 'Resend', 'api.resend.com'),
  apiPreset('BREVO', 'Brevo', 'api.brevo.com'),
  apiPreset('SPARKPOST', 'SparkPost', 'api.sparkpost.com'),
  apiPreset('SPARKPOST', 'SparkPost EU', 'api.eu.sparkpost.com'),
];

/** The presets that fit the chosen vendor: its API hosts, or every SMTP relay when none is chosen. */
export function presetsFor(apiVendor: ApiVendor | ''): readonly VendorPreset[] {
  if (apiVendor === '') return SMTP_RELAY_PRESETS;
  return API_HOST_PRESETS.filter((preset) => preset.apiVendor === apiVendor);
}

export function findPreset(id: string): VendorPreset | undefined {
  return [...SMTP_RELAY_PRESETS, ...API_HOST_PRESETS].find((preset) => preset.id === id);
}

/** The vendor's default API host (the first region listed), used when a vendor is picked. */
export function defaultApiPreset(apiVendor: ApiVendor): VendorPreset | undefined {
  return API_HOST_PRESETS.find((preset) => preset.apiVendor === apiVendor);
}

/** The preset whose host matches, so the username hint follows hosts typed by hand or loaded. */
export function presetForHost(host: string): VendorPreset | undefined {
  const value = host.trim().toLowerCase();
  return [...SMTP_RELAY_PRESETS, ...API_HOST_PRESETS].find((preset) => preset.host === value);
}
