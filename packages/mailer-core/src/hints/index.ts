import type { Hint } from '../result';
import { en } from './en';
import { tr } from './tr';

/** Every situation a failure hint explains. Each key has a text in every language the panel speaks. */
export type HintKey =
  // network and connection
  | 'connectionRefused'
  | 'dnsFailure'
  | 'connectionReset'
  | 'connectionClosed'
  | 'networkUnreachable'
  | 'networkError'
  | 'notSmtp'
  | 'outboundRefused'
  // time
  | 'connectTimeout'
  | 'greetingTimeout'
  | 'socketTimeout'
  | 'httpTimeout'
  // TLS
  | 'tlsWrongVersion'
  | 'tlsCertificate'
  | 'tlsHandshake'
  | 'tlsRequired'
  | 'starttlsRefused'
  | 'requireTlsUnsupported'
  // authentication
  | 'authFailed'
  | 'authRequired'
  | 'authMechanism'
  | 'authMissingCredentials'
  | 'authTemporary'
  | 'httpAuth'
  | 'basicAuthDisabled'
  | 'oauthTokenRefused'
  | 'oauthGrantRevoked'
  | 'oauthTokenUnavailable'
  // sender and policy
  | 'relayDenied'
  | 'relayDeniedAtRcpt'
  | 'senderRejected'
  | 'httpSenderNotVerified'
  | 'httpAccountRestricted'
  | 'httpIpNotAllowed'
  // rate limits
  | 'smtpThrottled'
  | 'sesThrottled'
  | 'httpRateLimited'
  | 'httpQuota'
  // provider side
  | 'serviceClosing'
  | 'greetingRefused'
  | 'localError'
  | 'storageFull'
  | 'tooManyRecipients'
  | 'providerTransient'
  | 'providerUnavailable'
  | 'httpServerError'
  | 'httpNotFoundTransient'
  | 'httpWrongEndpoint'
  | 'notVendorApi'
  // recipients
  | 'recipientUnknown'
  | 'recipientMailboxFull'
  | 'recipientRejected'
  | 'httpInactiveRecipient'
  // message
  | 'messageTooBig'
  | 'messageContent'
  | 'messagePolicy'
  | 'messageRejected'
  | 'invalidRecipientAddress'
  | 'noRecipients'
  | 'httpValidation'
  | 'httpTooLarge'
  | 'httpIdempotencyConflict'
  // handed over, outcome unknown
  | 'ambiguousAfterData'
  | 'ambiguousHttp'
  // local configuration and the rest
  | 'invalidSender'
  | 'config'
  | 'protocolError'
  | 'unknown';

/** What a hint text may quote: the provider's code in a short form (`550 5.7.1`, `HTTP 429`, `ECONNREFUSED`). */
export interface HintContext {
  code?: string;
  /** For rate limits: how long the provider asked us to wait, in whole seconds. */
  retryAfterSeconds?: number;
}

/** A hint text in one language: a fixed sentence or one built from the evidence. */
export type HintText = string | ((context: HintContext) => string);

/** The hint texts of one language. */
export type HintCatalog = Record<HintKey, HintText>;

/** The catalogs by language. */
export const HINT_CATALOGS: { en: HintCatalog; tr: HintCatalog } = { en, tr };

/** Every hint key, in catalog order. */
export const HINT_KEYS: readonly HintKey[] = keysOf(en);

/** Builds the operator's hint for `key` in English and Turkish, quoting the evidence where it helps. */
export function buildHint(key: HintKey, context: HintContext = {}): Hint {
  return { en: render(en[key], context), tr: render(tr[key], context) };
}

function render(text: HintText, context: HintContext): string {
  return typeof text === 'function' ? text(context) : text;
}

function keysOf(catalog: HintCatalog): HintKey[] {
  const keys: HintKey[] = [];
  for (const key in catalog) {
    if (Object.prototype.hasOwnProperty.call(catalog, key)) keys.push(key as HintKey);
  }
  return keys;
}
