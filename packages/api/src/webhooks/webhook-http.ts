import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  guardedLookup,
  literalRefusal,
  OUTBOUND_REFUSED,
  type OutboundPolicy,
} from '@mail-providers/mailer-core';

/** What a receiver made of one request: its status and the start of its answer, or why there was none. */
export interface PostOutcome {
  ok: boolean;
  /** HTTP status; null when no answer came. */
  status: number | null;
  /** The first 200 characters of the answer. */
  body: string | null;
  /** Why it failed, in words; null on success. */
  error: string | null;
  durationMs: number;
}

export interface PostOptions {
  policy: OutboundPolicy;
  timeoutMs: number;
}

/** Only this much of an answer is read; the rest is not waited for. */
const MAX_ANSWER_BYTES = 4096;
const EXCERPT_CHARS = 200;

/**
 * POSTs a JSON body to a receiver through the outbound policy: a literal address the policy refuses is
 * never contacted, a host name only through the guarded DNS lookup, and redirects are not followed (a 3xx
 * is a failure). Never throws: every way it can go wrong is an outcome with the reason in words.
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: PostOptions,
): Promise<PostOutcome> {
  const started = Date.now();
  const done = (outcome: Omit<PostOutcome, 'durationMs'>): PostOutcome => ({
    ...outcome,
    durationMs: Date.now() - started,
  });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return done({ ok: false, status: null, body: null, error: 'The URL is not valid.' });
  }
  // Node connects to an address literal without calling `lookup`, so the policy is asked here.
  const refusal = literalRefusal(options.policy, parsed.hostname);
  if (refusal) return done({ ok: false, status: null, body: null, error: refusal.message });
  const send = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<PostOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<PostOutcome, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(outcome));
    };
    const req = send(
      parsed,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'mail-providers-webhooks',
          ...headers,
        },
        lookup: guardedLookup(options.policy),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const answered = () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_CHARS);
          const ok = status >= 200 && status < 300;
          finish({
            ok,
            status,
            body: text,
            error: ok
              ? null
              : status >= 300 && status < 400
                ? `The receiver answered HTTP ${status} (a redirect, which is not followed); use the final URL.`
                : `The receiver answered HTTP ${status}.`,
          });
          res.destroy();
        };
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          chunks.push(chunk);
          if (size >= MAX_ANSWER_BYTES) answered();
        });
        res.on('end', answered);
        res.on('error', answered);
      },
    );
    const timer = setTimeout(() => {
      finish({
        ok: false,
        status: null,
        body: null,
        error: `No answer within ${options.timeoutMs} ms.`,
      });
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (error: Error & { code?: unknown }) => {
      const code = typeof error.code === 'string' ? error.code : undefined;
      finish({
        ok: false,
        status: null,
        body: null,
        error:
          code === OUTBOUND_REFUSED
            ? error.message
            : `The receiver could not be reached (${code ?? error.message}).`,
      });
    });
    req.end(body);
  });
}
