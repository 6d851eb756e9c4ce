// The panel's names for what its operations read. The shapes are generated from the API's schema and the
// operations (generated.ts, `pnpm --filter @mail-providers/admin run codegen`); only names are kept here,
// with the lists of enum values in the order the panel shows them.

import type {
  AlertsQuery,
  CreateWebhookEndpointMutation,
  EventType,
  ImportSuppressionsMutation,
  ProviderQuery,
  SuppressionFieldsFragment,
  UnmatchedVendorEventsQuery,
  WebhookDeliveriesQuery,
  WebhookDeliveryFieldsFragment,
  WebhookEndpointFieldsFragment,
  WebhookFormat,
  ApiTokenFieldsFragment,
  ApiTokenScope,
  AttemptFieldsFragment,
  AuditLogQuery,
  ChainFieldsFragment,
  CreateApiTokenMutation,
  CreateUserMutation,
  ManagedUserFieldsFragment,
  RemoveUserMutation,
  ResetUserPasswordMutation,
  DeliveriesQuery,
  DeliveryFieldsFragment,
  DeliveryQuery,
  DeliveryStatsQuery,
  DeliveryStatus,
  Encryption,
  FailureCategory,
  FailureFieldsFragment,
  ProviderFieldsFragment,
  ProviderStatus,
  ProviderType,
  ServiceType,
  SettingsQuery,
  ApiVendor,
  TestEmailFieldsFragment,
  UserFieldsFragment,
  UserRole,
  VerificationFieldsFragment,
} from './generated';

export type {
  AlertKind,
  BounceType,
  EventType,
  SuppressionSource,
  WebhookAttemptStatus,
  WebhookEndpointInput,
  WebhookEndpointUpdateInput,
  WebhookFormat,
  ApiTokenScope,
  ApiVendor,
  AttemptOutcome,
  AuthMethod,
  Channel,
  CircuitState,
  DeliveryStatus,
  Encryption,
  FailureCategory,
  OAuthFlavour,
  ProviderInput,
  ProviderStatus,
  ProviderType,
  ServiceType,
  UserRole,
} from './generated';

export type Failure = FailureFieldsFragment;
export type VerificationResult = VerificationFieldsFragment;
export type TestEmailResult = TestEmailFieldsFragment;
export type Provider = ProviderFieldsFragment;
export type OAuthConnection = NonNullable<Provider['oauth']>;
export type ProviderHealth = Provider['health'];
export type DeliveryChain = ChainFieldsFragment;
/** A provider as the chain query reads it: what the drawing needs. */
export type ChainProvider = DeliveryChain['providers'][number];
export type SetupWarning = DeliveryChain['warnings'][number];
export type User = UserFieldsFragment;
/** A user as the Users page lists them. */
export type ManagedUser = ManagedUserFieldsFragment;
export type CreatedUser = CreateUserMutation['createUser'];
export type UserPasswordReset = ResetUserPasswordMutation['resetUserPassword'];
export type RemovedUser = RemoveUserMutation['removeUser'];
export type Delivery = DeliveryFieldsFragment;
/** A delivery with its message, as its detail page reads it. */
export type DeliveryDetail = NonNullable<DeliveryQuery['delivery']>;
/** One provider's part in a send; the delivery log also reads the round it belonged to. */
export type DeliveryAttempt = AttemptFieldsFragment & Partial<Pick<Delivery['attempts'][number], 'round'>>;
export type RejectedRecipient = Delivery['rejectedRecipients'][number];
export type DeliveryConnection = DeliveriesQuery['deliveries'];
export type PageInfo = DeliveryConnection['pageInfo'];
export type DeliveryStatsBucket = DeliveryStatsQuery['deliveryStats'][number];
export type AlertConnection = AlertsQuery['alerts'];
export type AlertEvent = AlertConnection['nodes'][number];
export type Settings = SettingsQuery['settings'];
export type ApiToken = ApiTokenFieldsFragment;
export type CreatedApiToken = CreateApiTokenMutation['createApiToken'];
export type AuditEntryConnection = AuditLogQuery['auditLog'];
export type AuditEntry = AuditEntryConnection['nodes'][number];
/** A provider as its form reads it: with the address its vendor posts delivery events to. */
export type ProviderDetail = NonNullable<ProviderQuery['provider']>;
export type DeliveryEvent = DeliveryDetail['events'][number];
export type WebhookEndpoint = WebhookEndpointFieldsFragment;
export type WebhookAttempt = WebhookDeliveryFieldsFragment;
export type WebhookAttemptConnection = WebhookDeliveriesQuery['webhookDeliveries'];
/** A new endpoint or a new secret: the `whsec_…` signing secret, shown this once. */
export type WebhookSecretShown = CreateWebhookEndpointMutation['createWebhookEndpoint'];
export type Suppression = SuppressionFieldsFragment;
export type SuppressionImportResult = ImportSuppressionsMutation['importSuppressions'];
export type VendorEventConnection = UnmatchedVendorEventsQuery['unmatchedVendorEvents'];
export type VendorEvent = VendorEventConnection['nodes'][number];

/**
 * A list of every value of the union `T`, in the panel's order. A value the schema adds fails type checking
 * at the list until it is placed, so no select silently lacks it.
 */
function everyValue<T extends string>() {
  return <const L extends readonly T[]>(
    list: L & ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> }),
  ): readonly T[] => list;
}

export const PROVIDER_TYPES = everyValue<ProviderType>()(['SMTP', 'API_SMTP', 'CRM_API_SMTP']);
export const API_VENDORS = everyValue<ApiVendor>()([
  'ZEPTOMAIL',
  'SENDGRID',
  'MAILGUN',
  'POSTMARK',
  'RESEND',
  'BREVO',
  'SPARKPOST',
]);
export const ENCRYPTIONS = everyValue<Encryption>()(['SSL_TLS', 'STARTTLS', 'NONE']);
export const SERVICE_TYPES = everyValue<ServiceType>()(['PRIMARY', 'FALLBACK']);
export const PROVIDER_STATUSES = everyValue<ProviderStatus>()(['ACTIVE', 'INACTIVE']);
export const FAILURE_CATEGORIES = everyValue<FailureCategory>()([
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
]);
export const DELIVERY_STATUSES = everyValue<DeliveryStatus>()([
  'QUEUED',
  'SENDING',
  'RETRYING',
  'SENT',
  'FAILED',
  'SUPPRESSED',
]);
export const EVENT_TYPES = everyValue<EventType>()([
  'DELIVERY_QUEUED',
  'DELIVERY_SENT',
  'DELIVERY_FAILED',
  'DELIVERY_DELIVERED',
  'DELIVERY_BOUNCED',
  'DELIVERY_COMPLAINED',
  'DELIVERY_SUPPRESSED',
  'PROVIDER_PAUSED',
  'PROVIDER_RECOVERED',
  'FALLBACK_USED',
  'PROVIDER_OAUTH_REVOKED',
]);
export const WEBHOOK_FORMATS = everyValue<WebhookFormat>()(['STANDARD', 'SLACK', 'EMAIL']);
export const API_TOKEN_SCOPES = everyValue<ApiTokenScope>()(['SEND', 'READ', 'MANAGE']);
export const USER_ROLES = everyValue<UserRole>()(['ADMIN', 'VIEWER']);
