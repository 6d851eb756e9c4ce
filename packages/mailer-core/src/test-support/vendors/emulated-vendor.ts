import type { IncomingHttpHeaders } from 'node:http';
import type { ApiVendor } from '../../provider';
import { pick } from '../../transports/http/json-fields';

/** A file part of a multipart request (Mailgun's `attachment` / `inline`). */
export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

/** One request as the emulator received it, parsed so tests can check the mapping. */
export interface RecordedRequest {
  vendor: ApiVendor;
  endpoint: Endpoint;
  method: string;
  /** Path without the query. */
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  /** The body parsed as JSON, when it was JSON. */
  json?: unknown;
  /** Text fields of a form body, each name with all its values in order. */
  form?: Record<string, string[]>;
  files: RecordedFile[];
  receivedAt: Date;
}

/** What the emulator answers. `body` is sent as JSON, `text` as plain text. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  text?: string;
}

/** The send call, or the call verify() makes (ZeptoMail's dry run goes to `send`). */
export type Endpoint = 'send' | 'verify';

/** Failure modes a test can script; each vendor answers them in its documented shape. */
export type FailureReason =
  | 'auth'
  | 'sender_not_verified'
  | 'validation'
  | 'rate_limit'
  | 'quota'
  | 'unavailable'
  | 'inactive_recipient';

/** A failure a test asks for; the vendor answers it in its own shape. */
export interface ScriptedFailure {
  /** Derived from `status` when omitted (401/403 auth, 402/420 quota, 429 rate limit, 5xx unavailable, else validation). */
  reason?: FailureReason;
  /** Overrides the status the vendor would use for the reason. */
  status?: number;
  /** For rate limits: sent in the vendor's own header (Retry-After, X-RateLimit-Reset, x-sib-ratelimit-reset …). */
  retryAfterSeconds?: number;
  /** Replaces the vendor's error words. */
  message?: string;
}

/**
 * What an API key may do: everything, only send (SendGrid's restricted keys, Resend's "sending access",
 * SparkPost keys without "Account: Read"), or anything but send (a SendGrid key without `mail.send`).
 */
export type KeyAccess = 'full' | 'send_only' | 'no_send';

/** Facts a vendor's answers depend on. */
export interface EmulatorState {
  verifiedDomains: ReadonlySet<string>;
  /** The access of the key presented to this vendor. */
  access: KeyAccess;
}

/**
 * One vendor's API as its documentation describes it: routes, credentials, validation, and the shapes of
 * its success and error bodies.
 */
export interface EmulatedVendor {
  readonly vendor: ApiVendor;
  route(method: string, path: string): Endpoint | undefined;
  /** The API key the request presents, whatever the vendor's header scheme. */
  credential(headers: IncomingHttpHeaders): string | undefined;
  /** The answer to a missing (undefined) or wrong key. */
  unauthorized(presented: string | undefined): Reply;
  /** The sending domain a send request uses (From's, or Mailgun's path). */
  senderDomain(request: RecordedRequest): string | undefined;
  /** A validation error for a send request, or undefined when it is complete. */
  validate(request: RecordedRequest): Reply | undefined;
  senderNotVerified(domain: string): Reply;
  accepted(request: RecordedRequest, id: string): Reply;
  verified(request: RecordedRequest, state: EmulatorState): Reply;
  failure(reason: FailureReason, script: ScriptedFailure): Reply;
}

/** The script's reason, or the one its status implies. */
export function reasonOf(script: ScriptedFailure): FailureReason {
  if (script.reason) return script.reason;
  const status = script.status ?? 400;
  if (status === 401 || status === 403) return 'auth';
  if (status === 402 || status === 420) return 'quota';
  if (status === 429) return 'rate_limit';
  if (status >= 500) return 'unavailable';
  return 'validation';
}

/** `Retry-After` in seconds, the header most vendors use on 429. */
export function retryAfterHeader(script: ScriptedFailure): Record<string, string> {
  return script.retryAfterSeconds !== undefined ? { 'retry-after': String(script.retryAfterSeconds) } : {};
}

/** A vendor's documented answer to one failure reason; a script may replace its status and words. */
export interface DocumentedFailure<Detail> {
  status: number;
  message: string;
  /** The vendor's own fields for this failure (error code, field name …), handed to its error shape. */
  detail: Detail;
  /** The answer carries the vendor's wait headers (rate limits, and the quotas some vendors answer with 429). */
  wait?: boolean;
}

/**
 * What sets one vendor's API apart; `defineVendor` builds the rest (routing, script overrides, the
 * answers to a wrong key and an unverified sender) the same way for all.
 */
export interface VendorDefinition<Detail> {
  readonly vendor: ApiVendor;
  /** The send call (POST) and the verify call (GET); without `verify`, the dry run goes to `send`. */
  paths: { send: string | RegExp; verify?: string | RegExp };
  credential: EmulatedVendor['credential'];
  /** The answer when no key is presented at all, where it differs from a wrong key's (the `auth` failure). */
  missingKey?: () => Reply;
  senderDomain: EmulatedVendor['senderDomain'];
  validate: EmulatedVendor['validate'];
  /** The answer naming the unverified domain; by default the `sender_not_verified` failure. */
  senderNotVerified?: EmulatedVendor['senderNotVerified'];
  accepted: EmulatedVendor['accepted'];
  verified: EmulatedVendor['verified'];
  /** The vendor's error shape. */
  error(status: number, message: string, detail: Detail, headers: Record<string, string>): Reply;
  /** The headers that tell a client how long to wait; `Retry-After` by default. */
  waitHeaders?: (script: ScriptedFailure) => Record<string, string>;
  failures: Record<FailureReason, DocumentedFailure<Detail>>;
}

function pathMatches(pattern: string | RegExp | undefined, path: string): boolean {
  return typeof pattern === 'string' ? pattern === path : (pattern?.test(path) ?? false);
}

/** An emulated vendor from what sets it apart. */
export function defineVendor<Detail>(definition: VendorDefinition<Detail>): EmulatedVendor {
  const { paths, error, failures, missingKey } = definition;
  const waitHeaders = definition.waitHeaders ?? retryAfterHeader;
  const failure = (reason: FailureReason, script: ScriptedFailure): Reply => {
    const documented = failures[reason];
    return error(
      script.status ?? documented.status,
      script.message ?? documented.message,
      documented.detail,
      documented.wait ? waitHeaders(script) : {},
    );
  };
  return {
    vendor: definition.vendor,
    route(method, path) {
      if (method === 'POST' && pathMatches(paths.send, path)) return 'send';
      if (method === 'GET' && pathMatches(paths.verify, path)) return 'verify';
      return undefined;
    },
    credential: definition.credential,
    unauthorized: (presented) => (presented === undefined && missingKey ? missingKey() : failure('auth', {})),
    senderDomain: definition.senderDomain,
    validate: definition.validate,
    senderNotVerified: definition.senderNotVerified ?? (() => failure('sender_not_verified', {})),
    accepted: definition.accepted,
    verified: definition.verified,
    failure,
  };
}

/** A request header's first value. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The token after a scheme (`Bearer x`, `Zoho-enczapikey x`), case-insensitive on the scheme. */
export function schemeToken(headers: IncomingHttpHeaders, scheme: string): string | undefined {
  const value = header(headers, 'authorization');
  if (!value) return undefined;
  const prefix = `${scheme.toLowerCase()} `;
  return value.toLowerCase().startsWith(prefix) ? value.slice(prefix.length).trim() : undefined;
}

/** The lower-cased domain of `addr` or `Name <addr>`. */
export function domainOfAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const angle = address.match(/<([^>]+)>\s*$/);
  const bare = angle?.[1] ?? address;
  const at = bare.lastIndexOf('@');
  return at < 0
    ? undefined
    : bare
        .slice(at + 1)
        .trim()
        .toLowerCase();
}

/** Present and not blank: what the vendors' "required field" checks mean. */
function nonEmpty(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== null;
}

/**
 * True when none of the dotted paths (`from.email`, `personalizations.0.to`) holds a value that is
 * present and not blank: a required field, or a pair of which one is required (text or HTML), is missing.
 */
export function lacks(json: unknown, ...paths: string[]): boolean {
  return !paths.some((path) =>
    nonEmpty(pick(json, ...path.split('.').map((step) => (/^\d+$/.test(step) ? Number(step) : step)))),
  );
}
