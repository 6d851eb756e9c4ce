import { createHash } from 'node:crypto';
import { dataOf, errorCode } from './support/test-agent';
import { startTestServer, testSecret, type TestServer } from './support/test-server';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const ME = `{ me { id email role locale } }`;
const CREATE_USER = `mutation ($input: CreateUserInput!) { createUser(input: $input) { id email role locale } }`;
const CREATE_TOKEN = `mutation ($name: String!, $scopes: [ApiTokenScope!]!) {
  createApiToken(name: $name, scopes: $scopes) { token apiToken { id name prefix scopes revokedAt } }
}`;

type Operation = [name: string, query: string, variables: Record<string, unknown> | undefined];

/** Operations only an administrator may run. */
const ADMIN_OPERATIONS: Operation[] = [
  ['users', '{ users { id } }', undefined],
  ['apiTokens', '{ apiTokens { id } }', undefined],
  ['auditLog', '{ auditLog { totalCount } }', undefined],
  [
    'createUser',
    CREATE_USER,
    { input: { email: 'v@example.test', password: 'long-enough-1', role: 'ADMIN' } },
  ],
  ['createApiToken', CREATE_TOKEN, { name: 'n', scopes: ['SEND'] }],
  [
    'revokeApiToken',
    'mutation { revokeApiToken(id: "00000000-0000-0000-0000-000000000000") { id } }',
    undefined,
  ],
];

describe('auth over HTTP', () => {
  let server: TestServer;
  // Wrong-password cases use this account, so the admin's own attempts stay untouched.
  const victim = { email: `victim-${Date.now()}@example.test`, password: testSecret('victim') };
  /** A login by a new client at `ip` (the server trusts X-Forwarded-For from loopback here). */
  const loginFrom = (ip: string, email: string, password: string) =>
    server
      .agent()
      .gql(
        `mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { id } }`,
        { e: email, p: password },
        { headers: { 'x-forwarded-for': ip } },
      );

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        LOGIN_FAILURES_BEFORE_BLOCK: '5',
        LOGIN_IP_FAILURES_PER_DAY: '6',
        // Lets tests stand in for other client addresses through X-Forwarded-For.
        TRUST_PROXY: 'loopback',
      },
    });
  });
  afterAll(() => server.close());
  beforeAll(async () => {
    dataOf(await (await server.admin()).gql(CREATE_USER, { input: { ...victim, role: 'VIEWER' } }));
  });

  describe('login', () => {
    it('signs in with the right password and sets an httpOnly, SameSite=Lax session cookie', async () => {
      const agent = server.agent();
      const response = await agent.login(server.adminEmail, server.adminPassword);
      expect(dataOf(response).login).toMatchObject({ email: server.adminEmail, role: 'ADMIN' });

      const cookie = agent.lastSetCookies.find((line) => line.startsWith('mp_session='));
      expect(cookie).toBeDefined();
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);
      expect(cookie).toMatch(/;\s*Path=\//i);
      // Plain http on loopback: a Secure cookie would never come back.
      expect(cookie).not.toMatch(/;\s*Secure/i);

      const me = dataOf(await agent.gql<{ me: { email: string; locale: string } }>(ME)).me;
      expect(me).toMatchObject({ email: server.adminEmail, locale: 'en' });

      // The resolver's log line carries the id of its request.
      const entries = server.logs.map((line): unknown => JSON.parse(line));
      expect(entries).toContainEqual(
        expect.objectContaining({ msg: 'signed in', reqId: response.headers.get('x-request-id') }),
      );
    });

    it('makes a request logger only for a request that logs something', async () => {
      const child = jest.spyOn(server.app.services.logger, 'child');
      const requestLoggers = () =>
        child.mock.calls.filter(([bindings]) => Object.keys(bindings).includes('reqId')).length;
      try {
        const agent = server.agent();
        await agent.login(server.adminEmail, server.adminPassword);
        expect(requestLoggers()).toBe(1);
        dataOf(await agent.gql(ME));
        expect(requestLoggers()).toBe(1);
      } finally {
        child.mockRestore();
      }
    });

    it('marks the cookie Secure when the request came over https through a trusted proxy', async () => {
      const agent = server.agent();
      await agent.gql(
        `mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { id } }`,
        { e: server.adminEmail, p: server.adminPassword },
        { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.1' } },
      );
      const cookie = agent.lastSetCookies.find((line) => line.startsWith('mp_session='));
      expect(cookie).toMatch(/;\s*Secure/i);
    });

    it('asks for HTTPS only (HSTS) on answers to requests that came over https through a trusted proxy', async () => {
      const overHttps = await server.agent().fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
        body: JSON.stringify({ query: ME }),
      });
      expect(overHttps.headers.get('strict-transport-security')).toBe('max-age=31536000');
      const overHttp = await server.agent().fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: ME }),
      });
      expect(overHttp.headers.get('strict-transport-security')).toBeNull();
    });

    it('stores only the hash of the session cookie', async () => {
      const agent = server.agent();
      dataOf(await agent.login(server.adminEmail, server.adminPassword));
      const value = agent.cookies.get('mp_session') ?? '';
      expect(value.length).toBeGreaterThan(30);
      const rows = await server.db.query<{ token_hash: string; row: string }>(
        'SELECT token_hash, row_to_json(s)::text AS row FROM sessions s',
      );
      expect(rows.rows.map((r) => r.token_hash)).toContain(sha256(value));
      for (const row of rows.rows) expect(row.row).not.toContain(value);
    });

    it.each([
      ['a wrong password', () => victim.email, () => testSecret('wrong')],
      ['an unknown email', () => 'nobody@example.test', () => testSecret('wrong')],
      ['an empty password', () => victim.email, () => ''],
      ['a password far too long to be real', () => victim.email, () => 'x'.repeat(5000)],
    ])('refuses %s with UNAUTHENTICATED and sets no cookie', async (_case, email, password) => {
      const agent = server.agent();
      const response = await agent.gql(
        `mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { id } }`,
        { e: email(), p: password() },
        { headers: { 'x-forwarded-for': '192.0.2.10' } },
      );
      expect(errorCode(response)).toBe('UNAUTHENTICATED');
      expect(response.body.errors?.[0]?.message).toBe(
        'The email or password is not right; check both and try again.',
      );
      expect(agent.cookies.has('mp_session')).toBe(false);
    });

    it('throttles failed logins of an account from the address that failed only, and tells how long to wait', async () => {
      const admin = await server.admin();
      const email = `limited-${Date.now()}@example.test`;
      const password = testSecret('pw');
      dataOf(await admin.gql(CREATE_USER, { input: { email, password, role: 'VIEWER' } }));

      const attempt = (pw: string, ip: string) => loginFrom(ip, email, pw);
      for (let i = 0; i < 5; i++) {
        expect(errorCode(await attempt(testSecret('wrong'), '203.0.113.1'))).toBe('UNAUTHENTICATED');
      }
      const blocked = await attempt(password, '203.0.113.1');
      expect(errorCode(blocked)).toBe('RATE_LIMITED');
      const retry = blocked.body.errors?.[0]?.extensions?.retryAfterSeconds;
      expect(typeof retry).toBe('number');
      expect(Number(retry)).toBeGreaterThan(0);
      expect(blocked.body.errors?.[0]?.message).toMatch(
        /^Too many failed logins for this account from your address; try again in \d+ seconds\.$/,
      );

      // The owner, from another address, is not locked out; nor is another account.
      expect(errorCode(await attempt(password, '203.0.113.6'))).toBeUndefined();
      expect(dataOf(await server.agent().login(server.adminEmail, server.adminPassword)).login.email).toBe(
        server.adminEmail,
      );
    });

    it('limits failed logins per IP address across accounts', async () => {
      const ip = '203.0.113.50';
      const attempt = (email: string, pw: string) => loginFrom(ip, email, pw);
      for (let i = 0; i < 6; i++) {
        expect(errorCode(await attempt(`guess-${i}@example.test`, testSecret('wrong')))).toBe(
          'UNAUTHENTICATED',
        );
      }
      const blocked = await attempt(server.adminEmail, server.adminPassword);
      expect(errorCode(blocked)).toBe('RATE_LIMITED');
      expect(blocked.body.errors?.[0]?.message).toMatch(
        /^Too many failed logins from your address today; try again in \d+ seconds\.$/,
      );
    });

    it('a successful login gives the account its attempts back', async () => {
      const admin = await server.admin();
      const email = `recovers-${Date.now()}@example.test`;
      const password = testSecret('pw');
      dataOf(await admin.gql(CREATE_USER, { input: { email, password, role: 'VIEWER' } }));
      const login = (pw: string) => loginFrom('203.0.113.77', email, pw);
      for (let round = 0; round < 2; round++) {
        expect(errorCode(await login(testSecret('wrong')))).toBe('UNAUTHENTICATED');
        expect(errorCode(await login(testSecret('wrong')))).toBe('UNAUTHENTICATED');
        expect(errorCode(await login(password))).toBeUndefined();
      }
    });
  });

  describe('logout', () => {
    it('ends the session: the cookie is cleared and the old cookie no longer works', async () => {
      const agent = server.agent();
      dataOf(await agent.login(server.adminEmail, server.adminPassword));
      const oldCookie = agent.cookies.get('mp_session') ?? '';
      const before = await server.db.query('SELECT 1 FROM sessions WHERE token_hash = $1', [
        sha256(oldCookie),
      ]);
      expect(before.rowCount).toBe(1);

      expect(dataOf(await agent.gql<{ logout: boolean }>('mutation { logout }')).logout).toBe(true);
      expect(agent.lastSetCookies.some((line) => /^mp_session=;/.test(line))).toBe(true);
      expect(agent.cookies.has('mp_session')).toBe(false);
      const after = await server.db.query('SELECT 1 FROM sessions WHERE token_hash = $1', [
        sha256(oldCookie),
      ]);
      expect(after.rowCount).toBe(0);

      const replay = server.agent();
      replay.cookies.set('mp_session', oldCookie);
      expect(dataOf(await replay.gql<{ me: unknown }>(ME)).me).toBeNull();
      expect(errorCode(await replay.gql('{ users { id } }'))).toBe('UNAUTHENTICATED');
    });

    it('an expired session counts as signed out', async () => {
      const agent = server.agent();
      dataOf(await agent.login(server.adminEmail, server.adminPassword));
      const hash = sha256(agent.cookies.get('mp_session') ?? '');
      const row = await server.db.query<{ hours: number }>(
        'SELECT extract(epoch FROM expires_at - created_at) / 3600 AS hours FROM sessions WHERE token_hash = $1',
        [hash],
      );
      expect(Math.round(Number(row.rows[0]?.hours))).toBe(168);
      await server.db.query(
        "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1",
        [hash],
      );
      expect(dataOf(await agent.gql<{ me: unknown }>(ME)).me).toBeNull();
      expect(errorCode(await agent.gql('{ users { id } }'))).toBe('UNAUTHENTICATED');
    });

    it('is harmless without a session', async () => {
      expect(dataOf(await server.agent().gql<{ logout: boolean }>('mutation { logout }')).logout).toBe(true);
    });
  });

  describe('roles', () => {
    it.each<Operation>([
      ...ADMIN_OPERATIONS,
      ['setMyLocale', 'mutation { setMyLocale(locale: "tr") { id } }', undefined],
    ])('%s without credentials is UNAUTHENTICATED', async (_name, query, variables) => {
      const response = await server.agent().gql(query, variables);
      expect(errorCode(response)).toBe('UNAUTHENTICATED');
      expect(response.body.data ?? null).toBeNull();
    });

    it.each(ADMIN_OPERATIONS)(
      'a VIEWER gets FORBIDDEN on the admin operation %s',
      async (_name, query, variables) => {
        const viewer = await server.userAgent('VIEWER');
        const response = await viewer.gql(query, variables);
        expect(errorCode(response)).toBe('FORBIDDEN');
        expect(response.body.errors?.[0]?.message).toBe(
          'Your role may only read; ask an administrator to do this.',
        );
      },
    );

    it('a VIEWER can read who they are and set their own language', async () => {
      const viewer = await server.userAgent('VIEWER');
      expect(dataOf(await viewer.gql<{ me: { role: string } }>(ME)).me.role).toBe('VIEWER');
      const set = dataOf(
        await viewer.gql<{ setMyLocale: { locale: string } }>(
          'mutation { setMyLocale(locale: "tr") { locale } }',
        ),
      );
      expect(set.setMyLocale.locale).toBe('tr');
      expect(dataOf(await viewer.gql<{ me: { locale: string } }>(ME)).me.locale).toBe('tr');
      const bad = await viewer.gql('mutation { setMyLocale(locale: "de") { locale } }');
      expect(errorCode(bad)).toBe('BAD_USER_INPUT');
      expect(bad.body.errors?.[0]?.extensions?.fields).toEqual([
        { field: 'locale', message: 'Choose the language en or tr.' },
      ]);
    });
  });

  describe('users', () => {
    it('an admin creates users with a role; the password is stored only as an argon2id hash', async () => {
      const admin = await server.admin();
      const email = `Mixed.Case-${Date.now()}@Example.test`;
      const password = testSecret('pw');
      const created = dataOf(
        await admin.gql<{ createUser: { id: string; email: string; role: string; locale: string } }>(
          CREATE_USER,
          {
            input: { email, password, role: 'VIEWER', locale: 'tr' },
          },
        ),
      ).createUser;
      expect(created).toMatchObject({ email: email.toLowerCase(), role: 'VIEWER', locale: 'tr' });
      const row = await server.db.query<{ password_hash: string; row: string }>(
        'SELECT password_hash, row_to_json(u)::text AS row FROM users u WHERE id = $1',
        [created.id],
      );
      expect(row.rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
      expect(row.rows[0]?.row).not.toContain(password);

      const list = dataOf(
        await admin.gql<{ users: Array<{ email: string }> }>('{ users { email role } }'),
      ).users;
      expect(list.map((u) => u.email)).toEqual(
        expect.arrayContaining([server.adminEmail, email.toLowerCase()]),
      );
    });

    it.each([
      ['an email without @', { email: 'not-an-email', password: 'long-enough-1', role: 'VIEWER' }, ['email']],
      ['an empty email', { email: '  ', password: 'long-enough-1', role: 'VIEWER' }, ['email']],
      ['a short password', { email: 'short@example.test', password: 'short', role: 'VIEWER' }, ['password']],
      [
        'a blank password',
        { email: 'blank@example.test', password: '          ', role: 'VIEWER' },
        ['password'],
      ],
      [
        'an unknown locale',
        { email: 'loc@example.test', password: 'long-enough-1', role: 'VIEWER', locale: 'xx' },
        ['locale'],
      ],
      [
        'everything wrong',
        { email: 'bad', password: 'x', role: 'VIEWER', locale: 'xx' },
        ['email', 'password', 'locale'],
      ],
    ])('refuses %s with BAD_USER_INPUT naming each field', async (_case, input, fields) => {
      const response = await (await server.admin()).gql(CREATE_USER, { input });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      const named = response.body.errors?.[0]?.extensions?.fields ?? [];
      expect(named.map((f) => f.field)).toEqual(fields);
      for (const f of named) expect(f.message).toMatch(/\.$/);
    });

    it('refuses a second account with the same email (any case) as CONFLICT', async () => {
      const admin = await server.admin();
      const response = await admin.gql(CREATE_USER, {
        input: { email: server.adminEmail.toUpperCase(), password: 'long-enough-1', role: 'VIEWER' },
      });
      expect(errorCode(response)).toBe('CONFLICT');
      expect(response.body.errors?.[0]?.message).toBe(
        'A user with this email already exists; use another email address.',
      );
    });
  });

  describe('API tokens', () => {
    it('shows the token once, stores only its SHA-256, and lists it without the token', async () => {
      const admin = await server.admin();
      const created = await admin.gql<{
        createApiToken: { token: string; apiToken: { id: string; prefix: string; scopes: string[] } };
      }>(CREATE_TOKEN, { name: 'cms-sender', scopes: ['SEND', 'READ', 'SEND'] });
      const { token, apiToken } = dataOf(created).createApiToken;
      expect(token).toMatch(/^mpt_[A-Za-z0-9_-]{43}$/);
      expect(token.startsWith(apiToken.prefix)).toBe(true);
      expect(apiToken.scopes).toEqual(['SEND', 'READ']);

      const row = await server.db.query<{ token_hash: string; row: string }>(
        'SELECT token_hash, row_to_json(t)::text AS row FROM api_tokens t WHERE id = $1',
        [apiToken.id],
      );
      expect(row.rows[0]?.token_hash).toBe(sha256(token));
      expect(row.rows[0]?.row).not.toContain(token);

      const listed = await admin.gql(
        '{ apiTokens { id name prefix scopes createdAt lastUsedAt revokedAt } }',
      );
      expect(listed.text).toContain(apiToken.id);
      expect(listed.text).not.toContain(token);
      const audit = await server.db.query<{ row: string }>(
        'SELECT row_to_json(a)::text AS row FROM audit_log a',
      );
      for (const entry of audit.rows) expect(entry.row).not.toContain(token);
    });

    it('authenticates with Authorization: Bearer, limited to the token scopes', async () => {
      const reader = await server.tokenAgent(['READ']);
      // A token is not a user: no `me`, and admin-only operations stay closed.
      expect(dataOf(await reader.gql<{ me: unknown }>(ME)).me).toBeNull();
      const users = await reader.gql('{ users { id } }');
      expect(errorCode(users)).toBe('FORBIDDEN');
      expect(users.body.errors?.[0]?.message).toBe('API tokens cannot do this; sign in as an administrator.');
      expect(errorCode(await reader.gql('mutation { setMyLocale(locale: "tr") { id } }'))).toBe('FORBIDDEN');
      const lastUsed = await server.db.query<{ last_used_at: Date | null }>(
        'SELECT last_used_at FROM api_tokens WHERE token_hash = $1',
        [sha256(reader.token)],
      );
      expect(lastUsed.rows[0]?.last_used_at).toBeInstanceOf(Date);
    });

    it.each([
      ['an unknown token', 'mpt_' + 'A'.repeat(43)],
      ['a token without the prefix', 'A'.repeat(47)],
      ['garbage', '%%%'],
    ])('treats %s as no credentials', async (_case, token) => {
      const response = await server.agent().withToken(token).gql('{ users { id } }');
      expect(errorCode(response)).toBe('UNAUTHENTICATED');
    });

    it('a revoked token stops working at once', async () => {
      const admin = await server.admin();
      const created = dataOf(
        await admin.gql<{ createApiToken: { token: string; apiToken: { id: string } } }>(CREATE_TOKEN, {
          name: 'short-lived',
          scopes: ['READ'],
        }),
      ).createApiToken;
      const agent = server.agent().withToken(created.token);
      expect(errorCode(await agent.gql('{ users { id } }'))).toBe('FORBIDDEN');
      const revoked = dataOf(
        await admin.gql<{ revokeApiToken: { revokedAt: string | null } }>(
          'mutation ($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }',
          { id: created.apiToken.id },
        ),
      ).revokeApiToken;
      expect(revoked.revokedAt).not.toBeNull();
      expect(errorCode(await agent.gql('{ users { id } }'))).toBe('UNAUTHENTICATED');
      const unknown = await admin.gql(
        'mutation { revokeApiToken(id: "00000000-0000-0000-0000-000000000000") { id } }',
      );
      expect(errorCode(unknown)).toBe('NOT_FOUND');
    });

    it.each([
      ['an empty name', { name: '  ', scopes: ['READ'] }, ['name']],
      ['a name with a line break', { name: 'a\r\nb', scopes: ['READ'] }, ['name']],
      ['a name over 64 characters', { name: 'n'.repeat(65), scopes: ['READ'] }, ['name']],
      ['no scopes', { name: 'none', scopes: [] }, ['scopes']],
    ])('refuses %s with BAD_USER_INPUT', async (_case, variables, fields) => {
      const response = await (await server.admin()).gql(CREATE_TOKEN, variables);
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect((response.body.errors?.[0]?.extensions?.fields ?? []).map((f) => f.field)).toEqual(fields);
    });

    it('refuses an unknown scope before running anything', async () => {
      const response = await (await server.admin()).gql(CREATE_TOKEN, { name: 'x', scopes: ['EVERYTHING'] });
      expect(response.status).toBe(400);
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(response.text).not.toContain('EVERYTHING');
    });
  });
});
