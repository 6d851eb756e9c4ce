import type { IncomingHttpHeaders } from 'node:http';
import type { ApiVendor } from '../../provider';

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

/** The status for a reason: the script's when given, else the vendor's. */
export function statusFor(script: ScriptedFailure, vendorStatus: number): number {
  return script.status ?? vendorStatus;
}

/** `Retry-After` in seconds, the header most vendors use on 429. */
export function retryAfterHeader(script: ScriptedFailure): Record<string, string> {
  return script.retryAfterSeconds !== undefined ? { 'retry-after': String(script.retryAfterSeconds) } : {};
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
export function nonEmpty(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== null;
}
