import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { dataOf, errorCode } from './support/test-agent';
import { makeDataDir, startTestServer, type TestServer } from './support/test-server';

describe('hardening', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Tight limits so the platform's own small schema can reach them.
    server = await startTestServer({
      env: { GRAPHQL_MAX_DEPTH: '2', GRAPHQL_MAX_COMPLEXITY: '150', BODY_LIMIT: '64kb' },
    });
  });
  afterAll(() => server.close());

  describe('CSRF prevention', () => {
    it.each([
      ['text/plain', 'text/plain'],
      ['a form', 'application/x-www-form-urlencoded'],
      ['multipart', 'multipart/form-data; boundary=x'],
    ])('refuses a simple POST (%s) that a foreign page could send', async (_case, contentType) => {
      const admin = await server.admin();
      const response = await admin.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: JSON.stringify({ query: 'mutation { logout }' }),
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/apollo-require-preflight/);
      // The session survived: the mutation never ran.
      expect(dataOf(await admin.gql<{ me: { email: string } }>('{ me { email } }')).me.email).toBe(
        server.adminEmail,
      );
    });

    it('refuses a GET query without a preflight header and allows it with one', async () => {
      const url = `/graphql?query=${encodeURIComponent('{ me { id } }')}`;
      const agent = server.agent();
      expect((await agent.fetch(url)).status).toBe(400);
      const allowed = await agent.fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
      expect(allowed.status).toBe(200);
      expect(await allowed.json()).toEqual({ data: { me: null } });
    });

    it('refuses a mutation over GET even with the header', async () => {
      const response = await server
        .agent()
        .fetch(`/graphql?query=${encodeURIComponent('mutation { logout }')}`, {
          headers: { 'apollo-require-preflight': 'true' },
        });
      expect(response.status).toBe(405);
    });
  });

  describe('depth and complexity limits', () => {
    it('allows what is within GRAPHQL_MAX_DEPTH and refuses what goes deeper, fragments included', async () => {
      expect((await server.gql('{ me { id } auditLog { totalCount } }')).body.errors).toBeUndefined();
      for (const query of [
        '{ auditLog { nodes { id } } }',
        '{ auditLog { ...Page } } fragment Page on AuditEntryConnection { pageInfo { hasNextPage } }',
        '{ auditLog { ... on AuditEntryConnection { nodes { id } } } }',
      ]) {
        const response = await server.gql(query);
        expect(response.status).toBe(400);
        expect(errorCode(response)).toBe('BAD_USER_INPUT');
        expect(response.body.errors?.[0]?.message).toBe(
          'The operation is nested more than 2 levels deep; ask for less nested data.',
        );
        expect(response.body.data ?? null).toBeNull();
      }
    });

    it('refuses an operation over GRAPHQL_MAX_COMPLEXITY, counting page sizes from variables too', async () => {
      expect((await server.gql('{ auditLog(first: 100) { totalCount } }')).body.errors).toBeUndefined();
      const literal = await server.gql('{ auditLog(first: 200) { totalCount } }');
      const viaVariable = await server.gql('query ($n: Int!) { auditLog(first: $n) { totalCount } }', {
        n: 200,
      });
      for (const response of [literal, viaVariable]) {
        expect(response.status).toBe(400);
        expect(errorCode(response)).toBe('BAD_USER_INPUT');
        expect(response.body.errors?.[0]?.extensions?.reason).toBe('QUERY_TOO_COMPLEX');
        expect(response.body.errors?.[0]?.message).toMatch(
          /^The operation is too expensive \(cost \d+, limit 150\)/,
        );
        expect(response.body.errors?.[0]?.extensions).not.toHaveProperty('http');
      }
      // The same text again and again (one parsed document on the server): each page size still counts.
      const paged = 'query ($n: Int!) { auditLog(first: $n) { totalCount } }';
      for (const [n, refused] of [
        [100, false],
        [200, true],
        [100, false],
        [200, true],
      ] as const) {
        const response = await server.gql(paged, { n });
        expect(response.body.errors?.[0]?.extensions?.reason).toBe(refused ? 'QUERY_TOO_COMPLEX' : undefined);
      }
      const aliases = Array.from({ length: 160 }, (_, i) => `m${i}: me { id }`).join(' ');
      expect(errorCode(await server.gql(`{ ${aliases} }`))).toBe('BAD_USER_INPUT');
    });
  });

  describe('request bodies', () => {
    it('answers a body over BODY_LIMIT with 413 in GraphQL error shape, not 500', async () => {
      const huge = JSON.stringify({ query: '{ me { id } }', variables: { padding: 'x'.repeat(100 * 1024) } });
      const response = await server.agent().fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: huge,
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: 'The request body is larger than 64kb; send less data.',
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
    });

    it('answers broken JSON with 400', async () => {
      const response = await server.agent().fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query": "{ me { id } }"',
      });
      expect(response.status).toBe(400);
      const body: unknown = await response.json();
      expect(body).toEqual({
        errors: [
          {
            message: 'The request body is not valid JSON; fix it and send again.',
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
    });

    it('reads a gzip-compressed JSON body', async () => {
      const response = await server.agent().fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify({ query: '{ me { id } }' })),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { me: null } });
    });

    it.each(['/graphql/', '/GraphQL'])('serves GraphQL at %s too', async (path) => {
      const response = await server.agent().fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { me: null } });
    });

    it.each([
      ['a syntax error', { query: '{ me { id ' }],
      ['an unknown field', { query: '{ nope }' }],
      ['a missing query', { variables: {} }],
      ['a query that is not a string', { query: 42 }],
      ['variables that are not an object', { query: '{ me { id } }', variables: 'x' }],
    ])('answers %s with 400 and BAD_USER_INPUT', async (_case, payload) => {
      const response = await server.agent().fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
      expect(body.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
    });

    it('does not echo a mistyped variable value back in the error', async () => {
      const secret = 987654321;
      const response = await server.gql(
        'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { id } }',
        { e: 'a@example.test', p: secret },
        { as: 'anonymous' },
      );
      expect(response.status).toBe(400);
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(response.body.errors?.[0]?.message).toBe(
        'Variable "$p" has a value of the wrong type; check it against the schema.',
      );
      expect(response.text).not.toContain(String(secret));
    });
  });

  describe('responses', () => {
    it('sets security headers on the API and the panel', async () => {
      for (const url of ['/healthz', '/graphql', '/']) {
        const response = await server.agent().fetch(url);
        expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
        expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('x-frame-options')).toBe('DENY');
        expect(response.headers.get('referrer-policy')).toBe('no-referrer');
        expect(response.headers.get('x-powered-by')).toBeNull();
      }
    });

    it('answers unknown addresses with 404 in GraphQL error shape', async () => {
      const response = await server
        .agent()
        .fetch('/nothing/here', { headers: { accept: 'application/json' } });
      expect(response.status).toBe(404);
      expect(
        ((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions
          .code,
      ).toBe('NOT_FOUND');
    });

    it('serves Prometheus metrics', async () => {
      const response = await fetch(`${server.url}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain('http_requests_total');
      expect(text).toContain('process_cpu_seconds_total');
    });

    it('logs and counts a GraphQL request under the path it was sent to, without the query string', async () => {
      const query = encodeURIComponent('{ me { id } }');
      const response = await server
        .agent()
        .fetch(`/graphql?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(response.status).toBe(200);
      // Answered after the GraphQL request has finished, so its log line is written by then.
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/^http_requests_total\{method="GET",route="\/graphql",status="200"\} [1-9]/m);
      const entries = server.logs.map((line): unknown => JSON.parse(line));
      expect(entries).toContainEqual(
        expect.objectContaining({
          msg: 'request',
          reqId: response.headers.get('x-request-id'),
          method: 'GET',
          path: '/graphql',
          status: 200,
        }),
      );
      expect(server.logs.join('\n')).not.toContain(query);
    });
  });
});

describe('production mode', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => server.close());

  it('turns introspection off', async () => {
    const response = await server.gql('{ __schema { types { name } } }');
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.text).not.toContain('"types"');
    expect(response.text).not.toContain('AuditEntry');
  });

  it('gives no "did you mean" hints about the schema', async () => {
    const response = await server.gql('{ mee { id } }');
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.text).not.toMatch(/Did you mean|Perhaps you meant/);
  });

  it('marks the session cookie Secure', async () => {
    const agent = server.agent();
    dataOf(await agent.login(server.adminEmail, server.adminPassword));
    expect(agent.lastSetCookies.find((line) => line.startsWith('mp_session='))).toMatch(/;\s*Secure/i);
  });

  it('answers an unexpected failure with a generic INTERNAL_SERVER_ERROR, no stack, and logs it', async () => {
    // A real fault: the audit table disappears under the running server.
    await server.db.query('ALTER TABLE audit_log RENAME TO audit_log_gone');
    try {
      const response = await server.gql('{ auditLog { totalCount } }');
      expect(response.status).toBe(200);
      expect(response.body.errors).toEqual([
        {
          message:
            'Something went wrong on the server and it was logged; try again, and tell the operator if it keeps happening.',
          path: ['auditLog'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
      expect(response.text).not.toMatch(/audit_log|relation|QueryFailedError|at .*\.ts/);
      const logged = server.logs.filter((line) =>
        line.includes('unexpected error while handling a GraphQL request'),
      );
      expect(logged.length).toBeGreaterThan(0);
      expect(logged.join('\n')).toContain('audit_log');
    } finally {
      await server.db.query('ALTER TABLE audit_log_gone RENAME TO audit_log');
    }
  });
});

describe('the session cookie and HSTS, by COOKIE_SECURE and TRUST_PROXY', () => {
  const settings: Record<string, Record<string, string>> = {
    'auto, no proxy trusted': {},
    'auto, loopback trusted': { TRUST_PROXY: 'loopback' },
    'never, loopback trusted': { COOKIE_SECURE: 'never', TRUST_PROXY: 'loopback' },
    'always, no proxy trusted': { COOKIE_SECURE: 'always' },
  };
  const servers = new Map<string, TestServer>();
  beforeAll(async () => {
    for (const [name, env] of Object.entries(settings)) servers.set(name, await startTestServer({ env }));
  });
  afterAll(async () => {
    for (const server of servers.values()) await server.close();
  });

  it.each([
    // settings, X-Forwarded-Proto sent by the peer, Secure cookie, HSTS
    ['auto, no proxy trusted', undefined, false, false],
    ['auto, no proxy trusted', 'https', false, false],
    ['auto, loopback trusted', undefined, false, false],
    ['auto, loopback trusted', 'http', false, false],
    ['auto, loopback trusted', 'https', true, true],
    ['never, loopback trusted', 'https', false, true],
    ['always, no proxy trusted', undefined, true, false],
    ['always, no proxy trusted', 'https', true, false],
  ] as const)('%s, X-Forwarded-Proto %s: Secure %s, HSTS %s', async (name, proto, secure, hsts) => {
    const server = servers.get(name);
    if (!server) throw new Error(`no server for ${name}`);
    const agent = server.agent();
    const response = await agent.gql(
      'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { id } }',
      { e: server.adminEmail, p: server.adminPassword },
      { headers: proto ? { 'x-forwarded-proto': proto } : {} },
    );
    dataOf(response);
    const cookie = agent.lastSetCookies.find((line) => line.startsWith('mp_session='));
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(/;\s*Secure/i.test(cookie ?? '')).toBe(secure);
    expect(response.headers.get('strict-transport-security')).toBe(hsts ? 'max-age=31536000' : null);
  });
});

describe('serving the admin panel', () => {
  let server: TestServer;
  let dist: string;
  beforeAll(async () => {
    dist = await makeDataDir();
    await mkdir(path.join(dist, 'assets'));
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><div id="app">panel</div>');
    await writeFile(path.join(dist, 'assets', 'main-abc123.js'), 'console.log("panel")');
    server = await startTestServer({ env: { ADMIN_DIST_DIR: dist } });
  });
  afterAll(async () => {
    await server.close();
    await rm(dist, { recursive: true, force: true });
  });

  it('serves index.html at / and for the panel routes (SPA fallback)', async () => {
    for (const route of ['/', '/providers', '/providers/42/edit', '/deliveries?status=FAILED']) {
      const response = await fetch(`${server.url}${route}`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('panel');
    }
  });

  it('serves hashed assets with a long cache', async () => {
    const response = await fetch(`${server.url}/assets/main-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('keeps API paths and missing assets out of the fallback', async () => {
    const missing = await fetch(`${server.url}/assets/missing.js`, { headers: { accept: '*/*' } });
    expect(missing.status).toBe(404);
    const graphql = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await graphql.text()).not.toContain('panel');
    const health = await fetch(`${server.url}/healthz`, { headers: { accept: 'text/html' } });
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('without a build, / says how to make one', async () => {
    const bare = await startTestServer();
    try {
      const response = await fetch(`${bare.url}/`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('The admin panel is not built yet');
    } finally {
      await bare.close();
    }
  });
});
