import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingHttpHeaders,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, OUTBOUND_REFUSED } from '../../outbound/guarded-lookup';
import { bareAddress } from '../../outbound/ip-address';
import {
  literalRefusal,
  PRIVATE_NETWORKS_ALLOWED,
  type OutboundPolicy,
} from '../../outbound/outbound-policy';
import type { ProviderConfig } from '../../provider';
import { isLoopbackHost } from '../../rules/host';
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

/**
 * The API's base URL: `https://host:port` unless Encryption is `none`, which means plain
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

/** A request body already serialised, so its bytes can be written and their hand-over observed. */
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
  /** The whole request had been handed to the socket: the vendor may have accepted the message. */
  requestSent: boolean;
  message: string;
}

/** Either the vendor's answer (any status) or why none came. */
export type HttpOutcome =
  { kind: 'answer'; answer: HttpAnswer } | { kind: 'network'; failure: HttpNetworkFailure };

/** Where the client sends, how long each request may take, and which addresses it may reach. */
export interface HttpClientOptions {
  baseUrl: string;
  timeouts: Timeouts;
  /** Default: every private network allowed; link-local and metadata addresses never. */
  policy?: OutboundPolicy;
}

/** The HTTP client every vendor transport shares. */
export interface HttpClient {
  /**
   * Sends one request. Answers of any status and network failures are returned; only the caller's own
   * abort rejects (with the signal's reason).
   */
  request(request: HttpRequest): Promise<HttpOutcome>;
  /** Closes the connections kept alive between requests. */
  close(): void;
}

/** Why our own deadline fired: before the connection was up, or while waiting for the answer. */
class DeadlineExceeded extends Error {
  constructor(
    readonly phase: 'connect' | 'answer',
    readonly afterMs: number,
  ) {
    super(phase === 'connect' ? `no connection within ${afterMs} ms` : `no answer within ${afterMs} ms`);
  }
}

/** Idle kept-alive connections close after this, before most servers drop them on their side. */
const IDLE_CONNECTION_MS = 4_000;
/** Vendors answer in a few kilobytes; more than this is no vendor's answer and is not read further. */
const MAX_ANSWER_BYTES = 1_048_576;

function headersOf(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      try {
        headers.append(name, item);
      } catch {
        // A header value the Headers class refuses is no header a vendor's answer is read by.
      }
    }
  }
  return headers;
}

function describeFailure(
  error: unknown,
  deadline: DeadlineExceeded | undefined,
  sent: boolean,
): HttpNetworkFailure {
  if (deadline !== undefined) {
    return {
      errno: 'ETIMEDOUT',
      timedOut: true,
      requestSent: deadline.phase === 'answer' && sent,
      message: deadline.message,
    };
  }
  const code = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
  const errno = typeof code === 'string' ? code : undefined;
  // node's HTTP parser refused what came back: whatever answered does not speak HTTP.
  const message =
    errno?.startsWith('HPE_') === true
      ? `The server did not answer as an HTTP server (${errno}).`
      : error instanceof Error
        ? error.message || error.name
        : String(error);
  return { ...(errno ? { errno } : {}), timedOut: errno === 'ETIMEDOUT', requestSent: sent, message };
}

/**
 * A small client over node's HTTP(S) for the vendor transports, with connections kept alive between
 * requests. Each request has its own budget: `connectMs` until the connection (TLS included) is up,
 * `socketMs` for the whole exchange. Every connection goes to an address the outbound policy allows: a
 * literal host is judged before anything is opened, a host name by the DNS lookup of the connection itself,
 * so no packet reaches a refused address.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const url = new URL(options.baseUrl);
  const secure = url.protocol === 'https:';
  const hostname = bareAddress(url.hostname);
  const port = Number(url.port) || (secure ? 443 : 80);
  const policy = options.policy ?? PRIVATE_NETWORKS_ALLOWED;
  const { connectMs, socketMs } = options.timeouts;
  const agentOptions = { keepAlive: true, timeout: IDLE_CONNECTION_MS, lookup: guardedLookup(policy) };
  const agent = secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);

  function request(spec: HttpRequest): Promise<HttpOutcome> {
    const caller = spec.signal;
    caller?.throwIfAborted();
    const refusal = literalRefusal(policy, hostname);
    if (refusal !== undefined) {
      return Promise.resolve({
        kind: 'network',
        failure: { errno: OUTBOUND_REFUSED, timedOut: false, requestSent: false, message: refusal.message },
      });
    }

    return new Promise<HttpOutcome>((resolve, reject) => {
      const headers: Record<string, string> = { accept: 'application/json', ...spec.headers };
      if (spec.body) {
        headers['content-type'] = spec.body.contentType;
        headers['content-length'] = String(spec.body.bytes.length);
      }
      const outgoing: ClientRequest = (secure ? httpsRequest : httpRequest)({
        agent,
        hostname,
        port,
        method: spec.method,
        path: spec.path,
        headers,
      });
      let connected = false;
      let sent = false;
      let deadline: DeadlineExceeded | undefined;
      let settled = false;

      const settle = (outcome: HttpOutcome | { aborted: unknown }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(answerTimer);
        clearTimeout(connectTimer);
        caller?.removeEventListener('abort', onAbort);
        if ('aborted' in outcome) reject(outcome.aborted);
        else resolve(outcome);
      };
      const stop = (reason: DeadlineExceeded): void => {
        deadline ??= reason;
        outgoing.destroy(reason);
      };
      const onAbort = (): void => {
        outgoing.destroy();
        settle({ aborted: caller?.reason });
      };
      const answerTimer = setTimeout(() => stop(new DeadlineExceeded('answer', socketMs)), socketMs);
      const connectTimer = setTimeout(
        () => {
          if (!connected) stop(new DeadlineExceeded('connect', connectMs));
        },
        Math.min(connectMs, socketMs),
      );
      caller?.addEventListener('abort', onAbort, { once: true });

      outgoing.on('socket', (socket) => {
        // A kept-alive connection is up already; a new one is up once connected, and for HTTPS handshaken.
        if (outgoing.reusedSocket) connected = true;
        else socket.once(secure ? 'secureConnect' : 'connect', () => (connected = true));
      });
      // Emitted once the last byte of the request went to the operating system.
      outgoing.on('finish', () => (sent = true));
      let responded = false;
      outgoing.on('error', (error) => {
        // Once the status is in, the answer's own events settle it.
        if (!responded) settle({ kind: 'network', failure: describeFailure(error, deadline, sent) });
      });
      outgoing.on('response', (response) => {
        responded = true;
        const chunks: Buffer[] = [];
        let size = 0;
        const answer = (text: string): void =>
          settle({
            kind: 'answer',
            answer: {
              status: response.statusCode ?? 0,
              headers: headersOf(response.headers),
              text,
              json: parseJson(text),
            },
          });
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) {
            response.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => answer(Buffer.concat(chunks).toString('utf8')));
        // The status already tells what the vendor decided; a body cut short only loses its details.
        response.on('error', () => answer(''));
        response.on('close', () => answer(response.complete ? Buffer.concat(chunks).toString('utf8') : ''));
      });
      outgoing.end(spec.body ? Buffer.from(spec.body.bytes) : undefined);
    });
  }

  return {
    request,
    close() {
      agent.destroy();
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
