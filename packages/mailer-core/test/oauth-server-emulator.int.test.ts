import { createHash, randomBytes } from 'node:crypto';
import {
  startOAuthServerEmulator,
  type OAuthServerEmulator,
  type OAuthTokenResponse,
} from '../src/test-support';

// The OAuth2 authorization-server emulator over real HTTP, as an application's sign-in flow uses it.

const REDIRECT_URI = 'http://127.0.0.1:9/oauth/callback';
let oauth: OAuthServerEmulator;

beforeEach(async () => {
  oauth = await startOAuthServerEmulator({ email: 'mailer@contoso.test' });
});

afterEach(async () => {
  await oauth.close();
});

interface Pkce {
  verifier: string;
  challenge: string;
}

function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** GETs the authorize endpoint and returns where it redirects the browser. */
async function authorize(params: Record<string, string>, url = oauth.authorizeUrl): Promise<URL> {
  const response = await fetch(`${url}?${new URLSearchParams(params)}`, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '');
}

function authorizeParams(challenge: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    response_type: 'code',
    client_id: oauth.clientId,
    redirect_uri: REDIRECT_URI,
    scope: 'https://outlook.office.com/SMTP.Send offline_access',
    state: 'state-123',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
}

async function token(
  form: Record<string, string>,
  headers: Record<string, string> = {},
  url = oauth.tokenUrl,
): Promise<{ status: number; body: Partial<OAuthTokenResponse> & { error?: string } }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as Partial<OAuthTokenResponse> };
}

function withClient(form: Record<string, string>): Record<string, string> {
  return { client_id: oauth.clientId, client_secret: oauth.clientSecret, ...form };
}

async function signIn(): Promise<OAuthTokenResponse> {
  const { verifier, challenge } = pkce();
  const code = (await authorize(authorizeParams(challenge))).searchParams.get('code') ?? '';
  const { status, body } = await token(
    withClient({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    }),
  );
  expect(status).toBe(200);
  return body as OAuthTokenResponse;
}

function claimsOf(idToken: string): Record<string, unknown> {
  const [header, payload, signature] = idToken.split('.');
  expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toEqual({ alg: 'none', typ: 'JWT' });
  expect(signature).toBe('');
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
}

describe('the authorize endpoint', () => {
  it('redirects to the redirect URI with a code and the state, and records the PKCE challenge', async () => {
    const { challenge } = pkce();
    const location = await authorize(authorizeParams(challenge, { prompt: 'select_account' }));

    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('code')).toMatch(/^code-/);
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(oauth.authorizations).toEqual([
      expect.objectContaining({
        path: '/authorize',
        clientId: oauth.clientId,
        redirectUri: REDIRECT_URI,
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
        extra: { prompt: 'select_account' },
      }),
    ]);
  });

  it.each<[string, Record<string, string>]>([
    ['no PKCE challenge', { code_challenge: '' }],
    ['a plain PKCE challenge', { code_challenge_method: 'plain' }],
    ['another response type', { response_type: 'token' }],
  ])('redirects with invalid_request and no code for %s', async (_name, change) => {
    const location = await authorize(authorizeParams(pkce().challenge, change));
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('code')).toBeNull();
    expect(location.searchParams.get('state')).toBe('state-123');
  });

  it('declines the next authorization on demand, then signs in again', async () => {
    const { challenge } = pkce();
    oauth.denyNextAuthorization();

    const declined = await authorize(authorizeParams(challenge));
    expect(declined.searchParams.get('error')).toBe('access_denied');
    expect(declined.searchParams.get('code')).toBeNull();
    expect(declined.searchParams.get('state')).toBe('state-123');
    expect((await authorize(authorizeParams(challenge))).searchParams.has('code')).toBe(true);
  });

  it('refuses an unknown client without redirecting', async () => {
    const response = await fetch(
      `${oauth.authorizeUrl}?${new URLSearchParams(authorizeParams(pkce().challenge, { client_id: 'other' }))}`,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(400);
  });

  it('answers at Microsoft- and Google-shaped paths under its URL', async () => {
    const { verifier, challenge } = pkce();
    const location = await authorize(
      authorizeParams(challenge),
      `${oauth.url}/contoso.onmicrosoft.com/oauth2/v2.0/authorize`,
    );
    expect(oauth.authorizations[0]?.path).toBe('/contoso.onmicrosoft.com/oauth2/v2.0/authorize');
    const { status } = await token(
      withClient({
        grant_type: 'authorization_code',
        code: location.searchParams.get('code') ?? '',
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      }),
      {},
      `${oauth.url}/contoso.onmicrosoft.com/oauth2/v2.0/token`,
    );
    expect(status).toBe(200);
    expect(
      (await authorize(authorizeParams(challenge), `${oauth.url}/o/oauth2/v2/auth`)).searchParams.has('code'),
    ).toBe(true);
  });
});

describe('the token endpoint', () => {
  it('exchanges a code with its verifier for tokens and an ID token naming the account', async () => {
    oauth.setUser('someone@fabrikam.test');
    const tokens = await signIn();

    expect(tokens).toEqual({
      access_token: expect.stringMatching(/^at-/),
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^rt-/),
      scope: 'https://outlook.office.com/SMTP.Send offline_access',
      id_token: expect.any(String),
    });
    expect(claimsOf(tokens.id_token)).toMatchObject({
      email: 'someone@fabrikam.test',
      preferred_username: 'someone@fabrikam.test',
      aud: oauth.clientId,
      iss: oauth.url,
    });
    expect(oauth.isCurrentAccessToken(tokens.access_token, 'someone@fabrikam.test')).toBe(true);
    expect(oauth.isCurrentAccessToken(tokens.access_token, 'mailer@contoso.test')).toBe(false);
  });

  it('refuses a wrong verifier, a replayed code and a redirect URI that differs', async () => {
    const { verifier, challenge } = pkce();
    const code = (await authorize(authorizeParams(challenge))).searchParams.get('code') ?? '';
    const exchange = (change: Record<string, string>) =>
      token(
        withClient({
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT_URI,
          code_verifier: verifier,
          ...change,
        }),
      );

    expect(await exchange({ code_verifier: pkce().verifier })).toEqual({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    // A refused exchange uses the code up, as a successful one does.
    expect((await exchange({})).status).toBe(400);

    const second = (await authorize(authorizeParams(challenge))).searchParams.get('code') ?? '';
    const other = await token(
      withClient({
        grant_type: 'authorization_code',
        code: second,
        redirect_uri: 'http://127.0.0.1:9/elsewhere',
        code_verifier: verifier,
      }),
    );
    expect(other.body).toEqual({ error: 'invalid_grant' });
  });

  it('checks the client secret, in the form or with HTTP Basic', async () => {
    const { refresh_token } = oauth.issueTokens();
    const wrong = await token({
      grant_type: 'refresh_token',
      refresh_token,
      client_id: oauth.clientId,
      client_secret: 'not-the-secret',
    });
    expect(wrong).toEqual({ status: 401, body: { error: 'invalid_client' } });

    const basic = Buffer.from(`${oauth.clientId}:${oauth.clientSecret}`).toString('base64');
    const right = await token(
      { grant_type: 'refresh_token', refresh_token },
      { authorization: `Basic ${basic}` },
    );
    expect(right.status).toBe(200);
  });

  it('rotates the refresh token on every refresh and refuses the one it replaced', async () => {
    const first = await signIn();
    const refreshed = await token(
      withClient({ grant_type: 'refresh_token', refresh_token: first.refresh_token }),
    );

    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);
    expect(oauth.isCurrentAccessToken(refreshed.body.access_token ?? '')).toBe(true);
    const replay = await token(
      withClient({ grant_type: 'refresh_token', refresh_token: first.refresh_token }),
    );
    expect(replay).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect(oauth.refreshCount()).toBe(2);
  });

  it('answers invalid_grant once a grant is revoked, and its access tokens stop being current', async () => {
    const kept = oauth.issueTokens('kept@contoso.test');
    const revoked = oauth.issueTokens();
    oauth.revoke(revoked.refresh_token);

    const refused = await token(
      withClient({ grant_type: 'refresh_token', refresh_token: revoked.refresh_token }),
    );
    expect(refused).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect(oauth.isCurrentAccessToken(revoked.access_token)).toBe(false);
    expect(oauth.isCurrentAccessToken(kept.access_token)).toBe(true);

    oauth.revoke('all');
    expect(oauth.isCurrentAccessToken(kept.access_token)).toBe(false);
    expect(
      (await token(withClient({ grant_type: 'refresh_token', refresh_token: kept.refresh_token }))).body,
    ).toEqual({ error: 'invalid_grant' });
  });

  it('refuses an unknown refresh token and an unknown grant type', async () => {
    expect(await token(withClient({ grant_type: 'refresh_token', refresh_token: 'rt-unknown' }))).toEqual({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    expect((await token(withClient({ grant_type: 'password' }))).body).toEqual({
      error: 'unsupported_grant_type',
    });
  });

  it('issues short-lived access tokens on demand and can end them at once', async () => {
    oauth.setAccessTokenTtl(1);
    const short = oauth.issueTokens();
    expect(short.expires_in).toBe(1);
    expect(oauth.isCurrentAccessToken(short.access_token)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(oauth.isCurrentAccessToken(short.access_token)).toBe(false);

    oauth.setAccessTokenTtl(3600);
    const long = oauth.issueTokens();
    oauth.expireAccessTokens();
    expect(oauth.isCurrentAccessToken(long.access_token)).toBe(false);
  });

  it('fails the next token requests with a scripted status, then answers again', async () => {
    const { refresh_token } = oauth.issueTokens();
    oauth.failTokenRequests(503);

    const down = await token(withClient({ grant_type: 'refresh_token', refresh_token }));
    expect(down).toEqual({ status: 503, body: { error: 'temporarily_unavailable' } });
    expect((await token(withClient({ grant_type: 'refresh_token', refresh_token }))).status).toBe(200);
    expect(oauth.refreshCount()).toBe(2);
  });
});
