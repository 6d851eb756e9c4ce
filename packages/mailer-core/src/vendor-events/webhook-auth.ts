import { createHash, timingSafeEqual } from 'node:crypto';
import { isRecord } from '../transports/http/json-fields';
import { VendorPayloadError, type WebhookRequest, type WebhookVerdict } from './vendor-event';

/** How far a signed timestamp may be from now, either way. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60 * 1000;

/** Compares two strings in constant time (through their digests, so lengths leak nothing either). */
export function sameText(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Whether a signed time (in seconds, or milliseconds when it is that large) is within the tolerance of now. */
export function isFresh(signedAt: string, now: Date): boolean {
  if (!/^\d{1,16}(?:\.\d+)?$/.test(signedAt)) return false;
  const value = Number(signedAt);
  const ms = value > 1e12 ? value : value * 1000;
  return Math.abs(now.getTime() - ms) <= SIGNATURE_TOLERANCE_MS;
}

export function header(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * For vendors that sign nothing and authenticate with credentials set on the webhook: HTTP Basic
 * credentials written in the URL (`https://user:secret@host/…`, any user name, the password is the
 * secret) or a bearer token equal to the secret. A replay cannot be recognised without a signed id.
 */
export function verifyCredentials(request: WebhookRequest, secret: string): WebhookVerdict {
  const authorization = header(request, 'authorization');
  if (!authorization) return { ok: false, refusal: 'missing_signature' };
  const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
  let given: string | undefined;
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    given = colon >= 0 ? decoded.slice(colon + 1) : undefined;
  } else if (scheme?.toLowerCase() === 'bearer') {
    given = value;
  }
  if (given === undefined) return { ok: false, refusal: 'missing_signature' };
  return sameText(given, secret) ? { ok: true, replayKey: null } : { ok: false, refusal: 'bad_signature' };
}

export function jsonBody(request: WebhookRequest): unknown {
  try {
    return JSON.parse(request.body.toString('utf8')) as unknown;
  } catch {
    throw new VendorPayloadError('The body is not JSON.');
  }
}

/** A stable id for an event the vendor gives no id of its own: the digest of its fields. */
export function fingerprint(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 40);
}

/** The string-valued entries of an object (metadata as vendors echo it). */
export function stringEntries(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) if (typeof entry === 'string') out[key] = entry;
  return out;
}

/** Metadata carried as one `key=value&…` string (see metadataText in the transports). */
export function metadataFromText(text: string | undefined): Record<string, string> {
  if (!text) return {};
  return Object.fromEntries(new URLSearchParams(text));
}

/** A date from seconds since the epoch (number or numeric string) or an ISO string. */
export function dateOf(value: unknown): Date | null {
  if (typeof value === 'number' && Number.isFinite(value))
    return new Date(value > 1e12 ? value : value * 1000);
  if (typeof value === 'string' && value !== '') {
    const date = /^\d+(?:\.\d+)?$/.test(value) ? dateOf(Number(value)) : new Date(value);
    return date && !Number.isNaN(date.getTime()) ? date : null;
  }
  return null;
}
