import type {
  FailureEvidence,
  HttpEvidence,
  HttpNetworkEvidence,
  OAuth2Evidence,
  SmtpEvidence,
} from './failure-evidence';
import { buildHint, type HintKey } from './hints';
import { API_VENDORS, type ApiVendor } from './provider';
import { redact } from './redact';
import { VENDOR_CODE_TABLES } from './transports/http/vendor-codes';
import type { Failure, FailureCategory, Stage } from './result';

/** What a category means for the engine: fall back now, count against health, retry later. */
export interface FailurePolicy {
  fallback: boolean;
  countsAgainstHealth: boolean;
  retryable: boolean;
}

/** The failure categories, one row per category (the README's table). Rules below take their flags from here unless they say otherwise. */
export const CATEGORY_POLICY: Readonly<Record<FailureCategory, FailurePolicy>> = {
  CONNECTION: { fallback: true, countsAgainstHealth: true, retryable: true },
  TIMEOUT: { fallback: true, countsAgainstHealth: true, retryable: true },
  TLS: { fallback: true, countsAgainstHealth: true, retryable: true },
  AUTH: { fallback: true, countsAgainstHealth: true, retryable: true },
  RELAY_DENIED: { fallback: true, countsAgainstHealth: true, retryable: true },
  // A rate limit is a cooldown, not a sign of ill health.
  RATE_LIMITED: { fallback: true, countsAgainstHealth: false, retryable: true },
  PROVIDER_UNAVAILABLE: { fallback: true, countsAgainstHealth: true, retryable: true },
  // Every provider would get the same answer for these two.
  RECIPIENT_REJECTED: { fallback: false, countsAgainstHealth: false, retryable: false },
  MESSAGE_REJECTED: { fallback: false, countsAgainstHealth: false, retryable: false },
  AMBIGUOUS: { fallback: true, countsAgainstHealth: true, retryable: true },
  // A provider with unusable settings stays unusable until someone fixes it; the others may still deliver.
  CONFIG: { fallback: true, countsAgainstHealth: true, retryable: true },
  UNKNOWN: { fallback: true, countsAgainstHealth: true, retryable: true },
};

type EvidenceKind = FailureEvidence['kind'];

/** The evidence reduced to the facts the rules look at. */
interface Facts {
  kind: EvidenceKind;
  stage?: Stage;
  replyCode?: number;
  enhanced?: EnhancedCode;
  /** nodemailer's code, Node's errno (given or read from the message): the rules match any of them. */
  codes: Set<string>;
  /** Everything the provider and the error said, for the few rules that must read words. */
  text: string;
  /** The SMTP command the reply answered (`AUTH XOAUTH2` …). */
  command?: string;
  httpStatus?: number;
  vendor?: ApiVendor;
  vendorCode?: string;
  senderNotVerified: boolean;
  notVendorApi: boolean;
  requestSent: boolean;
  timedOut: boolean;
  /** The OAuth2 error code of a refused grant. */
  grantError?: string;
}

interface EnhancedCode {
  cls: number;
  subject: number;
  detail: number;
  text: string;
}

/** What a rule requires; every listed condition must hold. */
interface Match {
  kinds?: readonly EvidenceKind[];
  stages?: readonly Stage[];
  /** Enhanced codes such as `5.7`, `X.7` (either class), `5.3.4`, `X.5.3`. */
  enhanced?: readonly string[];
  replyCodes?: readonly number[];
  replyClass?: 4 | 5;
  /** True: only when the server sent no reply at all. */
  noReply?: boolean;
  codes?: readonly string[];
  text?: RegExp;
  command?: RegExp;
  httpStatus?: readonly number[];
  httpStatusClass?: 5;
  vendors?: readonly ApiVendor[];
  vendorCode?: RegExp;
  senderNotVerified?: boolean;
  notVendorApi?: boolean;
  requestSent?: boolean;
  timedOut?: boolean;
  /** True: only a refused OAuth2 grant; false: only another token failure. */
  grantRefused?: boolean;
}

/** One row of the classification table. */
interface Rule extends FailurePolicy {
  id: string;
  match: Match;
  category: FailureCategory;
  hint: HintKey;
  /** A fixed label to quote in the hint instead of the evidence code. */
  label?: string;
}

function rule(
  id: string,
  category: FailureCategory,
  hint: HintKey,
  match: Match,
  extra: Partial<FailurePolicy> & { label?: string } = {},
): Rule {
  return { id, category, hint, match, ...CATEGORY_POLICY[category], ...extra };
}

const SMTP: readonly EvidenceKind[] = ['smtp'];
const HTTP: readonly EvidenceKind[] = ['http'];
const NET: readonly EvidenceKind[] = ['http_network'];
const SMTP_OR_NET: readonly EvidenceKind[] = ['smtp', 'http_network'];
const OAUTH2: readonly EvidenceKind[] = ['oauth2'];

/** The message (or part of it) had gone to the server: a lost answer may hide a delivery. */
const HANDED_OVER: readonly Stage[] = ['data', 'after_data'];
const SESSION_START: readonly Stage[] = ['connect', 'greeting', 'ehlo'];
/** Before the content went over: a refusal here is about us (sender, account, relay), not the content. */
const BEFORE_CONTENT: readonly Stage[] = [
  'connect',
  'greeting',
  'tls',
  'ehlo',
  'auth',
  'mail_from',
  'rcpt',
  'data',
];

const CERT_CODES = [
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
];
const DNS_CODES = ['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EDNS'];
const RESET_CODES = ['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET'];
const UNREACHABLE_CODES = ['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL'];
const CLOSED_CODES = ['ECONNECTION', 'ESOCKET', 'EPROXY'];

/** A vendor's own rows (see each vendor's `*-codes.ts`), as rows of this table for that vendor only. */
function vendorRules(): Rule[] {
  return API_VENDORS.flatMap((vendor) =>
    VENDOR_CODE_TABLES[vendor].map((row) => {
      const match: Match = { kinds: HTTP, vendors: [vendor] };
      if (row.vendorCode) match.vendorCode = row.vendorCode;
      if (row.httpStatus) match.httpStatus = row.httpStatus;
      return rule(row.id, row.category, row.hint, match);
    }),
  );
}

/**
 * The shared classification table, first match wins. SMTP replies are judged by the enhanced code's class
 * and subject together with the stage, then by the bare reply code and stage, then by nodemailer's and
 * Node's error codes; HTTP answers by the vendor's own table (beside its adapter), then the status.
 */
const RULES: readonly Rule[] = [
  // ── Refused by the outbound policy: nothing was sent to the address ────────────────────────
  rule(
    'outbound-refused',
    'CONFIG',
    'outboundRefused',
    { kinds: SMTP_OR_NET, codes: ['EOUTBOUND'] },
    { label: 'address refused' },
  ),

  // ── OAuth2: no access token, so nothing reached the provider ──────────────────────────────
  rule('oauth2-grant-refused', 'AUTH', 'oauthGrantRevoked', { kinds: OAUTH2, grantRefused: true }),
  // The sign-in service is down or failing: the mailbox itself may be fine, and a later try may work.
  rule('oauth2-token-unavailable', 'PROVIDER_UNAVAILABLE', 'oauthTokenUnavailable', {
    kinds: OAUTH2,
    grantRefused: false,
  }),

  // ── SMTP: the message had been handed over and no answer came ───────────────────────────────
  rule('smtp-lost-after-data', 'AMBIGUOUS', 'ambiguousAfterData', {
    kinds: SMTP,
    stages: HANDED_OVER,
    noReply: true,
  }),

  // ── SMTP replies with special words ────────────────────────────────────────────────────────
  rule('ses-throttling', 'RATE_LIMITED', 'sesThrottled', {
    kinds: SMTP,
    text: /throttling failure|maximum sending rate exceeded/i,
  }),
  rule('starttls-first', 'TLS', 'tlsRequired', { kinds: SMTP, replyCodes: [530], text: /starttls/i }),
  rule('encryption-required', 'TLS', 'tlsRequired', { kinds: SMTP, replyCodes: [538] }),
  rule('encryption-required-enhanced', 'TLS', 'tlsRequired', { kinds: SMTP, enhanced: ['5.7.11'] }),
  rule('starttls-refused', 'TLS', 'starttlsRefused', { kinds: SMTP, stages: ['tls'], replyClass: 5 }),
  rule('starttls-unavailable', 'TLS', 'starttlsRefused', { kinds: SMTP, stages: ['tls'], replyClass: 4 }),

  // ── SMTP authentication ───────────────────────────────────────────────────────────────────
  // Microsoft 365 with password sign-in (basic authentication) turned off for the tenant or the mailbox.
  rule('basic-auth-disabled', 'AUTH', 'basicAuthDisabled', { kinds: SMTP, enhanced: ['5.7.30', '5.7.139'] }),
  rule('basic-auth-disabled-words', 'AUTH', 'basicAuthDisabled', {
    kinds: SMTP,
    replyClass: 5,
    text: /basic authentication is (?:not supported|disabled)|SmtpClientAuthentication is disabled/i,
  }),
  rule('auth-throttled', 'RATE_LIMITED', 'smtpThrottled', {
    kinds: SMTP,
    stages: ['auth'],
    replyClass: 4,
    text: /too many|rate|throttl|limit exceeded/i,
  }),
  rule('auth-temporary', 'AUTH', 'authTemporary', { kinds: SMTP, stages: ['auth'], replyClass: 4 }),
  // Reached only once a freshly issued token was refused too (the transport retries once).
  rule('xoauth2-refused', 'AUTH', 'oauthTokenRefused', {
    kinds: SMTP,
    stages: ['auth'],
    replyClass: 5,
    command: /XOAUTH2/i,
  }),
  rule('auth-535', 'AUTH', 'authFailed', { kinds: SMTP, replyCodes: [535] }),
  rule('auth-bad-credentials', 'AUTH', 'authFailed', { kinds: SMTP, enhanced: ['5.7.8'] }),
  rule('auth-required', 'AUTH', 'authRequired', { kinds: SMTP, replyCodes: [530] }),
  rule('auth-mechanism', 'AUTH', 'authMechanism', { kinds: SMTP, replyCodes: [534, 504] }),
  rule('auth-mechanism-enhanced', 'AUTH', 'authMechanism', { kinds: SMTP, enhanced: ['5.7.9', '5.7.4'] }),
  rule('auth-refused', 'AUTH', 'authFailed', { kinds: SMTP, stages: ['auth'], replyClass: 5 }),

  // ── SMTP throttling and limits ───────────────────────────────────────────────────────────
  rule('throttled-4.7', 'RATE_LIMITED', 'smtpThrottled', {
    kinds: SMTP,
    replyCodes: [421, 450, 451, 454],
    enhanced: ['4.7'],
  }),
  rule('throttled-words', 'RATE_LIMITED', 'smtpThrottled', {
    kinds: SMTP,
    replyClass: 4,
    text: /rate limit|throttl|too many (?:connections|messages|mails)|sending (?:rate|limit|quota)/i,
  }),
  // Another provider may take more recipients per message; this one is not ill for saying so.
  rule(
    'too-many-recipients',
    'PROVIDER_UNAVAILABLE',
    'tooManyRecipients',
    { kinds: SMTP, enhanced: ['X.5.3'] },
    { countsAgainstHealth: false },
  ),

  // ── SMTP: enhanced code, subject and stage ─────────────────────────────────────────────────
  rule('message-too-big', 'MESSAGE_REJECTED', 'messageTooBig', { kinds: SMTP, enhanced: ['5.3.4', '5.2.3'] }),
  rule('recipient-mailbox-full', 'RECIPIENT_REJECTED', 'recipientMailboxFull', {
    kinds: SMTP,
    stages: ['rcpt'],
    enhanced: ['X.2.2'],
  }),
  rule('recipient-unknown', 'RECIPIENT_REJECTED', 'recipientUnknown', {
    kinds: SMTP,
    stages: ['rcpt'],
    enhanced: ['X.1'],
  }),
  rule('recipient-mailbox', 'RECIPIENT_REJECTED', 'recipientRejected', {
    kinds: SMTP,
    stages: ['rcpt'],
    enhanced: ['X.2'],
  }),
  // LMTP-style per-recipient answers after the content: still about that mailbox.
  rule('recipient-after-data', 'RECIPIENT_REJECTED', 'recipientRejected', {
    kinds: SMTP,
    stages: ['after_data'],
    enhanced: ['X.1', 'X.2'],
  }),
  rule('sender-rejected', 'RELAY_DENIED', 'senderRejected', {
    kinds: SMTP,
    stages: ['mail_from'],
    enhanced: ['X.1'],
  }),
  rule('relay-denied-rcpt', 'RELAY_DENIED', 'relayDeniedAtRcpt', {
    kinds: SMTP,
    stages: ['rcpt'],
    enhanced: ['5.7'],
  }),
  rule('greeting-policy', 'RELAY_DENIED', 'greetingRefused', {
    kinds: SMTP,
    stages: SESSION_START,
    enhanced: ['5.7'],
  }),
  rule('relay-denied', 'RELAY_DENIED', 'relayDenied', {
    kinds: SMTP,
    stages: BEFORE_CONTENT,
    enhanced: ['5.7'],
  }),
  rule('content-policy', 'MESSAGE_REJECTED', 'messagePolicy', {
    kinds: SMTP,
    stages: ['after_data'],
    enhanced: ['5.7'],
  }),
  rule('content-invalid', 'MESSAGE_REJECTED', 'messageContent', { kinds: SMTP, enhanced: ['5.6'] }),
  rule('storage-full', 'PROVIDER_UNAVAILABLE', 'storageFull', { kinds: SMTP, enhanced: ['X.3.1'] }),
  rule('service-closing', 'PROVIDER_UNAVAILABLE', 'serviceClosing', { kinds: SMTP, replyCodes: [421] }),
  rule('mail-system', 'PROVIDER_UNAVAILABLE', 'localError', { kinds: SMTP, enhanced: ['X.3'] }),
  rule('network-routing', 'PROVIDER_UNAVAILABLE', 'providerTransient', { kinds: SMTP, enhanced: ['X.4'] }),

  // ── SMTP: bare reply code and stage ────────────────────────────────────────────────────────
  rule('greeting-refused', 'PROVIDER_UNAVAILABLE', 'greetingRefused', {
    kinds: SMTP,
    stages: SESSION_START,
    replyClass: 5,
  }),
  rule('relay-words-rcpt', 'RELAY_DENIED', 'relayDeniedAtRcpt', {
    kinds: SMTP,
    stages: ['rcpt'],
    replyClass: 5,
    text: /relay(?:ing)? (?:access )?(?:denied|not permitted|not allowed|prohibited)/i,
  }),
  rule('rcpt-mailbox-full', 'RECIPIENT_REJECTED', 'recipientMailboxFull', {
    kinds: SMTP,
    stages: ['rcpt'],
    replyCodes: [552],
  }),
  rule('rcpt-refused', 'RECIPIENT_REJECTED', 'recipientRejected', {
    kinds: SMTP,
    stages: ['rcpt'],
    replyCodes: [550, 551, 553, 554],
  }),
  rule('mail-from-size', 'MESSAGE_REJECTED', 'messageTooBig', {
    kinds: SMTP,
    stages: ['mail_from'],
    replyCodes: [552],
  }),
  rule('mail-from-address', 'RELAY_DENIED', 'senderRejected', {
    kinds: SMTP,
    stages: ['mail_from'],
    replyCodes: [553],
  }),
  rule('mail-from-refused', 'RELAY_DENIED', 'relayDenied', {
    kinds: SMTP,
    stages: ['mail_from'],
    replyClass: 5,
  }),
  rule('data-too-big', 'MESSAGE_REJECTED', 'messageTooBig', {
    kinds: SMTP,
    stages: ['after_data'],
    replyCodes: [552],
  }),
  rule('data-refused', 'MESSAGE_REJECTED', 'messageRejected', {
    kinds: SMTP,
    stages: ['after_data'],
    replyClass: 5,
  }),
  rule('storage-452', 'PROVIDER_UNAVAILABLE', 'storageFull', { kinds: SMTP, replyCodes: [452] }),
  rule('local-error-451', 'PROVIDER_UNAVAILABLE', 'localError', { kinds: SMTP, replyCodes: [451] }),
  rule('transient', 'PROVIDER_UNAVAILABLE', 'providerTransient', { kinds: SMTP, replyClass: 4 }),
  rule('refused', 'PROVIDER_UNAVAILABLE', 'providerUnavailable', { kinds: SMTP, replyClass: 5 }),

  // ── TLS (SMTP and HTTP networking) ─────────────────────────────────────────────────────────
  rule(
    'tls-wrong-version',
    'TLS',
    'tlsWrongVersion',
    {
      kinds: SMTP_OR_NET,
      text: /wrong version number|WRONG_VERSION_NUMBER|packet length too long|ssl3_get_record/i,
    },
    { label: 'wrong version number' },
  ),
  rule('tls-certificate-code', 'TLS', 'tlsCertificate', { kinds: SMTP_OR_NET, codes: CERT_CODES }),
  rule('tls-certificate-words', 'TLS', 'tlsCertificate', {
    kinds: SMTP_OR_NET,
    text: /certificate|self[- ]signed|altnames|unable to verify|unable to get (?:local )?issuer/i,
  }),
  rule('requiretls', 'TLS', 'requireTlsUnsupported', { kinds: SMTP, codes: ['EREQUIRETLS'] }),
  rule('tls-handshake', 'TLS', 'tlsHandshake', { kinds: SMTP, codes: ['ETLS'] }),
  rule('tls-handshake-words', 'TLS', 'tlsHandshake', {
    kinds: SMTP_OR_NET,
    text: /secure TLS connection|SSL routines|handshake failure|tlsv1 alert|ssl alert|ERR_SSL_/i,
  }),

  // ── SMTP: nodemailer's own refusals before anything is sent ────────────────────────────────
  rule('config', 'CONFIG', 'config', { kinds: SMTP, codes: ['ECONFIG'] }),
  rule('invalid-sender', 'CONFIG', 'invalidSender', {
    kinds: SMTP,
    codes: ['EENVELOPE'],
    noReply: true,
    text: /invalid sender/i,
  }),
  rule('invalid-recipient', 'MESSAGE_REJECTED', 'invalidRecipientAddress', {
    kinds: SMTP,
    codes: ['EENVELOPE'],
    noReply: true,
    text: /invalid recipient/i,
  }),
  rule('no-recipients', 'MESSAGE_REJECTED', 'noRecipients', {
    kinds: SMTP,
    codes: ['EENVELOPE'],
    noReply: true,
    text: /no recipients/i,
  }),
  rule('size-limit', 'MESSAGE_REJECTED', 'messageTooBig', {
    kinds: SMTP,
    codes: ['EMESSAGE'],
    noReply: true,
    text: /larger than allowed/i,
  }),
  rule('auth-missing', 'AUTH', 'authMissingCredentials', {
    kinds: SMTP,
    codes: ['EAUTH', 'ENOAUTH'],
    text: /missing credentials|credentials not provided/i,
  }),
  rule('auth-missing-code', 'AUTH', 'authMissingCredentials', { kinds: SMTP, codes: ['ENOAUTH'] }),
  rule('auth-error', 'AUTH', 'authFailed', { kinds: SMTP, codes: ['EAUTH', 'EOAUTH2'] }),

  // ── HTTP: the request had gone out and no answer came ──────────────────────────────────────
  rule('http-lost-after-request', 'AMBIGUOUS', 'ambiguousHttp', { kinds: NET, requestSent: true }),

  // ── Time ───────────────────────────────────────────────────────────────────────────────────
  rule('http-timeout', 'TIMEOUT', 'httpTimeout', { kinds: NET, timedOut: true }),
  rule('http-connect-timeout', 'TIMEOUT', 'httpTimeout', {
    kinds: NET,
    codes: ['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT'],
  }),
  rule('greeting-timeout', 'TIMEOUT', 'greetingTimeout', {
    kinds: SMTP,
    codes: ['ETIMEDOUT'],
    text: /greeting/i,
  }),
  rule('connect-timeout', 'TIMEOUT', 'connectTimeout', {
    kinds: SMTP,
    codes: ['ETIMEDOUT'],
    text: /connection timeout|connect ETIMEDOUT/i,
  }),
  rule('socket-timeout', 'TIMEOUT', 'socketTimeout', { kinds: SMTP, codes: ['ETIMEDOUT'] }),

  // ── Connection ─────────────────────────────────────────────────────────────────────────────
  rule('refused', 'CONNECTION', 'connectionRefused', { kinds: SMTP_OR_NET, codes: ['ECONNREFUSED'] }),
  rule('dns', 'CONNECTION', 'dnsFailure', { kinds: SMTP_OR_NET, codes: DNS_CODES }),
  rule('reset', 'CONNECTION', 'connectionReset', { kinds: SMTP_OR_NET, codes: RESET_CODES }),
  rule('unreachable', 'CONNECTION', 'networkUnreachable', { kinds: SMTP_OR_NET, codes: UNREACHABLE_CODES }),
  rule('closed', 'CONNECTION', 'connectionClosed', { kinds: SMTP, codes: CLOSED_CODES }),
  rule('closed-words', 'CONNECTION', 'connectionClosed', {
    kinds: SMTP,
    text: /connection (?:pool )?(?:was )?closed|socket close/i,
  }),
  // The transport found words that are no SMTP reply (an SSH banner, an HTTP page) and kept them out.
  rule('not-smtp', 'CONFIG', 'notSmtp', { kinds: SMTP, codes: ['ENOTSMTP'] }, { label: 'not SMTP' }),
  rule('protocol', 'UNKNOWN', 'protocolError', { kinds: SMTP, codes: ['EPROTOCOL'] }),
  rule('http-network', 'CONNECTION', 'networkError', { kinds: NET }),

  // ── HTTP answers: a success that is not the vendor's API ───────────────────────────────────
  rule('http-not-vendor', 'CONFIG', 'notVendorApi', { kinds: HTTP, notVendorApi: true }),

  // ── HTTP answers: the vendor's own code first ─────────────────────────────────────────────
  rule('http-sender-not-verified', 'RELAY_DENIED', 'httpSenderNotVerified', {
    kinds: HTTP,
    senderNotVerified: true,
  }),
  ...vendorRules(),
  // ── HTTP answers: the status ──────────────────────────────────────────────────────────────
  rule('http-auth', 'AUTH', 'httpAuth', { kinds: HTTP, httpStatus: [401, 403] }),
  rule('http-quota', 'RATE_LIMITED', 'httpQuota', { kinds: HTTP, httpStatus: [402, 420] }),
  rule('http-rate', 'RATE_LIMITED', 'httpRateLimited', { kinds: HTTP, httpStatus: [429] }),
  rule('http-idempotency', 'MESSAGE_REJECTED', 'httpIdempotencyConflict', { kinds: HTTP, httpStatus: [409] }),
  rule('http-too-large', 'MESSAGE_REJECTED', 'httpTooLarge', { kinds: HTTP, httpStatus: [413] }),
  rule('http-validation', 'MESSAGE_REJECTED', 'httpValidation', { kinds: HTTP, httpStatus: [400, 422] }),
  rule('http-not-found', 'CONFIG', 'httpWrongEndpoint', { kinds: HTTP, httpStatus: [404, 405] }),
  rule('http-server', 'PROVIDER_UNAVAILABLE', 'httpServerError', { kinds: HTTP, httpStatusClass: 5 }),
  // Resend's 451 is a temporary refusal on its side.
  rule('http-451', 'PROVIDER_UNAVAILABLE', 'httpServerError', { kinds: HTTP, httpStatus: [451] }),
];

const UNKNOWN_RULE = rule('unknown', 'UNKNOWN', 'unknown', {});

/**
 * Turns what a provider or the network said into one failure category, with the provider's
 * own evidence, the engine's decisions (`fallback`, `countsAgainstHealth`, `retryable`) and an operator
 * hint in English and Turkish. Every secret in `secrets` is removed from the message.
 *
 * @example
 * classifyFailure(
 *   { kind: 'smtp', code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550,
 *     response: '550 5.1.1 <x@example.com>: User unknown', message: 'Recipient command failed' },
 *   [provider.password],
 * ).category; // 'RECIPIENT_REJECTED'
 */
export function classifyFailure(evidence: FailureEvidence, secrets: ReadonlyArray<string>): Failure {
  const facts = factsOf(evidence);
  const matched = RULES.find((candidate) => matches(candidate.match, facts)) ?? UNKNOWN_RULE;
  return toFailure(matched, facts, evidence, secrets);
}

/** The id of the table row that decides `evidence`; for tests and debugging. */
export function classificationRuleId(evidence: FailureEvidence): string {
  const facts = factsOf(evidence);
  return (RULES.find((candidate) => matches(candidate.match, facts)) ?? UNKNOWN_RULE).id;
}

function toFailure(
  matched: Rule,
  facts: Facts,
  evidence: FailureEvidence,
  secrets: ReadonlyArray<string>,
): Failure {
  const retryAfterMs = evidence.kind === 'http' ? evidence.retryAfterMs : undefined;
  const hint = buildHint(matched.hint, {
    code: matched.label ?? evidenceLabel(facts, evidence),
    retryAfterSeconds: retryAfterMs !== undefined ? Math.ceil(retryAfterMs / 1000) : undefined,
  });
  const failure: Failure = {
    category: matched.category,
    fallback: matched.fallback,
    countsAgainstHealth: matched.countsAgainstHealth,
    retryable: matched.retryable,
    message: redact(messageOf(evidence), secrets),
    hint: { en: redact(hint.en, secrets), tr: redact(hint.tr, secrets) },
  };
  if (facts.stage !== undefined) failure.stage = facts.stage;
  if (facts.replyCode !== undefined) failure.smtpCode = facts.replyCode;
  if (facts.enhanced !== undefined) failure.enhancedCode = facts.enhanced.text;
  if (evidence.kind === 'smtp' && evidence.command !== undefined) failure.command = evidence.command;
  if (facts.httpStatus !== undefined) failure.httpStatus = facts.httpStatus;
  if (facts.vendorCode !== undefined) failure.vendorCode = redact(facts.vendorCode, secrets);
  if (retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
  if (matched.category === 'AMBIGUOUS') failure.possibleDuplicate = true;
  return failure;
}

function messageOf(evidence: FailureEvidence): string {
  if (evidence.kind !== 'smtp') return evidence.message;
  // nodemailer appends the reply to its message; add it only when it is not there yet.
  const response = evidence.response?.trim();
  if (response && !evidence.message.includes(response)) return `${evidence.message}: ${response}`;
  return evidence.message;
}

/** The short code quoted at the start of a hint: `550 5.7.1`, `HTTP 403 SM_111`, `ECONNREFUSED`. */
function evidenceLabel(facts: Facts, evidence: FailureEvidence): string | undefined {
  if (facts.kind === 'http') {
    return `HTTP ${facts.httpStatus ?? '?'}${facts.vendorCode ? ` ${facts.vendorCode}` : ''}`;
  }
  if (facts.replyCode !== undefined) {
    return facts.enhanced ? `${facts.replyCode} ${facts.enhanced.text}` : String(facts.replyCode);
  }
  if (evidence.kind === 'smtp') return evidence.errno ?? firstNodeCode(evidence.message) ?? evidence.code;
  if (evidence.kind === 'http_network') {
    return evidence.errno ?? firstNodeCode(evidence.message);
  }
  if (evidence.kind === 'oauth2') return evidence.grantError;
  return undefined;
}

function matches(match: Match, facts: Facts): boolean {
  if (match.kinds && !match.kinds.includes(facts.kind)) return false;
  if (match.stages && (facts.stage === undefined || !match.stages.includes(facts.stage))) return false;
  if (match.noReply === true && facts.replyCode !== undefined) return false;
  if (match.replyCodes && (facts.replyCode === undefined || !match.replyCodes.includes(facts.replyCode))) {
    return false;
  }
  if (match.replyClass !== undefined) {
    if (facts.replyCode === undefined || Math.floor(facts.replyCode / 100) !== match.replyClass) return false;
  }
  if (match.enhanced) {
    const enhanced = facts.enhanced;
    if (!enhanced || !match.enhanced.some((pattern) => enhancedMatches(pattern, enhanced))) return false;
  }
  if (match.codes && !match.codes.some((code) => facts.codes.has(code))) return false;
  if (match.text && !match.text.test(facts.text)) return false;
  if (match.command && (facts.command === undefined || !match.command.test(facts.command))) return false;
  if (match.httpStatus && (facts.httpStatus === undefined || !match.httpStatus.includes(facts.httpStatus))) {
    return false;
  }
  if (match.httpStatusClass !== undefined) {
    if (facts.httpStatus === undefined || Math.floor(facts.httpStatus / 100) !== match.httpStatusClass)
      return false;
  }
  if (match.vendors && (facts.vendor === undefined || !match.vendors.includes(facts.vendor))) return false;
  if (match.vendorCode && (facts.vendorCode === undefined || !match.vendorCode.test(facts.vendorCode))) {
    return false;
  }
  if (match.senderNotVerified !== undefined && facts.senderNotVerified !== match.senderNotVerified)
    return false;
  if (match.notVendorApi !== undefined && facts.notVendorApi !== match.notVendorApi) return false;
  if (match.requestSent !== undefined && facts.requestSent !== match.requestSent) return false;
  if (match.timedOut !== undefined && facts.timedOut !== match.timedOut) return false;
  if (match.grantRefused !== undefined && (facts.grantError !== undefined) !== match.grantRefused)
    return false;
  return true;
}

/** `5.7` matches 5.7.x, `X.7` matches 4.7.x and 5.7.x, `5.3.4` only itself. */
function enhancedMatches(pattern: string, code: EnhancedCode): boolean {
  const [cls, subject, detail] = pattern.split('.');
  if (cls !== undefined && cls !== 'X' && Number(cls) !== code.cls) return false;
  if (subject !== undefined && Number(subject) !== code.subject) return false;
  if (detail !== undefined && Number(detail) !== code.detail) return false;
  return true;
}

function factsOf(evidence: FailureEvidence): Facts {
  switch (evidence.kind) {
    case 'smtp':
      return smtpFacts(evidence);
    case 'http':
      return httpFacts(evidence);
    case 'http_network':
      return networkFacts(evidence);
    case 'oauth2':
      return oauth2Facts(evidence);
  }
}

function oauth2Facts(evidence: OAuth2Evidence): Facts {
  const facts: Facts = {
    kind: 'oauth2',
    codes: new Set(),
    text: evidence.message,
    senderNotVerified: false,
    notVendorApi: false,
    requestSent: false,
    timedOut: false,
    stage: 'auth',
  };
  if (evidence.grantError !== undefined) facts.grantError = evidence.grantError;
  return facts;
}

function smtpFacts(evidence: SmtpEvidence): Facts {
  const text = [evidence.message, evidence.response ?? ''].join(' ');
  const replyCode = evidence.responseCode ?? replyCodeOf(evidence.response);
  const enhanced = enhancedCodeOf(evidence.response) ?? enhancedCodeOf(evidence.message);
  const codes = new Set<string>();
  for (const code of [evidence.code, evidence.errno, firstNodeCode(evidence.message)]) {
    if (code) codes.add(code);
  }
  const facts: Facts = {
    kind: 'smtp',
    codes,
    text,
    senderNotVerified: false,
    notVendorApi: false,
    requestSent: false,
    timedOut: false,
  };
  const stage = evidence.stage ?? stageOf(evidence.command, evidence.code, text, replyCode !== undefined);
  if (stage !== undefined) facts.stage = stage;
  // A reply code only counts when it is a real SMTP reply (2yz–5yz).
  if (replyCode !== undefined && replyCode >= 200 && replyCode < 600) facts.replyCode = replyCode;
  if (enhanced !== undefined) facts.enhanced = enhanced;
  if (evidence.command !== undefined) facts.command = evidence.command;
  return facts;
}

function httpFacts(evidence: HttpEvidence): Facts {
  const facts: Facts = {
    kind: 'http',
    codes: new Set(),
    text: evidence.message,
    httpStatus: evidence.status,
    vendor: evidence.vendor,
    senderNotVerified: evidence.senderNotVerified === true,
    notVendorApi: evidence.notVendorApi === true,
    requestSent: true,
    timedOut: false,
    stage: 'http_response',
  };
  if (evidence.vendorCode !== undefined) facts.vendorCode = evidence.vendorCode;
  return facts;
}

function networkFacts(evidence: HttpNetworkEvidence): Facts {
  const codes = new Set<string>();
  for (const code of [evidence.errno, firstNodeCode(evidence.message)]) {
    if (code) codes.add(code);
  }
  return {
    kind: 'http_network',
    codes,
    text: evidence.message,
    vendor: evidence.vendor,
    senderNotVerified: false,
    notVendorApi: false,
    requestSent: evidence.requestSent,
    timedOut: evidence.timedOut,
    stage: evidence.stage ?? (evidence.requestSent ? 'http_response' : 'http_request'),
  };
}

/** Where an SMTP failure came, from the command nodemailer names (and, for `CONN`, what it says). */
function stageOf(
  command: string | undefined,
  code: string | undefined,
  text: string,
  hasReply: boolean,
): Stage | undefined {
  const upper = (command ?? '').toUpperCase();
  if (upper.startsWith('MAIL')) return 'mail_from';
  if (upper.startsWith('RCPT')) return 'rcpt';
  // nodemailer names both the DATA command and the reply to the content `DATA`; only the latter is EMESSAGE.
  if (upper === 'DATA') return code === 'EMESSAGE' ? 'after_data' : 'data';
  if (upper.startsWith('AUTH')) return 'auth';
  if (upper === 'STARTTLS') return 'tls';
  if (upper === 'EHLO' || upper === 'HELO' || upper === 'LHLO') return 'ehlo';
  if (upper === 'CONN') {
    // The only reply nodemailer files under CONN is the greeting (or a server's parting 421 instead of it).
    if (hasReply || /greeting/i.test(text)) return 'greeting';
    if (code === 'ETLS') return 'tls';
    if (/connection timeout|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/.test(text))
      return 'connect';
    if (code === 'EDNS') return 'connect';
  }
  return undefined;
}

function replyCodeOf(response: string | undefined): number | undefined {
  const match = response?.match(/^\s*([2-5]\d\d)\b/);
  return match?.[1] !== undefined ? Number(match[1]) : undefined;
}

/** RFC 3463 `class.subject.detail` right after a reply code, or anywhere in a reply when that fails. */
function enhancedCodeOf(text: string | undefined): EnhancedCode | undefined {
  if (!text) return undefined;
  const match =
    text.match(/\b[2-5]\d\d[ -]([245])\.(\d{1,3})\.(\d{1,3})\b/) ??
    text.match(/\b([245])\.(\d{1,3})\.(\d{1,3})\b/);
  if (!match || match[1] === undefined || match[2] === undefined || match[3] === undefined) return undefined;
  const cls = Number(match[1]);
  const subject = Number(match[2]);
  const detail = Number(match[3]);
  return { cls, subject, detail, text: `${cls}.${subject}.${detail}` };
}

const NODE_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_FAIL',
  ...CERT_CODES,
];
const NODE_CODE_PATTERN = new RegExp(`\\b(${NODE_CODES.join('|')})\\b`);

/** nodemailer overwrites Node's `code`, but Node's own words (`connect ECONNREFUSED 127.0.0.1:25`) survive in the message. */
function firstNodeCode(message: string): string | undefined {
  return message.match(NODE_CODE_PATTERN)?.[1];
}
