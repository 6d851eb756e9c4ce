import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** How the emulator starts. Everything has a default, so `startOAuthServerEmulator()` is enough. */
export interface OAuthServerEmulatorOptions {
  /** Default: a fresh `client-…`. */
  clientId?: string;
  /** Default: a fresh random secret. */
  clientSecret?: string;
  /** The account that signs in at the authorize endpoint (the ID token's `email`). Default `mailer@contoso.test`. */
  email?: string;
  /** Lifetime of new access tokens. Default 3600 s. */
  accessTokenTtlSeconds?: number;
}

/** An authorization request as the authorize endpoint received it. */
export interface AuthorizationRequest {
  /** The request path: tells which tenant (`/contoso/oauth2/v2.0/authorize`) was asked. */
  path: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  codeChallenge: string;
  codeChallengeMethod: string;
  /** Extra parameters such as `prompt`, `login_hint` or `access_type`. */
  extra: Record<string, string>;
}

/** The token endpoint's success answer. */
export interface OAuthTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
  /** An unsigned JWT (`alg: none`) with `email` and `preferred_username` claims: read it, never trust it. */
  id_token: string;
}

/**
 * A local OAuth2 authorization server with the shape of Entra ID and Google: an authorize endpoint that
 * redirects back with a code (PKCE S256 required), and a token endpoint for the `authorization_code`
 * (code verifier checked) and `refresh_token` grants. Refresh tokens rotate on every refresh (the old one is
 * then refused), access tokens are short-lived on demand, and a grant can be revoked so that its refresh
 * token gets `invalid_grant`.
 *
 * Any GET path ending in `/authorize` or `/auth` is the authorize endpoint, and any POST path ending in
 * `/token` the token endpoint, so endpoints built from a base URL the way Microsoft's
 * (`/{tenant}/oauth2/v2.0/authorize`) and Google's (`/o/oauth2/v2/auth`) are both answered.
 */
export interface OAuthServerEmulator {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** `<url>/authorize`. */
  readonly authorizeUrl: string;
  /** `<url>/token`. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Every authorization request received, oldest first. */
  readonly authorizations: AuthorizationRequest[];
  /** Tokens for `email` (default: the signed-in account) without the browser round trip, as after a code exchange. */
  issueTokens(email?: string): OAuthTokenResponse;
  /** The account the next authorizations sign in as. */
  setUser(email: string): void;
  /** Refresh-token grant requests received so far, refused ones included. */
  refreshCount(): number;
  /** Revokes the grant of this refresh token (any of its rotations), or every grant: refreshes get `invalid_grant`. */
  revoke(refreshToken: string | 'all'): void;
  /** Lifetime of access tokens issued from now on. */
  setAccessTokenTtl(seconds: number): void;
  /** Ends the life of every access token issued so far (as if their time ran out). */
  expireAccessTokens(): void;
  /** True for an access token that is issued, unexpired and of a live grant (and of `user` when given). */
  isCurrentAccessToken(token: string, user?: string): boolean;
  /** The next authorization is declined: the browser goes back with `error` (default `access_denied`) and no code. */
  denyNextAuthorization(error?: string): void;
  /** The next `times` token requests are answered with this HTTP status and `temporarily_unavailable`. */
  failTokenRequests(status: number, times?: number): void;
  close(): Promise<void>;
}

interface Grant {
  email: string;
  scope: string;
  revoked: boolean;
  /** The one refresh token that works now; earlier rotations are refused. */
  refreshToken: string;
}

interface PendingCode {
  grant: Omit<Grant, 'refreshToken' | 'revoked'>;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  expiresAt: number;
}

const CODE_LIFETIME_MS = 10 * 60 * 1000;

/**
 * Starts the OAuth2 authorization-server emulator on 127.0.0.1 and an ephemeral port.
 *
 * @example
 * const oauth = await startOAuthServerEmulator({ email: 'mailer@contoso.test' });
 * // point the application's token and authorize URLs at oauth.tokenUrl and oauth.authorizeUrl
 * oauth.revoke('all'); // the next refresh gets {"error":"invalid_grant"}
 * await oauth.close();
 */
export async function startOAuthServerEmulator(
  options: OAuthServerEmulatorOptions = {},
): Promise<OAuthServerEmulator> {
  const clientId = options.clientId ?? `client-${randomToken(8)}`;
  const clientSecret = options.clientSecret ?? randomToken(24);
  let email = options.email ?? 'mailer@contoso.test';
  let ttlSeconds = options.accessTokenTtlSeconds ?? 3600;
  const authorizations: AuthorizationRequest[] = [];
  const codes = new Map<string, PendingCode>();
  const grants: Grant[] = [];
  /** Every refresh token ever issued, rotated ones included, with its grant. */
  const refreshTokens = new Map<string, Grant>();
  const accessTokens = new Map<string, { grant: Grant; expiresAt: number }>();
  let refreshes = 0;
  let failures: { status: number; times: number } | undefined;
  let denial: string | undefined;
  let url = '';

  const issue = (grant: Grant): OAuthTokenResponse => {
    const accessToken = `at-${randomToken(24)}`;
    accessTokens.set(accessToken, { grant, expiresAt: Date.now() + ttlSeconds * 1000 });
    const refreshToken = `rt-${randomToken(24)}`;
    grant.refreshToken = refreshToken;
    refreshTokens.set(refreshToken, grant);
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ttlSeconds,
      refresh_token: refreshToken,
      scope: grant.scope,
      id_token: unsignedIdToken({ iss: url, aud: clientId, email: grant.email }),
    };
  };

  const newGrant = (account: string, scope: string): Grant => {
    const grant: Grant = { email: account, scope, revoked: false, refreshToken: '' };
    grants.push(grant);
    return grant;
  };

  const authorize = (response: ServerResponse, target: URL): void => {
    const params = Object.fromEntries(target.searchParams);
    const { client_id = '', redirect_uri = '', scope = '', state = '' } = params;
    const challenge = params.code_challenge ?? '';
    const method = params.code_challenge_method ?? '';
    let redirect: URL;
    try {
      redirect = new URL(redirect_uri);
    } catch {
      return sendJson(response, 400, { error: 'invalid_request', error_description: 'redirect_uri' });
    }
    if (client_id !== clientId) {
      return sendJson(response, 400, { error: 'unauthorized_client', error_description: 'client_id' });
    }
    const known = new Set([
      'client_id',
      'redirect_uri',
      'scope',
      'state',
      'response_type',
      'code_challenge',
      'code_challenge_method',
    ]);
    authorizations.push({
      path: target.pathname,
      clientId: client_id,
      redirectUri: redirect_uri,
      scope,
      state,
      codeChallenge: challenge,
      codeChallengeMethod: method,
      extra: Object.fromEntries(Object.entries(params).filter(([key]) => !known.has(key))),
    });
    const problem =
      params.response_type !== 'code'
        ? 'response_type must be code'
        : challenge === '' || method !== 'S256'
          ? 'PKCE with code_challenge_method S256 is required'
          : undefined;
    if (problem) {
      redirect.searchParams.set('error', 'invalid_request');
      redirect.searchParams.set('error_description', problem);
    } else if (denial !== undefined) {
      redirect.searchParams.set('error', denial);
      denial = undefined;
    } else {
      const code = `code-${randomToken(16)}`;
      codes.set(code, {
        grant: { email, scope },
        clientId: client_id,
        redirectUri: redirect_uri,
        codeChallenge: challenge,
        expiresAt: Date.now() + CODE_LIFETIME_MS,
      });
      redirect.searchParams.set('code', code);
    }
    if (state !== '') redirect.searchParams.set('state', state);
    response.writeHead(302, { location: redirect.toString(), 'cache-control': 'no-store' });
    response.end();
  };

  const token = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const form = new URLSearchParams(await readText(request));
    if (failures && failures.times > 0) {
      failures.times -= 1;
      if (form.get('grant_type') === 'refresh_token') refreshes += 1;
      return sendJson(response, failures.status, { error: 'temporarily_unavailable' });
    }
    const client = clientOf(request, form);
    if (client.id !== clientId || !sameSecret(client.secret, clientSecret)) {
      return sendJson(response, 401, { error: 'invalid_client' });
    }
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = form.get('code') ?? '';
      const pending = codes.get(code);
      codes.delete(code);
      const verifier = form.get('code_verifier') ?? '';
      if (
        !pending ||
        pending.expiresAt < Date.now() ||
        pending.clientId !== client.id ||
        pending.redirectUri !== form.get('redirect_uri') ||
        s256(verifier) !== pending.codeChallenge
      ) {
        return sendJson(response, 400, { error: 'invalid_grant' });
      }
      return sendJson(response, 200, issue(newGrant(pending.grant.email, pending.grant.scope)));
    }
    if (grantType === 'refresh_token') {
      refreshes += 1;
      const presented = form.get('refresh_token') ?? '';
      const grant = refreshTokens.get(presented);
      if (!grant || grant.revoked || grant.refreshToken !== presented) {
        return sendJson(response, 400, { error: 'invalid_grant' });
      }
      return sendJson(response, 200, issue(grant));
    }
    return sendJson(response, 400, { error: 'unsupported_grant_type' });
  };

  const server = createServer((request, response) => {
    const target = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = target.pathname;
    if (request.method === 'GET' && /\/(?:authorize|auth)$/.test(path)) {
      authorize(response, target);
      return;
    }
    if (request.method === 'POST' && path.endsWith('/token')) {
      token(request, response).catch(() => sendJson(response, 500, { error: 'server_error' }));
      return;
    }
    sendJson(response, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('oauth emulator: no TCP address');
  url = `http://127.0.0.1:${address.port}`;

  return {
    url,
    authorizeUrl: `${url}/authorize`,
    tokenUrl: `${url}/token`,
    clientId,
    clientSecret,
    authorizations,
    issueTokens: (account = email) => issue(newGrant(account, 'https://mail.test/SMTP.Send offline_access')),
    setUser(next) {
      email = next;
    },
    refreshCount: () => refreshes,
    revoke(refreshToken) {
      for (const grant of grants) {
        if (refreshToken === 'all' || refreshTokens.get(refreshToken) === grant) grant.revoked = true;
      }
    },
    setAccessTokenTtl(seconds) {
      ttlSeconds = seconds;
    },
    expireAccessTokens() {
      const now = Date.now();
      for (const entry of accessTokens.values()) entry.expiresAt = Math.min(entry.expiresAt, now - 1);
    },
    isCurrentAccessToken(accessToken, user) {
      const entry = accessTokens.get(accessToken);
      return (
        entry !== undefined &&
        entry.expiresAt > Date.now() &&
        !entry.grant.revoked &&
        (user === undefined || entry.grant.email === user)
      );
    },
    denyNextAuthorization(error = 'access_denied') {
      denial = error;
    },
    failTokenRequests(status, times = 1) {
      failures = { status, times };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The client's id and secret from HTTP Basic (client_secret_basic) or the form (client_secret_post). */
function clientOf(request: IncomingMessage, form: URLSearchParams): { id: string; secret: string } {
  const basic = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (basic !== undefined) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) {
      return {
        id: decodeURIComponent(decoded.slice(0, colon)),
        secret: decodeURIComponent(decoded.slice(colon + 1)),
      };
    }
  }
  return { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function unsignedIdToken(claims: { iss: string; aud: string; email: string }): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'none', typ: 'JWT' };
  const payload = {
    ...claims,
    sub: createHash('sha256').update(claims.email).digest('hex').slice(0, 24),
    preferred_username: claims.email,
    iat: now,
    exp: now + 3600,
  };
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part(payload)}.`;
}

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
