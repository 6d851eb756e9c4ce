import { registerEnumType } from 'type-graphql';
import type {
  ApiVendor,
  AttemptOutcome,
  Channel,
  Encryption,
  FailureCategory,
  ProviderStatus,
  ProviderType,
  ServiceType,
} from '@mail-providers/mailer-core';

/*
 * The GraphQL enums of providers and deliveries. Their internal values are mailer-core's own literals, so a value read from
 * GraphQL goes to the engine and the database unchanged, and the upper-case names exist only at the edge.
 */

export const ProviderTypeEnum = {
  SMTP: 'smtp',
  API_SMTP: 'api_smtp',
  CRM_API_SMTP: 'crm_api_smtp',
} as const satisfies Record<string, ProviderType>;

export const ApiVendorEnum = {
  ZEPTOMAIL: 'zeptomail',
  SENDGRID: 'sendgrid',
  MAILGUN: 'mailgun',
  POSTMARK: 'postmark',
  RESEND: 'resend',
  BREVO: 'brevo',
  SPARKPOST: 'sparkpost',
} as const satisfies Record<string, ApiVendor>;

export const EncryptionEnum = {
  NONE: 'none',
  SSL_TLS: 'ssl_tls',
  STARTTLS: 'starttls',
} as const satisfies Record<string, Encryption>;

export const ServiceTypeEnum = {
  PRIMARY: 'primary',
  FALLBACK: 'fallback',
} as const satisfies Record<string, ServiceType>;

export const ProviderStatusEnum = {
  ACTIVE: 'active',
  INACTIVE: 'inactive',
} as const satisfies Record<string, ProviderStatus>;

export const ChannelEnum = {
  DEFAULT: 'DEFAULT',
  CRM: 'CRM',
} as const satisfies Record<string, Channel>;

export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export const CircuitStateEnum = {
  CLOSED: 'CLOSED',
  OPEN: 'OPEN',
  HALF_OPEN: 'HALF_OPEN',
} as const satisfies Record<string, CircuitState>;

export const FailureCategoryEnum = {
  CONNECTION: 'CONNECTION',
  TIMEOUT: 'TIMEOUT',
  TLS: 'TLS',
  AUTH: 'AUTH',
  RELAY_DENIED: 'RELAY_DENIED',
  RATE_LIMITED: 'RATE_LIMITED',
  PROVIDER_UNAVAILABLE: 'PROVIDER_UNAVAILABLE',
  RECIPIENT_REJECTED: 'RECIPIENT_REJECTED',
  MESSAGE_REJECTED: 'MESSAGE_REJECTED',
  AMBIGUOUS: 'AMBIGUOUS',
  CONFIG: 'CONFIG',
  UNKNOWN: 'UNKNOWN',
} as const satisfies Record<FailureCategory, FailureCategory>;

export const AttemptOutcomeEnum = {
  SENT: 'SENT',
  FAILED: 'FAILED',
  SKIPPED: 'SKIPPED',
} as const satisfies Record<AttemptOutcome, AttemptOutcome>;

registerEnumType(ProviderTypeEnum, {
  name: 'ProviderType',
  description:
    'SMTP: a classic SMTP server; API_SMTP: a mail service; CRM_API_SMTP: a mail service for CRM mail.',
});
registerEnumType(ApiVendorEnum, {
  name: 'ApiVendor',
  description: 'A mail service reached through its HTTP API; the password field then holds the API key.',
});
registerEnumType(EncryptionEnum, {
  name: 'Encryption',
  description:
    'SSL_TLS: TLS from the first byte (465); STARTTLS: upgrade required (587); NONE: plain, toward loopback hosts only when a password or API key would cross (a relay with no login may be anywhere).',
});
registerEnumType(ServiceTypeEnum, { name: 'ServiceType' });
registerEnumType(ProviderStatusEnum, { name: 'ProviderStatus' });
registerEnumType(ChannelEnum, {
  name: 'Channel',
  description:
    'CRM_API_SMTP providers serve CRM, the others DEFAULT; CRM mail falls back to the DEFAULT chain.',
});
registerEnumType(CircuitStateEnum, { name: 'CircuitState' });
registerEnumType(FailureCategoryEnum, { name: 'FailureCategory' });
registerEnumType(AttemptOutcomeEnum, { name: 'AttemptOutcome' });
