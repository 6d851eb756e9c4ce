// The shapes of the GraphQL contract (packages/api/schema.graphql) as the panel reads them.

export type ProviderType = 'SMTP' | 'API_SMTP' | 'CRM_API_SMTP';
export type ApiVendor = 'ZEPTOMAIL' | 'SENDGRID' | 'MAILGUN' | 'POSTMARK' | 'RESEND' | 'BREVO' | 'SPARKPOST';
export type Encryption = 'NONE' | 'SSL_TLS' | 'STARTTLS';
export type ServiceType = 'PRIMARY' | 'FALLBACK';
export type ProviderStatus = 'ACTIVE' | 'INACTIVE';
export type Channel = 'DEFAULT' | 'CRM';
export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';
export type FailureCategory =
  | 'CONNECTION'
  | 'TIMEOUT'
  | 'TLS'
  | 'AUTH'
  | 'RELAY_DENIED'
  | 'RATE_LIMITED'
  | 'PROVIDER_UNAVAILABLE'
  | 'RECIPIENT_REJECTED'
  | 'MESSAGE_REJECTED'
  | 'AMBIGUOUS'
  | 'CONFIG'
  | 'UNKNOWN';
export type AttemptOutcome = 'SENT' | 'FAILED' | 'SKIPPED';
export type DeliveryStatus = 'QUEUED' | 'SENDING' | 'RETRYING' | 'SENT' | 'FAILED';

export const PROVIDER_TYPES: readonly ProviderType[] = ['SMTP', 'API_SMTP', 'CRM_API_SMTP'];
export const API_VENDORS: readonly ApiVendor[] = [
  'ZEPTOMAIL',
  'SENDGRID',
  'MAILGUN',
  'POSTMARK',
  'RESEND',
  'BREVO',
  'SPARKPOST',
];
export const ENCRYPTIONS: readonly Encryption[] = ['SSL_TLS', 'STARTTLS', 'NONE'];
export const SERVICE_TYPES: readonly ServiceType[] = ['PRIMARY', 'FALLBACK'];
export const PROVIDER_STATUSES: readonly ProviderStatus[] = ['ACTIVE', 'INACTIVE'];
export const FAILURE_CATEGORIES: readonly FailureCategory[] = [
  'CONNECTION',
  'TIMEOUT',
  'TLS',
  'AUTH',
  'RELAY_DENIED',
  'RATE_LIMITED',
  'PROVIDER_UNAVAILABLE',
  'RECIPIENT_REJECTED',
  'MESSAGE_REJECTED',
  'AMBIGUOUS',
  'CONFIG',
  'UNKNOWN',
];
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'QUEUED',
  'SENDING',
  'RETRYING',
  'SENT',
  'FAILED',
];

export interface Failure {
  category: FailureCategory;
  smtpCode: number | null;
  enhancedCode: string | null;
  httpStatus: number | null;
  /** The SMTP command that failed (MAIL FROM, RCPT TO, DATA …). */
  command?: string | null;
  /** The vendor's own error code (SM_111 …). */
  vendorCode?: string | null;
  /** The message may have been delivered although this attempt failed. */
  possibleDuplicate?: boolean | null;
  message: string;
  hint: string;
}

export interface VerificationResult {
  ok: boolean;
  checkedAt: string;
  durationMs: number;
  failure: Failure | null;
  warnings: string[];
}

export interface DeliveryAttempt {
  providerId: string | null;
  providerName: string;
  startedAt: string;
  durationMs: number;
  outcome: AttemptOutcome;
  failure: Failure | null;
  /** Why a provider was not tried: circuit_open or cooling_down. */
  skippedReason?: string | null;
  /** The delivery round (delivery log only). */
  round?: number | null;
}

export interface ProviderRef {
  id: string;
  name: string;
}

export interface TestEmailResult {
  ok: boolean;
  deliveredBy: ProviderRef | null;
  messageId: string | null;
  attempts: DeliveryAttempt[];
  sentAt: string;
  channel?: Channel | null;
  failure?: Failure | null;
}

export interface ProviderHealth {
  state: CircuitState;
  consecutiveFailures: number;
  lastFailureAt: string | null;
  lastFailure: Failure | null;
  openUntil: string | null;
  /** Skipped until then after the provider asked to slow down (rate limit). */
  cooldownUntil?: string | null;
}

export interface Provider {
  id: string;
  type: ProviderType;
  name: string;
  apiVendor: ApiVendor | null;
  host: string;
  port: number;
  username: string;
  passwordSet: boolean;
  encryption: Encryption;
  fromEmail: string;
  fromName: string;
  serviceType: ServiceType;
  status: ProviderStatus;
  priority: number;
  channel: Channel;
  verifiedAt: string | null;
  lastVerification: VerificationResult | null;
  lastTestEmail: TestEmailResult | null;
  health: ProviderHealth;
  createdAt: string;
  updatedAt: string;
}

export interface SetupWarning {
  code: string;
  severity: string;
  providerId: string | null;
  message: string;
}

/** A provider as the chain query reads it: what the drawing needs. */
export type ChainProvider = Pick<
  Provider,
  'id' | 'name' | 'type' | 'channel' | 'serviceType' | 'status' | 'host' | 'port' | 'priority'
> & { health: Pick<ProviderHealth, 'state'> };

export interface DeliveryChain {
  channel: Channel;
  providers: ChainProvider[];
  warnings: SetupWarning[];
}

export interface User {
  id: string;
  email: string;
  /** ADMIN or VIEWER. */
  role: string;
  /** en or tr: the language the API writes hints and warnings in for this user. */
  locale: string;
}

export interface RejectedRecipient {
  address: string;
  smtpCode: number | null;
  enhancedCode: string | null;
  message: string;
}

export interface Delivery {
  id: string;
  status: DeliveryStatus;
  channel: Channel;
  to: string[];
  subject: string;
  messageId: string | null;
  /** Rounds started; one round walks the chain once. */
  rounds: number;
  deliveredBy: ProviderRef | null;
  /** Kept even after that provider is deleted. */
  deliveredByProviderName: string | null;
  rejectedRecipients: RejectedRecipient[];
  failure: Failure | null;
  /** One sentence: why the last round did not deliver. */
  failureReason: string | null;
  attempts: DeliveryAttempt[];
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string | null;
  finishedAt: string | null;
}

export interface DeliveryStatsBucket {
  /** Start of the hour (UTC). */
  hour: string;
  providerId: string | null;
  providerName: string;
  sent: number;
  failed: number;
}

export type AlertKind = 'CIRCUIT_OPENED' | 'CIRCUIT_CLOSED' | 'FALLBACK_USED';

export interface AlertEvent {
  id: string;
  kind: AlertKind;
  providerId: string;
  providerName: string;
  message: string;
  failure: Failure | null;
  occurrences: number;
  createdAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  webhookStatus: string | null;
}

export interface AlertConnection {
  nodes: AlertEvent[];
  totalCount: number;
  pageInfo: PageInfo;
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface DeliveryConnection {
  nodes: Delivery[];
  totalCount: number;
  pageInfo: PageInfo;
}

export interface ProviderInput {
  type: ProviderType;
  name: string;
  apiVendor: ApiVendor | null;
  host: string;
  port: number;
  username: string;
  password?: string;
  encryption: Encryption;
  fromEmail: string;
  fromName: string;
  serviceType: ServiceType;
  status: ProviderStatus;
}

export type ApiTokenScope = 'SEND' | 'READ' | 'MANAGE';
export const API_TOKEN_SCOPES: readonly ApiTokenScope[] = ['SEND', 'READ', 'MANAGE'];

export interface ApiToken {
  id: string;
  name: string;
  /** The first characters of the token, to tell tokens apart. */
  prefix: string;
  scopes: ApiTokenScope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiToken {
  /** Shown once, right after creation. */
  token: string;
  apiToken: ApiToken;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  /** Names of the changed fields, never their values. */
  fields: string[];
}

export interface AuditEntryConnection {
  nodes: AuditEntry[];
  totalCount: number;
  pageInfo: PageInfo;
}
