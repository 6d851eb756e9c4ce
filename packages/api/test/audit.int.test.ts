import { AuditService } from '../src/audit/audit.service';
import { dataOf, errorCode } from './support/test-agent';
import { startTestServer, testSecret, type TestServer } from './support/test-server';

interface AuditPage {
  auditLog: {
    totalCount: number;
    nodes: Array<{
      id: string;
      actor: string;
      action: string;
      entityType: string;
      entityId: string | null;
      fields: string[];
    }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const AUDIT = `query ($first: Int, $after: String, $entityId: ID) {
  auditLog(first: $first, after: $after, entityId: $entityId) {
    totalCount
    nodes { id at actor action entityType entityId fields }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('audit log', () => {
  let server: TestServer;
  const passwords: string[] = [];
  const tokens: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const admin = await server.admin();
    for (let i = 0; i < 3; i++) {
      const password = testSecret('user');
      passwords.push(password);
      dataOf(
        await admin.gql('mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }', {
          i: { email: `audited-${i}@example.test`, password, role: 'VIEWER' },
        }),
      );
    }
    const created = dataOf(
      await admin.gql<{ createApiToken: { token: string; apiToken: { id: string } } }>(
        'mutation { createApiToken(name: "audited", scopes: [READ]) { token apiToken { id } } }',
      ),
    ).createApiToken;
    tokens.push(created.token);
    dataOf(
      await admin.gql('mutation ($id: ID!) { revokeApiToken(id: $id) { id } }', { id: created.apiToken.id }),
    );
  });
  afterAll(() => server.close());

  it('records who changed what, with field names only, newest first', async () => {
    const page = dataOf(await server.gql<AuditPage>(AUDIT, { first: 50 })).auditLog;
    const actions = page.nodes.map((n) => n.action);
    expect(actions.slice(0, 5)).toEqual([
      'api-token.revoke',
      'api-token.create',
      'user.create',
      'user.create',
      'user.create',
    ]);
    // The first admin was created by the server itself.
    expect(page.nodes.at(-1)).toMatchObject({ actor: 'system', action: 'user.create', entityType: 'user' });
    const create = page.nodes.find((n) => n.action === 'user.create' && n.actor !== 'system');
    expect(create).toMatchObject({
      actor: `user:${server.adminEmail}`,
      fields: ['email', 'password', 'role', 'locale'],
    });
    const token = page.nodes.find((n) => n.action === 'api-token.create');
    expect(token).toMatchObject({ entityType: 'apiToken', fields: ['name', 'scopes'] });
    expect(page.totalCount).toBe(6);
  });

  it('never holds a password or token value, in the API or in the table', async () => {
    const response = await server.gql(AUDIT, { first: 200 });
    const rows = await server.db.query<{ row: string }>(
      'SELECT row_to_json(a)::text AS row FROM audit_log a',
    );
    for (const secret of [...passwords, ...tokens, server.adminPassword]) {
      expect(response.text).not.toContain(secret);
      for (const row of rows.rows) expect(row.row).not.toContain(secret);
    }
  });

  it('pages with cursors and filters by entity', async () => {
    const first = dataOf(await server.gql<AuditPage>(AUDIT, { first: 4 })).auditLog;
    expect(first.nodes).toHaveLength(4);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = dataOf(
      await server.gql<AuditPage>(AUDIT, { first: 4, after: first.pageInfo.endCursor }),
    ).auditLog;
    expect(second.nodes).toHaveLength(2);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const ids = [...first.nodes, ...second.nodes].map((n) => Number(n.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(6);

    const tokenId = first.nodes.find((n) => n.action === 'api-token.revoke')?.entityId ?? '';
    const filtered = dataOf(await server.gql<AuditPage>(AUDIT, { entityId: tokenId })).auditLog;
    expect(filtered.totalCount).toBe(2);
    expect(filtered.nodes.map((n) => n.action)).toEqual(['api-token.revoke', 'api-token.create']);
  });

  it.each([
    ['a cursor that is not ours', { after: 'bm90LWEtY3Vyc29y' }, 'after'],
    ['a page of 0', { first: 0 }, 'first'],
    ['a page over 200', { first: 201 }, 'first'],
  ])('refuses %s with BAD_USER_INPUT', async (_case, variables, field) => {
    const response = await server.gql(
      'query ($first: Int, $after: String) { auditLog(first: $first, after: $after) { totalCount } }',
      variables,
    );
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0]?.extensions?.fields?.[0]?.field).toBe(field);
  });

  it('is for administrators only', async () => {
    expect(errorCode(await (await server.userAgent('VIEWER')).gql(AUDIT))).toBe('FORBIDDEN');
    expect(errorCode(await (await server.tokenAgent(['READ', 'MANAGE', 'SEND'])).gql(AUDIT))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await server.agent().gql(AUDIT))).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['a value in place of a field name', ['password=hunter2']],
    ['a value with spaces', ['my secret']],
    ['an empty name', ['']],
  ])('refuses to record %s', async (_case, fields) => {
    const audit = server.app.services.get(AuditService);
    await expect(
      audit.record({
        actor: { kind: 'system' },
        action: 'provider.update',
        entityType: 'provider',
        entityId: '1',
        fields,
      }),
    ).rejects.toThrow('Audit fields must be field names, not values.');
  });
});
