import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup, literalRefusal, type OutboundPolicy } from '@mail-providers/mailer-core';
import { isIpLiteral } from '@mail-providers/mailer-core/rules';
import { hostOf, oauthUrlProblem } from './oauth-endpoints';

/** A token endpoint's answer to a grant that worked. */
export interface TokenGrant {
  accessToken: string;
  /** Seconds; absent when the server does not say (then an hour is assumed). */
  expiresIn: number | undefined;
  /** A new refresh token when the server rotates it (or on the first exchange). */
  refreshToken: string | undefined;
  idToken: string | undefined;
}

/**
 * A grant the token endpoint refused, or a request that got no usable answer. `code` is the OAuth2 error
 * (`invalid_grant`, `invalid_client`, …), or `network`, `timeout`, `refused` (outbound policy) or
 * `http_<status>` when the server gave none. The message never holds what was sent.
 */
export class TokenRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TokenRequestError';
  }
}

const TOKEN_TIMEOUT_MS = 15_000;
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs a form to a token endpoint (RFC 6749 §3.2) through the outbound policy: a literal address the
 * policy refuses is never contacted, a host name only through the guarded DNS lookup. `secrets` are the
 * values sent that must not come back in an error message (the server might echo them).
 */
export async function requestToken(
  tokenUrl: string,
  form: Record<string, string>,
  policy: OutboundPolicy,
  secrets: readonly string[],
): Promise<TokenGrant> {
  const problem = oauthUrlProblem(tokenUrl);
  if (problem) throw new TokenRequestError('invalid_url', `The token URL cannot be used: ${problem}`);
  const host = hostOf(tokenUrl);
  if (isIpLiteral(host)) {
    const refusal = literalRefusal(policy, host);
    if (refusal) throw new TokenRequestError('refused', refusal.message);
  }
  const { status, body } = await post(tokenUrl, new URLSearchParams(form).toString(), policy);
  const scrub = (text: string) =>
    secrets.reduce((out, value) => (value ? out.split(value).join('[redacted]') : out), text);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const answer = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  if (
    status >= 200 &&
    status < 300 &&
    typeof answer.access_token === 'string' &&
    answer.access_token !== ''
  ) {
    return {
      accessToken: answer.access_token,
      expiresIn:
        typeof answer.expires_in === 'number' ? answer.expires_in : Number(answer.expires_in) || undefined,
      refreshToken:
        typeof answer.refresh_token === 'string' && answer.refresh_token !== ''
          ? answer.refresh_token
          : undefined,
      idToken: typeof answer.id_token === 'string' ? answer.id_token : undefined,
    };
  }
  const code =
    typeof answer.error === 'string' && /^[\w.-]{1,64}$/.test(answer.error) ? answer.error : `http_${status}`;
  const description =
    typeof answer.error_description === 'string' ? scrub(answer.error_description).slice(0, 300) : '';
  throw new TokenRequestError(
    code,
    `The token endpoint refused the request (HTTP ${status}, ${code})${description ? `: ${description}` : '.'}`,
  );
}

function post(url: string, body: string, policy: OutboundPolicy): Promise<{ status: number; body: string }> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        lookup: guardedLookup(policy),
        timeout: TOKEN_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) {
            req.destroy(new TokenRequestError('network', 'The token endpoint answered with too much data.'));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (error) => reject(networkError(error)));
      },
    );
    req.on('timeout', () =>
      req.destroy(new TokenRequestError('timeout', 'The token endpoint did not answer in time.')),
    );
    req.on('error', (error) => reject(networkError(error)));
    req.end(body);
  });
}

function networkError(error: Error): TokenRequestError {
  if (error instanceof TokenRequestError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'EOUTBOUND') return new TokenRequestError('refused', error.message);
  return new TokenRequestError(
    'network',
    `The token endpoint could not be reached (${typeof code === 'string' ? code : error.message}).`,
  );
}

/**
 * The account an ID token names: its `email`, else `preferred_username`. The token came straight from the
 * token endpoint over TLS, so its claims are read without checking its signature (OpenID Connect Core
 * §3.1.3.7 allows that for a token received this way).
 */
export function accountOfIdToken(idToken: string | undefined): string | undefined {
  const payload = idToken?.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims !== 'object' || claims === null) return undefined;
    const record = claims as Record<string, unknown>;
    for (const claim of ['email', 'preferred_username']) {
      const value = record[claim];
      if (typeof value === 'string' && value.trim() !== '' && value.length <= 320) return value.trim();
    }
  } catch {
    return undefined;
  }
  return undefined;
}
