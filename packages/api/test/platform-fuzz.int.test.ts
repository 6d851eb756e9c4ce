import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { dataOf, type GqlResponse } from './support/test-agent';
import { startTestServer, type TestServer } from './support/test-server';

const ALLOWED_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'CONFLICT',
  'RATE_LIMITED',
  'NOT_FOUND',
]);

/** Never a 5xx, always JSON, every error a known client-facing code. */
function expectHandled(response: GqlResponse<unknown>): void {
  expect([200, 400]).toContain(response.status);
  for (const error of response.body.errors ?? []) {
    expect(ALLOWED_CODES).toContain(error.extensions?.code);
    expect(error.message).toMatch(/[.?]$/);
    expect(error.extensions).not.toHaveProperty('stacktrace');
  }
}

/** Strings that tend to break things: unicode, control characters, SQL and markup, very long runs. */
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom(
    "' OR 1=1 --",
    'a\u0000b',
    '\r\nBcc: x@example.test',
    '<script>alert(1)</script>',
    '%00',
    '𝔘𝔫𝔦',
  ),
  fc.string({ minLength: 300, maxLength: 3000 }),
);

/** Values of any JSON type, for variables whose declared type is String or a list of enums. */
const anyJson = fc.jsonValue({ maxDepth: 3 });

describe('fuzzing the platform mutations', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000', LOGIN_MAX_FAILURES_PER_IP: '100000', LOG_LEVEL: 'warn' },
    });
  });
  afterAll(() => server.close());

  it('login: arbitrary emails and passwords, of any type, never crash the server', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(nasty, anyJson), fc.oneof(nasty, anyJson), async (email, password) => {
        const response = await server.gql(
          'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { id } }',
          { e: email, p: password },
          { as: 'anonymous' },
        );
        expectHandled(response);
        expect(response.body.data?.login ?? null).toBeNull();
      }),
      { numRuns: 60 },
    );
  });

  it('createUser: arbitrary input objects never crash the server or create a bad user', async () => {
    const admin = await server.admin();
    const input = fc.record(
      {
        email: fc.oneof(nasty, anyJson, fc.emailAddress()),
        password: fc.oneof(nasty, anyJson),
        role: fc.oneof(fc.constantFrom('ADMIN', 'VIEWER', 'ROOT', ''), anyJson),
        locale: fc.oneof(fc.constantFrom('en', 'tr', 'de', null), anyJson),
        extra: anyJson,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(input, async (candidate) => {
        const response = await admin.gql(
          'mutation ($i: CreateUserInput!) { createUser(input: $i) { id email role locale } }',
          { i: candidate },
        );
        expectHandled(response);
      }),
      { numRuns: 80 },
    );
    // Whatever got in obeys the table's rules.
    const users = await server.db.query<{
      email: string;
      role: string;
      locale: string;
      password_hash: string;
    }>('SELECT email, role, locale, password_hash FROM users');
    for (const user of users.rows) {
      expect(user.email).toBe(user.email.toLowerCase());
      expect(user.email).toMatch(/^[^\s@]+@[^\s@]+$/);
      expect(['ADMIN', 'VIEWER']).toContain(user.role);
      expect(['en', 'tr']).toContain(user.locale);
      expect(user.password_hash).toMatch(/^\$argon2id\$/);
    }
  });

  it('createApiToken: arbitrary names and scopes never crash the server', async () => {
    const admin = await server.admin();
    const scopes = fc.oneof(
      fc.array(fc.constantFrom('SEND', 'READ', 'MANAGE', 'ALL', ''), { maxLength: 6 }),
      anyJson,
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(nasty, anyJson), scopes, async (name, scopeList) => {
        const response = await admin.gql(
          'mutation ($n: String!, $s: [ApiTokenScope!]!) { createApiToken(name: $n, scopes: $s) { token apiToken { name } } }',
          { n: name, s: scopeList },
        );
        expectHandled(response);
      }),
      { numRuns: 80 },
    );
    const tokens = await server.db.query<{ name: string; scopes: string[] }>(
      'SELECT name, scopes FROM api_tokens',
    );
    for (const token of tokens.rows) {
      expect(token.name.length).toBeGreaterThanOrEqual(1);
      expect(token.name.length).toBeLessThanOrEqual(64);
      expect(token.name).not.toMatch(/\p{Cc}/u);
      expect(token.scopes.length).toBeGreaterThan(0);
    }
  });

  it('revokeApiToken and auditLog: arbitrary ids, cursors and page sizes never crash the server', async () => {
    const admin = await server.admin();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(nasty, anyJson, fc.uuid()),
        fc.oneof(nasty, anyJson, fc.integer()),
        fc.oneof(nasty, anyJson),
        async (id, first, after) => {
          expectHandled(await admin.gql('mutation ($id: ID!) { revokeApiToken(id: $id) { id } }', { id }));
          expectHandled(
            await admin.gql(
              'query ($f: Int, $a: String, $e: ID) { auditLog(first: $f, after: $a, entityId: $e) { totalCount } }',
              { f: first, a: after, e: id },
            ),
          );
        },
      ),
      { numRuns: 80 },
    );
  });

  it('refuses NUL characters anywhere in a request up front, each time it is sent', async () => {
    const literal = '{ auditLog(entityId: "a\\u0000b") { totalCount } }';
    const withVariable = 'query ($e: ID) { auditLog(entityId: $e) { totalCount } }';
    const first = await server.gql(literal);
    const again = await server.gql(literal);
    const clean = await server.gql(withVariable, { e: randomUUID() });
    const nulInVariable = await server.gql(withVariable, { e: 'a\u0000b' });
    expect(clean.body.errors).toBeUndefined();
    for (const response of [first, again, nulInVariable]) {
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.extensions?.reason).toBe('NUL_CHARACTER');
    }
  });

  it('is still healthy afterwards', async () => {
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect(dataOf(await server.agent().login(server.adminEmail, server.adminPassword)).login.email).toBe(
      server.adminEmail,
    );
    expect(server.logs.filter((line) => line.includes('unexpected error'))).toEqual([]);
  });
});
