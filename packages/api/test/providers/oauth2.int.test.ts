import {
  startOAuthServerEmulator,
  startSmtpTestServer,
  type OAuthServerEmulator,
  type SmtpTestServer,
} from '@mail-providers/mailer-core/test-support';
import { OAuthHealthCheckService } from '../../src/oauth/oauth-health-check.service';
import { oauthSecretContext } from '../../src/oauth/oauth-secrets';
import { DurableSendingService } from '../../src/services/durable-sending.service';
import { leakedIn, tablesHolding } from '../support/secret-scan';
import { dataOf, errorCode, type GqlResponse, type TestAgent } from '../support/test-agent';
import { startTestServer, testSecret, type TestServer } from '../support/test-server';
import {
  CREATE,
  SEND_TEST,
  SET_STATUS,
  VERIFY,
  fieldsOf,
  smtpInput,
  uniqueName,
  type ProviderInputValue,
} from './provider-support';

/**
 * OAuth2 sign-in over HTTP, end to end: a provider saved with an app registration, the authorization-code
 * flow with PKCE against the emulated authorization server (Google's endpoints pointed at it), XOAUTH2
 * toward an SMTP server that takes only current access tokens, refreshes shared between two servers on one
 * database, a revoked grant, and the callback's refusals. The client secret and the tokens appear in no
 * response, log line or table.
 */
const MAILBOX = 'sender@example.com';
const OAUTH_FIELDS = `id status authMethod passwordSet verifiedAt
  oauth { flavour clientId clientSecretSet tenant connected account accessTokenExpiresAt lastRefreshAt lastError }`;
const GET_OAUTH = `query ($id: ID!) { provider(id: $id) { ${OAUTH_FIELDS} } }`;
const CREATE_OAUTH = `mutation ($input: ProviderInput!) { createProvider(input: $input) { ${OAUTH_FIELDS} } }`;
const START = `mutation ($id: ID!) { startProviderOAuth(id: $id) { authorizeUrl } }`;
const DISCONNECT = `mutation ($id: ID!) { disconnectProviderOAuth(id: $id) { ${OAUTH_FIELDS} } }`;

interface OAuthView {
  id: string;
  status: string;
  authMethod: string;
  passwordSet: boolean;
  verifiedAt: string | null;
  oauth: {
    flavour: string;
    clientId: string;
    clientSecretSet: boolean;
    connected: boolean;
    account: string | null;
    accessTokenExpiresAt: string | null;
    lastRefreshAt: string | null;
    lastError: string | null;
  } | null;
}

let emulator: OAuthServerEmulator;
let smtp: SmtpTestServer;
/** A relay with no login, for a fallback provider. */
let relay: SmtpTestServer;
let server: TestServer;
let admin: TestAgent;
const clientId = `client-${testSecret('id')}`;
const clientSecret = testSecret('client-secret');
const responses: string[] = [];
/** Every token the server held: access tokens as the SMTP server saw them, refresh tokens as stored. */
const tokens = new Set<string>();

/** The refresh token stored for a provider now, opened with the server's own key. */
async function storedRefreshToken(providerId: string): Promise<string> {
  const { rows } = await server.db.query<{ ciphertext: string; key_id: string }>(
    'SELECT refresh_token_ciphertext AS ciphertext, refresh_token_key_id AS key_id FROM oauth_connections WHERE provider_id = $1',
    [providerId],
  );
  const row = rows[0];
  if (!row) throw new Error('No connection is stored for this provider.');
  return server.app.services.secretBox.open(
    { ciphertext: row.ciphertext, keyId: row.key_id },
    oauthSecretContext(providerId, 'refreshToken'),
  );
}

/** Opens the tokens stored now (with the server's own key) and adds them to `tokens`. */
async function collectStoredTokens(): Promise<void> {
  const { rows } = await server.db.query<{
    provider_id: string;
    refresh_token_ciphertext: string | null;
    refresh_token_key_id: string | null;
    access_token_ciphertext: string | null;
    access_token_key_id: string | null;
  }>('SELECT * FROM oauth_connections');
  const box = server.app.services.secretBox;
  for (const row of rows) {
    if (row.refresh_token_ciphertext && row.refresh_token_key_id)
      tokens.add(
        box.open(
          { ciphertext: row.refresh_token_ciphertext, keyId: row.refresh_token_key_id },
          oauthSecretContext(row.provider_id, 'refreshToken'),
        ),
      );
    if (row.access_token_ciphertext && row.access_token_key_id)
      tokens.add(
        box.open(
          { ciphertext: row.access_token_ciphertext, keyId: row.access_token_key_id },
          oauthSecretContext(row.provider_id, 'accessToken'),
        ),
      );
  }
}

async function call<T>(
  query: string,
  variables?: Record<string, unknown>,
  as: TestAgent = admin,
): Promise<GqlResponse<T>> {
  const response = await as.gql<T>(query, variables);
  responses.push(response.text);
  await collectStoredTokens();
  return response;
}

function oauthInput(
  overrides: Partial<ProviderInputValue> & Record<string, unknown> = {},
): Record<string, unknown> {
  const { password: _password, ...base } = smtpInput(smtp, { name: uniqueName('oauth'), username: MAILBOX });
  return {
    ...base,
    authMethod: 'OAUTH2',
    oauth: { flavour: 'GOOGLE', clientId, clientSecret },
    ...overrides,
  };
}

async function read(id: string): Promise<OAuthView> {
  return dataOf(await call<{ provider: OAuthView }>(GET_OAUTH, { id })).provider;
}

/** Starts a sign-in as `agent` and follows the emulator's redirect; returns the callback's path and query. */
async function signIn(id: string, agent: TestAgent = admin): Promise<string> {
  const { authorizeUrl } = dataOf(
    await call<{ startProviderOAuth: { authorizeUrl: string } }>(START, { id }, agent),
  ).startProviderOAuth;
  const authorize = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(authorize.status).toBeGreaterThanOrEqual(300);
  const back = new URL(authorize.headers.get('location') ?? '');
  expect(back.origin).toBe(new URL(server.url).origin);
  expect(back.pathname).toBe('/oauth/callback');
  return `${back.pathname}${back.search}`;
}

/** Calls the callback as `agent` (a browser with its cookies); returns where it sends the browser. */
async function callback(path: string, agent: TestAgent = admin): Promise<string> {
  const response = await agent.fetch(path, { redirect: 'manual' });
  responses.push(await response.text());
  expect(response.status).toBe(303);
  return response.headers.get('location') ?? '';
}

async function connectionRow(id: string): Promise<unknown> {
  return (await server.db.query('SELECT * FROM oauth_connections WHERE provider_id = $1', [id])).rows[0];
}

async function createConnected(): Promise<OAuthView> {
  const created = dataOf(
    await call<{ createProvider: OAuthView }>(CREATE_OAUTH, { input: oauthInput() }),
  ).createProvider;
  expect(await callback(await signIn(created.id))).toBe(
    `/security/mail-providers/${created.id}?oauth=connected`,
  );
  return created;
}

beforeAll(async () => {
  emulator = await startOAuthServerEmulator({ clientId, clientSecret, email: MAILBOX });
  smtp = await startSmtpTestServer({
    xoauth2: {
      isValid: (user, token) => {
        tokens.add(token);
        return user === MAILBOX && emulator.isCurrentAccessToken(token, user);
      },
    },
  });
  relay = await startSmtpTestServer();
  server = await startTestServer({
    env: {
      LOG_LEVEL: 'trace',
      OAUTH_GOOGLE_AUTHORIZE_URL: emulator.authorizeUrl,
      OAUTH_GOOGLE_TOKEN_URL: emulator.tokenUrl,
      OAUTH_MICROSOFT_AUTHORITY: emulator.url,
    },
  });
  admin = await server.admin();
});

afterAll(async () => {
  await server?.close();
  await smtp?.close();
  await relay?.close();
  await emulator?.close();
});

describe('an OAuth2 provider, from saving to sending', () => {
  let id: string;

  it('is saved with its registration, not connected, and cannot be activated yet', async () => {
    const created = dataOf(
      await call<{ createProvider: OAuthView }>(CREATE_OAUTH, { input: oauthInput() }),
    ).createProvider;
    id = created.id;
    expect(created).toMatchObject({
      authMethod: 'OAUTH2',
      passwordSet: false,
      status: 'INACTIVE',
      oauth: { flavour: 'GOOGLE', clientId, clientSecretSet: true, connected: false, account: null },
    });
    const refused = await call(SET_STATUS, { id, status: 'ACTIVE' });
    expect(errorCode(refused)).toBe('PROVIDER_NOT_VERIFIED');
    expect(refused.body.errors?.[0]?.message).toMatch(/connected and verified/);
  });

  it('starts a sign-in with PKCE S256 and a state, toward this server’s callback', async () => {
    const { authorizeUrl } = dataOf(
      await call<{ startProviderOAuth: { authorizeUrl: string } }>(START, { id }),
    ).startProviderOAuth;
    const url = new URL(authorizeUrl);
    expect(`${url.origin}${url.pathname}`).toBe(emulator.authorizeUrl);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: `${server.url}/oauth/callback`,
      scope: 'https://mail.google.com/ openid email',
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
      login_hint: MAILBOX,
    });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the hash of the state is kept.
    const stored = await server.db.query('SELECT state_hash FROM oauth_states');
    expect(stored.rows.map((row: { state_hash: string }) => row.state_hash)).not.toContain(
      url.searchParams.get('state'),
    );
  });

  it('connects through the callback, then verifies, activates and delivers with XOAUTH2', async () => {
    expect(await callback(await signIn(id))).toBe(`/security/mail-providers/${id}?oauth=connected`);
    const connected = await read(id);
    expect(connected.oauth).toMatchObject({ connected: true, account: MAILBOX, lastError: null });
    expect(Date.parse(connected.oauth?.accessTokenExpiresAt ?? '')).toBeGreaterThan(Date.now());

    expect(dataOf(await call<{ verifyProvider: { ok: boolean } }>(VERIFY, { id })).verifyProvider.ok).toBe(
      true,
    );
    expect(
      dataOf(await call<{ setProviderStatus: { status: string } }>(SET_STATUS, { id, status: 'ACTIVE' }))
        .setProviderStatus.status,
    ).toBe('ACTIVE');
    const sent = dataOf(
      await call<{ sendTestEmail: { ok: boolean } }>(SEND_TEST, { to: 'ops@example.org', providerId: id }),
    );
    expect(sent.sendTestEmail.ok).toBe(true);
    expect(smtp.messages.length).toBe(1);
    expect(smtp.logins.at(-1)).toMatchObject({ method: 'XOAUTH2', username: MAILBOX, ok: true });
  });

  it('refreshes an expired access token once for two servers sending at the same time', async () => {
    const other = await startTestServer({
      databaseUrl: server.databaseUrl,
      env: {
        MAILER_SECRET_KEY: server.config.secretKey ?? '',
        OAUTH_GOOGLE_AUTHORIZE_URL: emulator.authorizeUrl,
        OAUTH_GOOGLE_TOKEN_URL: emulator.tokenUrl,
      },
    });
    try {
      const otherAdmin = other.agent();
      dataOf(await otherAdmin.login(server.adminEmail, server.adminPassword));
      await server.db.query(
        `UPDATE oauth_connections SET access_token_expires_at = now() - interval '1 second' WHERE provider_id = $1`,
        [id],
      );
      const before = emulator.refreshCount();
      const sends = await Promise.all(
        [admin, otherAdmin, admin, otherAdmin].map((agent) =>
          call<{ sendTestEmail: { ok: boolean } }>(
            SEND_TEST,
            { to: 'ops@example.org', providerId: id },
            agent,
          ),
        ),
      );
      expect(sends.map((response) => dataOf(response).sendTestEmail.ok)).toEqual([true, true, true, true]);
      expect(emulator.refreshCount() - before).toBe(1);
      expect(Date.parse((await read(id)).oauth?.lastRefreshAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    } finally {
      await other.close();
    }
  });

  it('falls back with AUTH and the reconnect hint once the grant is revoked, and raises an alert', async () => {
    dataOf(
      await call(CREATE, {
        input: {
          ...smtpInput(relay, { username: '', password: null }),
          serviceType: 'FALLBACK',
          status: 'ACTIVE',
        },
      }),
    );
    emulator.revoke(await storedRefreshToken(id));
    await server.db.query(
      `UPDATE oauth_connections SET access_token_expires_at = now() - interval '1 second' WHERE provider_id = $1`,
      [id],
    );
    // The pooled connection logged in before the revocation: a new one must log in again.
    await smtp.stop();
    await smtp.start();
    const result = dataOf(
      await call<{
        sendTestEmail: {
          ok: boolean;
          attempts: Array<{
            providerId: string;
            outcome: string;
            failure: { category: string; hint: string } | null;
          }>;
        };
      }>(SEND_TEST, { to: 'ops@example.org' }),
    ).sendTestEmail;
    const first = result.attempts[0];
    expect(first).toMatchObject({ providerId: id, outcome: 'FAILED', failure: { category: 'AUTH' } });
    expect(first?.failure?.hint).toMatch(/Reconnect/);
    const provider = await read(id);
    expect(provider.oauth).toMatchObject({ connected: false });
    expect(provider.oauth?.lastError).toMatch(/invalid_grant/);
    await server.app.services.get(DurableSendingService).alerts.flush();
    const alerts = dataOf(
      await call<{ alerts: { nodes: Array<{ kind: string; providerId: string; message: string }> } }>(
        '{ alerts(first: 20) { nodes { kind providerId message } } }',
      ),
    ).alerts.nodes;
    expect(alerts).toContainEqual(expect.objectContaining({ kind: 'OAUTH_REVOKED', providerId: id }));
    // Its provider event, for webhook endpoints (ALERT_WEBHOOK_URL among them).
    const events = await server.db.query(
      `SELECT e.payload = jsonb_build_object('providerName', p.name) AS names_provider
       FROM events e JOIN providers p ON p.id = e.provider_id
       WHERE e.provider_id = $1 AND e.type = 'PROVIDER_OAUTH_REVOKED'`,
      [id],
    );
    expect(events.rows).toEqual([{ names_provider: true }]);
  });

  it('is disconnected on request: tokens dropped, made inactive, audited', async () => {
    const created = await createConnected();
    dataOf(await call(SET_STATUS, { id: created.id, status: 'ACTIVE' }));
    const disconnected = dataOf(
      await call<{ disconnectProviderOAuth: OAuthView }>(DISCONNECT, { id: created.id }),
    ).disconnectProviderOAuth;
    expect(disconnected).toMatchObject({ status: 'INACTIVE', oauth: { connected: false } });
    const audit = await server.db.query(
      `SELECT action, fields FROM audit_log WHERE entity_id = $1 ORDER BY id`,
      [created.id],
    );
    expect(audit.rows).toContainEqual({ action: 'provider.oauthDisconnect', fields: ['oauth', 'status'] });
  });
});

describe('a token endpoint that is down', () => {
  it('fails the send as a passing outage, keeps the connection, and the next send refreshes', async () => {
    const created = await createConnected();
    await server.db.query(
      `UPDATE oauth_connections SET access_token_expires_at = now() - interval '1 second' WHERE provider_id = $1`,
      [created.id],
    );
    emulator.failTokenRequests(503, 1);
    const failed = dataOf(
      await call<{ sendTestEmail: { ok: boolean; failure: { category: string } | null } }>(SEND_TEST, {
        to: 'ops@example.org',
        providerId: created.id,
      }),
    ).sendTestEmail;
    expect(failed).toMatchObject({ ok: false, failure: { category: 'PROVIDER_UNAVAILABLE' } });
    const kept = await read(created.id);
    expect(kept.oauth).toMatchObject({ connected: true, lastError: expect.stringMatching(/HTTP 503/) });
    const sent = dataOf(
      await call<{ sendTestEmail: { ok: boolean } }>(SEND_TEST, {
        to: 'ops@example.org',
        providerId: created.id,
      }),
    ).sendTestEmail;
    expect(sent.ok).toBe(true);
    expect((await read(created.id)).oauth?.lastError).toBeNull();
  });
});

describe('a Microsoft 365 registration', () => {
  it('signs in at its tenant’s v2.0 endpoints with SMTP.Send and offline access, and verifies', async () => {
    const input = oauthInput({
      oauth: { flavour: 'MICROSOFT', clientId, clientSecret, tenant: 'contoso.onmicrosoft.com' },
    });
    const created = dataOf(await call<{ createProvider: OAuthView }>(CREATE_OAUTH, { input })).createProvider;
    expect(created.oauth).toMatchObject({ flavour: 'MICROSOFT', connected: false });
    expect(await callback(await signIn(created.id))).toMatch(/oauth=connected$/);
    expect(emulator.authorizations.at(-1)).toMatchObject({
      path: '/contoso.onmicrosoft.com/oauth2/v2.0/authorize',
      scope: 'https://outlook.office.com/SMTP.Send offline_access openid email',
      codeChallengeMethod: 'S256',
    });
    expect((await read(created.id)).oauth).toMatchObject({ connected: true, account: MAILBOX });
    const verified = dataOf(await call<{ verifyProvider: { ok: boolean } }>(VERIFY, { id: created.id }));
    expect(verified.verifyProvider.ok).toBe(true);
  });
});

describe('the daily check of the connections', () => {
  it('refreshes every connection and finds a revoked one before mail does', async () => {
    const live = await createConnected();
    const dead = await createConnected();
    const refreshed = async (providerId: string) =>
      Date.parse((await read(providerId)).oauth?.lastRefreshAt ?? '');
    const checks = server.app.services.get(OAuthHealthCheckService);
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await checks.runOnce(0)).toMatchObject({ ran: true });
    expect(await refreshed(live.id)).toBeGreaterThan(started);
    expect(await refreshed(dead.id)).toBeGreaterThan(started);
    await collectStoredTokens();

    emulator.revoke(await storedRefreshToken(dead.id));
    expect((await checks.runOnce(0)).failed).toBeGreaterThanOrEqual(1);
    expect((await read(dead.id)).oauth).toMatchObject({
      connected: false,
      lastError: expect.stringMatching(/invalid_grant/),
    });
    expect((await read(live.id)).oauth).toMatchObject({ connected: true, lastError: null });
    await server.app.services.get(DurableSendingService).alerts.flush();
    const open = await server.db.query(
      `SELECT provider_id FROM alert_events WHERE kind = 'OAUTH_REVOKED' AND resolved_at IS NULL`,
    );
    expect(open.rows).toContainEqual({ provider_id: dead.id });
    expect(open.rows).not.toContainEqual({ provider_id: live.id });

    // Connecting again ends the alert.
    expect(await callback(await signIn(dead.id))).toMatch(/oauth=connected$/);
    const stillOpen = await server.db.query(
      `SELECT 1 FROM alert_events WHERE kind = 'OAUTH_REVOKED' AND provider_id = $1 AND resolved_at IS NULL`,
      [dead.id],
    );
    expect(stillOpen.rows).toEqual([]);
    expect((await read(dead.id)).oauth).toMatchObject({ connected: true, lastError: null });
  });
});

describe('the callback refuses and changes nothing', () => {
  let id: string;
  beforeAll(async () => {
    id = dataOf(await call<{ createProvider: OAuthView }>(CREATE_OAUTH, { input: oauthInput() }))
      .createProvider.id;
  });

  it.each([
    ['without a state', () => '/oauth/callback?code=abc', 'state_missing', null],
    [
      'with a state it never issued',
      () => `/oauth/callback?code=abc&state=${testSecret('forged')}`,
      'state_unknown',
      null,
    ],
  ])('%s', async (_name, path, reason) => {
    const before = await connectionRow(id);
    expect(await callback(path())).toBe(`/security/mail-providers?oauth=error&reason=${reason}`);
    expect(await connectionRow(id)).toEqual(before);
  });

  it('replayed', async () => {
    const path = await signIn(id);
    expect(await callback(path)).toMatch(/oauth=connected$/);
    const before = await connectionRow(id);
    expect(await callback(path)).toBe(`/security/mail-providers/${id}?oauth=error&reason=state_used`);
    expect(await connectionRow(id)).toEqual(before);
  });

  it('expired after 10 minutes', async () => {
    const path = await signIn(id);
    await server.db.query(
      `UPDATE oauth_states SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`,
    );
    const before = await connectionRow(id);
    expect(await callback(path)).toBe(`/security/mail-providers/${id}?oauth=error&reason=state_expired`);
    expect(await connectionRow(id)).toEqual(before);
  });

  it('without a session, or from another session', async () => {
    const path = await signIn(id);
    const before = await connectionRow(id);
    expect(await callback(path, server.agent())).toBe(
      `/security/mail-providers/${id}?oauth=error&reason=session_missing`,
    );
    const someoneElse = await server.userAgent('ADMIN');
    expect(await callback(path, someoneElse)).toBe(
      `/security/mail-providers/${id}?oauth=error&reason=session_mismatch`,
    );
    expect(await connectionRow(id)).toEqual(before);
    // The state is still good for the session that started it.
    expect(await callback(path)).toMatch(/oauth=connected$/);
  });

  it('declined at the OAuth2 server: says so and keeps the connection as it was', async () => {
    const connectedBefore = (await read(id)).oauth?.connected;
    emulator.denyNextAuthorization();
    expect(await callback(await signIn(id))).toBe(
      `/security/mail-providers/${id}?oauth=error&reason=access_denied`,
    );
    const after = await read(id);
    expect(after.oauth?.connected).toBe(connectedBefore);
    expect(after.oauth?.lastError).toMatch(/access_denied/);
  });

  it('is started only by an administrator signed in to the panel', async () => {
    const token = await server.tokenAgent(['MANAGE']);
    expect(errorCode(await call(START, { id }, token))).toBe('FORBIDDEN');
  });
});

describe('OAuth2 settings, one rule per row', () => {
  const generic = (oauth: Record<string, unknown>) => ({
    oauth: {
      flavour: 'GENERIC',
      clientId,
      scopes: ['smtp'],
      authorizeUrl: 'https://login.example.com/authorize',
      tokenUrl: 'https://login.example.com/token',
      ...oauth,
    },
  });
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['OAUTH2 without a registration', { oauth: null }, 'oauth', /app registration/],
    [
      'a Microsoft registration without its tenant',
      { oauth: { flavour: 'MICROSOFT', clientId, clientSecret } },
      'oauth.tenant',
      /tenant/,
    ],
    [
      'a Google registration without its secret',
      { oauth: { flavour: 'GOOGLE', clientId } },
      'oauth.clientSecret',
      /client secret/,
    ],
    [
      'an empty client id',
      { oauth: { flavour: 'GOOGLE', clientId: ' ', clientSecret } },
      'oauth.clientId',
      /client\) id/,
    ],
    [
      'a generic server without its token URL',
      generic({ tokenUrl: null }),
      'oauth.tokenUrl',
      /token endpoint/,
    ],
    [
      'a generic server without its authorize URL',
      generic({ authorizeUrl: null }),
      'oauth.authorizeUrl',
      /authorization endpoint/,
    ],
    [
      'a token URL in plain http',
      generic({ tokenUrl: 'http://login.example.com/token' }),
      'oauth.tokenUrl',
      /https/,
    ],
    [
      'a token URL toward a private address',
      generic({ tokenUrl: 'https://10.20.30.40/token' }),
      'oauth.tokenUrl',
      /ALLOWED_PROVIDER_HOSTS/,
    ],
    ['a generic server without scopes', generic({ scopes: [] }), 'oauth.scopes', /scopes/],
    ['a password with OAUTH2', { password: 'not-sent-anyway' }, 'password', /no password/],
    ['a username that is not the mailbox', { username: 'sender' }, 'username', /mailbox/],
    [
      'OAuth2 settings with PASSWORD',
      { authMethod: 'PASSWORD', password: testSecret('pw') },
      'oauth',
      /only with authMethod OAUTH2/,
    ],
    [
      'OAUTH2 for an HTTP API vendor',
      { type: 'API_SMTP', apiVendor: 'SENDGRID', encryption: 'SSL_TLS' },
      'authMethod',
      /SMTP providers/,
    ],
  ])('refuses %s', async (_name, overrides, field, advice) => {
    const response = await call(CREATE_OAUTH, { input: oauthInput(overrides) });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(response)).toContainEqual({
      field: `input.${field}`,
      message: expect.stringMatching(advice),
    });
  });

  it('refuses to create an OAUTH2 provider as ACTIVE', async () => {
    expect(errorCode(await call(CREATE_OAUTH, { input: oauthInput({ status: 'ACTIVE' }) }))).toBe(
      'PROVIDER_NOT_VERIFIED',
    );
  });
});

describe('the client secret and the tokens appear nowhere', () => {
  const secrets = (): string[] => [clientSecret, ...tokens];

  it('were issued', () => {
    expect(tokens.size).toBeGreaterThan(6);
  });

  it('in any response', () => {
    expect(leakedIn(responses.join('\n'), secrets())).toEqual([]);
  });

  it('in any log line', () => {
    expect(leakedIn(server.logs.join('\n'), secrets())).toEqual([]);
  });

  it('in any table, in plain, audit log included', async () => {
    expect(await tablesHolding(server, secrets())).toEqual([]);
  });
});
