// The public face of @mail-providers/mailer-core. Test servers and emulators live in the
// `@mail-providers/mailer-core/test-support` entry point, never here.

// The engine
export { createMailer, resolveTimeouts } from './mailer';
export type {
  AttemptContext,
  Clock,
  Mailer,
  MailerOptions,
  MailerSendOptions,
  ProviderSource,
  ProviderSummary,
  TransportFactory,
  TransportFactoryOptions,
} from './mailer';
export { defaultTransportFactory, transportFactoryWith } from './transport-factory';
export { VENDOR_NAMES } from './transports/http/vendor-adapter';

// Vocabulary
export { API_VENDORS, authMethodOf, channelOf, usesHttpApi } from './provider';
export type {
  ApiVendor,
  AuthMethod,
  Channel,
  Encryption,
  ProviderConfig,
  ProviderStatus,
  ProviderType,
  ServiceType,
  TlsOptions,
} from './provider';
export type {
  Address,
  AddressInput,
  Attachment,
  Envelope,
  Message,
  PreparedAttachment,
  PreparedMessage,
} from './message';
export type {
  Attempt,
  AttemptOutcome,
  Failure,
  FailureCategory,
  Hint,
  RejectedRecipient,
  SendResult,
  Stage,
  TransportResult,
  VerifyResult,
} from './result';
export type {
  FailureEvidence,
  HttpEvidence,
  HttpNetworkEvidence,
  OAuth2Evidence,
  SmtpEvidence,
} from './failure-evidence';
export { DEFAULT_TIMEOUTS } from './transports/transport';
export { SMTP_MAX_CONNECTIONS, SMTP_MAX_MESSAGES_PER_CONNECTION } from './transports/smtp/pool-limits';
export type { SendOptions, Timeouts, Transport, VerifyOutcome } from './transports/transport';
export { silentLogger } from './logger';
export type { Logger, LogLevel } from './logger';

// OAuth2 sign-in: the engine asks the application for access tokens
export { OAuth2GrantError, isOAuth2GrantError } from './oauth2';
export type { OAuth2TokenSource } from './oauth2';

// Messages and addresses
export { MessageValidationError, prepareMessage, toEnvelope } from './prepare-message';
export type { PrepareMessageOptions } from './prepare-message';
export { AddressParseError, formatAddress, isAddrSpec, parseAddress, parseAddressList } from './address';

// Provider settings: the same rules in the library and the API
export {
  ProviderConfigError,
  configWarnings,
  isLoopbackHost,
  isPlaceholder,
  validateProviderConfig,
} from './provider-validation';
export type { ValidationIssue } from './provider-validation';

// Chain
export { buildChain } from './chain';
export type { ChainProvider } from './chain';

// Failures and hints
export { CATEGORY_POLICY, classifyFailure } from './classify';
export type { FailurePolicy } from './classify';
export { HINT_CATALOGS, HINT_KEYS, buildHint } from './hints';
export type { HintCatalog, HintContext, HintKey } from './hints';

// Health: the store contract and the breaker rules a shared store applies
export {
  DEFAULT_BREAKER_SETTINGS,
  InMemoryHealthStore,
  availabilityOf,
  describeHealth,
  holdsProbe,
  initialHealthRecord,
  recordFailure,
  recordSuccess,
  releaseProbe,
  resolveBreakerSettings,
  takeProbe,
} from './health';
export type {
  Availability,
  BreakerSettings,
  CircuitState,
  FailureContext,
  HealthRecord,
  HealthStore,
  ProbeLease,
  ProbeRequest,
  ProviderHealth,
} from './health';

// Outbound connections: which addresses transports may reach
export {
  ALLOW_LIST_VARIABLE,
  AllowListError,
  PRIVATE_NETWORKS_ALLOWED,
  addressKind,
  createOutboundPolicy,
  literalRefusal,
  parseAllowList,
} from './outbound/outbound-policy';
export type { AddressKind, AllowList, OutboundPolicy, OutboundRefusal } from './outbound/outbound-policy';
export { OUTBOUND_REFUSED, OutboundRefusedError, guardedLookup, vetHost } from './outbound/guarded-lookup';

// Secrets
export { redact } from './redact';
export { redactingLogger } from './redacting-logger';

// Delivery events the vendors report back by webhook: verification, parsing and their meaning
export {
  ANY_DETAIL,
  NORMALISATION,
  SIGNATURE_TOLERANCE_MS,
  VENDOR_WEBHOOKS,
  VendorPayloadError,
  eventVendorOf,
  normaliseVendorEvent,
  normaliseVendorMessageId,
} from './vendor-events';
export type {
  BounceKind,
  VendorEvent,
  VendorEventOutcome,
  VendorWebhook,
  WebhookRefusal,
  WebhookRequest,
  WebhookVerdict,
} from './vendor-events';
