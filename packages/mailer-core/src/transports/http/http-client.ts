import { isIP } from 'node:net';
import type { ProviderConfig } from '../../provider';
import type { Timeouts } from '../transport';
import { parseJson } from './json-fields';

/** Thrown for a provider whose settings cannot reach an HTTP API at all (bad configuration, not a delivery failure). */
export class HttpTransportConfigError extends Error {
  readonly code = 'CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'HttpTransportConfigError';
  }
}

/** True for `localhost`, 127.0.0.0/8 and ::1: the only hosts plain HTTP may be sent to. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/**
 * The API's base URL from SPEC §2: `https://host:port` unless Encryption is `none`, which means plain
 * `http://` and is refused toward anything but loopback (a test emulator or a local gateway), because
 * the API key would otherwise cross the network in clear. STARTTLS has no meaning for HTTP; it is taken
 * as HTTPS so a provider saved with it still never talks in clear.
 */
export function apiBaseUrl(provider: Pick<ProviderConfig, 'host' | 'port' | 'encryption'>): string {
  const host = provider.host.trim();
  if (host === '' || /[\s/?#@]/.test(host)) {
    throw new HttpTransportConfigError(`API host "${host}" must be a bare host name or IP address.`);
  }
  if (!Number.isInteger(provider.port) || provider.port < 1 || provider.port > 65535) {
    throw new HttpTransportConfigError(`API port ${provider.port} must be between 1 and 65535.`);
  }
  if (provider.encryption === 'none' && !isLoopbackHost(host)) {
    throw new HttpTransportConfigError(
      `Encryption "none" sends the API key in clear and is allowed only toward loopback hosts; use SSL/TLS for ${host}.`,
    );
  }
  const scheme = provider.encryption === 'none' ? 'http' : 'https';
  const hostPart = isIP(host) === 6 ? `[${host}]` : host;
  return `${scheme}://${hostPart}:${provider.port}`;
}

/** A request body already serialised, so its bytes can be streamed and their hand-over observed. */
export interface OutgoingBytes {
  bytes: Uint8Array;
  contentType: string;
}

/** One request to a vendor API. */
export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Path and query, appended to the base URL. */
  path: string;
  headers: Record<string, string>;
  body?: OutgoingBytes;
  signal?: AbortSignal;
}

/** A vendor's answer, whatever its status. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** A request that got no answer, described for `HttpNetworkEvidence`. */
export interface HttpNetworkFailure {
  errno?: string;
  timedOut: boolean;
  /** The whole request body had been handed to the socket: the vendor may have accepted the message. */
  requestSent: boolean;
  message: string;
}

/** Either the vendor's answer (any status) or why none came. */
export type HttpOutcome =
  { kind: 'answer'; answer: HttpAnswer } | { kind: 'network'; failure: HttpNetworkFailure };

/** Where the client sends and how long each request may take. */
export interface HttpClientOptions {
  baseUrl: string;
  timeouts: Timeouts;
  /** Defaults to the global fetch of Node 20. */
  fetch?: typeof fetch;
}

/** The fetch wrapper every vendor transport shares. */
export interface HttpClient {
  /**
   * Sends one request. Answers of any status and network failures are returned; only the caller's own
   * abort rejects (with the signal's reason).
   */
  request(request: HttpRequest): Promise<HttpOutcome>;
}

/** Why our own deadline fired: before the connection carried anything, or while waiting for the answer. */
class DeadlineExceeded extends Error {
  constructor(
    readonly phase: 'connect' | 'answer',
    readonly afterMs: number,
  ) {
    super(phase === 'connect' ? `no connection within ${afterMs} ms` : `no answer within ${afterMs} ms`);
  }
}

interface Progress {
  /** The first body chunk went out: the connection (and TLS) is up and the request line is on the wire. */
  connected: boolean;
  /** The last body chunk went out. */
  sent: boolean;
}

/**
 * Streams the body in two chunks so its consumption tells how far the request got: undici takes the first
 * chunk before the socket is connected, asks for the second only after writing the first, and asks for
 * the end only after writing everything. fetch itself never says whether a failed request was sent,
 * and that is the line between a safe fallback and a possible duplicate.
 */
function observedBody(bytes: Uint8Array, progress: Progress): ReadableStream<Uint8Array> {
  const chunks = bytes.length > 1 ? [bytes.subarray(0, 1), bytes.subarray(1)] : [bytes];
  let next = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (next > 0) progress.connected = true;
        const chunk = chunks[next];
        next += 1;
        if (chunk) {
          controller.enqueue(chunk);
        } else {
          progress.sent = true;
          controller.close();
        }
      },
    },
    // No read-ahead: each pull must mean the consumer has written the previous chunk.
    { highWaterMark: 0 },
  );
}

/**
 * Node's own code from a fetch failure (`TypeError: fetch failed` keeps it in `cause`, sometimes nested).
 * Read by shape rather than `instanceof Error`, since fetch's errors may come from another realm.
 */
function errorCode(error: unknown): { code?: string; message: string } {
  let current: unknown = error;
  let message = String(error);
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const code = 'code' in current && typeof current.code === 'string' ? current.code : undefined;
    const own = 'message' in current && typeof current.message === 'string' ? current.message : '';
    if (own && own !== 'fetch failed') message = own;
    if (code) return { code, message };
    current = 'cause' in current ? current.cause : undefined;
  }
  return { message };
}

// undici's names for what Node's sockets call ECONNRESET / ETIMEDOUT.
const UNDICI_CODES: Record<string, string> = {
  UND_ERR_SOCKET: 'ECONNRESET',
  UND_ERR_CLOSED: 'ECONNRESET',
  UND_ERR_CONNECT_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_HEADERS_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_BODY_TIMEOUT: 'ETIMEDOUT',
};

function describeFailure(error: unknown, deadline: unknown, progress: Progress): HttpNetworkFailure {
  if (deadline instanceof DeadlineExceeded) {
    return {
      errno: 'ETIMEDOUT',
      timedOut: true,
      requestSent: deadline.phase === 'answer' && progress.sent,
      message: deadline.message,
    };
  }
  const { code, message } = errorCode(error);
  const errno = code ? (UNDICI_CODES[code] ?? code) : undefined;
  return {
    ...(errno ? { errno } : {}),
    timedOut: errno === 'ETIMEDOUT',
    requestSent: progress.sent,
    message,
  };
}

/**
 * A small client over fetch for the vendor transports. Each request has its own budget: `connectMs` until
 * the connection carries the first byte of a body, `socketMs` for the whole exchange, both through
 * AbortSignals combined with the caller's.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const doFetch = options.fetch ?? fetch;
  const { connectMs, socketMs } = options.timeouts;

  return {
    async request(request: HttpRequest): Promise<HttpOutcome> {
      const caller = request.signal;
      caller?.throwIfAborted();
      const progress: Progress = { connected: false, sent: false };
      const deadline = new AbortController();
      const timers: NodeJS.Timeout[] = [
        setTimeout(() => deadline.abort(new DeadlineExceeded('answer', socketMs)), socketMs),
      ];
      if (request.body && connectMs < socketMs) {
        timers.push(
          setTimeout(() => {
            if (!progress.connected) deadline.abort(new DeadlineExceeded('connect', connectMs));
          }, connectMs),
        );
      }
      const signal = caller ? AbortSignal.any([caller, deadline.signal]) : deadline.signal;
      const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
      const init: RequestInit = { method: request.method, headers, signal, redirect: 'manual' };
      if (request.body) {
        headers['content-type'] = request.body.contentType;
        // A known length keeps the request out of chunked encoding, which some gateways refuse.
        headers['content-length'] = String(request.body.bytes.length);
        init.body = observedBody(request.body.bytes, progress);
        init.duplex = 'half';
      }
      try {
        const response = await doFetch(options.baseUrl + request.path, init);
        let text = '';
        try {
          text = await response.text();
        } catch {
          // The status already tells what the vendor decided; a body cut short only loses its details.
          if (caller?.aborted) throw caller.reason;
        }
        return {
          kind: 'answer',
          answer: { status: response.status, headers: response.headers, text, json: parseJson(text) },
        };
      } catch (error) {
        if (caller?.aborted) throw caller.reason;
        return { kind: 'network', failure: describeFailure(error, deadline.signal.reason, progress) };
      } finally {
        for (const timer of timers) clearTimeout(timer);
      }
    },
  };
}

/**
 * How long the vendor asked us to wait, in ms: `Retry-After` (seconds or an HTTP date) first, then the
 * rate-limit reset headers (SendGrid `X-RateLimit-Reset` in epoch seconds, Brevo `x-sib-ratelimit-reset`
 * and Resend `ratelimit-reset` in seconds from now). A reset value that looks like an epoch time is
 * read as one, so either style works whatever the vendor.
 */
export function retryAfterMs(headers: Headers, status: number, now: number = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  if (status !== 429 && status !== 420) return undefined;
  for (const name of ['x-ratelimit-reset', 'x-sib-ratelimit-reset', 'ratelimit-reset']) {
    const value = headers.get(name)?.trim();
    if (!value || !/^\d+(\.\d+)?$/.test(value)) continue;
    const seconds = Number(value);
    // Anything past 2001-09-09 in epoch seconds cannot be a sensible "seconds from now".
    return seconds > 1e9 ? Math.max(0, Math.round(seconds * 1000 - now)) : Math.round(seconds * 1000);
  }
  return undefined;
}
