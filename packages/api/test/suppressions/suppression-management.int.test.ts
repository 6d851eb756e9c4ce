import { dataOf, errorCode, type TestAgent } from '../support/test-agent';
import { startTestServer, type TestServer } from '../support/test-server';

const ENTRY = 'email channel source reason deliveryId createdBy createdAt';
const LIST = `query ($first: Int, $after: String, $search: String) {
  suppressions(first: $first, after: $after, search: $search) {
    totalCount nodes { ${ENTRY} } pageInfo { hasNextPage endCursor }
  }
}`;
const ADD = `mutation ($email: String!, $reason: String, $channel: Channel) {
  addSuppression(email: $email, reason: $reason, channel: $channel) { ${ENTRY} }
}`;
const REMOVE = `mutation ($email: String!, $channel: Channel) { removeSuppression(email: $email, channel: $channel) }`;
const IMPORT = `mutation ($csv: String!) {
  importSuppressions(csv: $csv) { added alreadyListed errors { line message } }
}`;
const EXPORT = `{ exportSuppressions }`;
const AUDIT = `{ auditLog(first: 20) { nodes { actor action entityType entityId fields } } }`;

interface Entry {
  email: string;
  channel: string | null;
  source: string;
  reason: string | null;
  deliveryId: string | null;
  createdBy: string | null;
  createdAt: string;
}
interface Page {
  suppressions: {
    totalCount: number;
    nodes: Entry[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

describe('managing the suppression list', () => {
  let server: TestServer;
  let admin: TestAgent;

  beforeAll(async () => {
    server = await startTestServer({ env: { MODE: 'api' } });
    admin = await server.admin();
  });

  afterAll(async () => {
    await server?.close();
  });

  beforeEach(async () => {
    await server.db.query(`DELETE FROM suppressions`);
  });

  async function add(email: string, extra: Record<string, unknown> = {}): Promise<Entry> {
    return dataOf(await admin.gql<{ addSuppression: Entry }>(ADD, { email, ...extra })).addSuppression;
  }

  it('adds an entry for all mail or one channel, by whom and why; a repeated add returns the entry it has', async () => {
    const all = await add(' Ann@Example.com ', { reason: 'asked by phone' });
    expect(all).toMatchObject({
      email: 'ann@example.com',
      channel: null,
      source: 'MANUAL',
      reason: 'asked by phone',
      deliveryId: null,
      createdBy: server.adminEmail,
    });
    const crm = await add('ann@example.com', { channel: 'CRM' });
    expect(crm.channel).toBe('CRM');
    expect(await add('ANN@example.com', { reason: 'again' })).toEqual(all);
    const page = dataOf(await admin.gql<Page>(LIST, {})).suppressions;
    expect(page.totalCount).toBe(2);
  });

  it.each([
    ['not an address', { email: 'ann-at-example.com' }, 'email'],
    ['a display name', { email: 'Ann <ann@example.com>' }, 'email'],
    ['a reason too long', { email: 'ann@example.com', reason: 'x'.repeat(501) }, 'reason'],
  ])('refuses %s, naming the field', async (_case, variables, field) => {
    const response = await admin.gql(ADD, variables);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0]?.extensions?.fields?.map((one) => one.field)).toEqual([field]);
  });

  it('lists newest first in pages and searches by any part of the address', async () => {
    for (const email of ['a1@one.test', 'b2@two.test', 'c3@one.test', 'd4@two.test', 'e5@one.test']) {
      await add(email);
    }
    const first = dataOf(await admin.gql<Page>(LIST, { first: 2 })).suppressions;
    expect(first.nodes.map((node) => node.email)).toEqual(['e5@one.test', 'd4@two.test']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = dataOf(
      await admin.gql<Page>(LIST, { first: 2, after: first.pageInfo.endCursor }),
    ).suppressions;
    expect(second.nodes.map((node) => node.email)).toEqual(['c3@one.test', 'b2@two.test']);
    const found = dataOf(await admin.gql<Page>(LIST, { search: 'ONE.T' })).suppressions;
    expect(found.totalCount).toBe(3);
    expect(found.nodes.map((node) => node.email)).toEqual(['e5@one.test', 'c3@one.test', 'a1@one.test']);
    expect(errorCode(await admin.gql(LIST, { after: 'nonsense' }))).toBe('BAD_USER_INPUT');
  });

  it('removes one channel’s entry or every entry of an address, and audits the removal with the address', async () => {
    await add('ann@example.com');
    await add('ann@example.com', { channel: 'CRM' });
    await add('ann@example.com', { channel: 'DEFAULT' });
    expect(
      dataOf(
        await admin.gql<{ removeSuppression: number }>(REMOVE, { email: 'ann@example.com', channel: 'CRM' }),
      ).removeSuppression,
    ).toBe(1);
    expect(
      dataOf(await admin.gql<{ removeSuppression: number }>(REMOVE, { email: 'ANN@example.com' }))
        .removeSuppression,
    ).toBe(2);
    expect(
      dataOf(await admin.gql<{ removeSuppression: number }>(REMOVE, { email: 'ann@example.com' }))
        .removeSuppression,
    ).toBe(0);
    const audit = dataOf(
      await admin.gql<{
        auditLog: {
          nodes: Array<{ actor: string; action: string; entityId: string | null; fields: string[] }>;
        };
      }>(AUDIT),
    ).auditLog.nodes;
    expect(audit.slice(0, 2)).toEqual([
      expect.objectContaining({
        action: 'suppression.remove',
        entityId: 'ann@example.com',
        fields: ['email'],
      }),
      expect.objectContaining({
        action: 'suppression.remove',
        entityId: 'ann@example.com',
        fields: ['email', 'channel'],
      }),
    ]);
    expect(audit[0]?.actor).toContain(server.adminEmail);
    expect(audit.some((entry) => entry.action === 'suppression.add')).toBe(true);
  });

  it('imports CSV line by line and exports what it imported (round trip)', async () => {
    const csv = [
      'email,channel,source,reason,created_at',
      'ann@example.com,,HARD_BOUNCE,"550 5.1.1 no such user, ""ann""",2026-01-02T03:04:05.000Z',
      'bob@example.com,CRM,COMPLAINT,,2026-01-03T00:00:00.000Z',
      'not-an-address,,,,',
      'carol@example.com,SMS,,,',
      'BOB@example.com,CRM,,,',
      'dave@example.com',
      '',
    ].join('\n');
    const result = dataOf(
      await admin.gql<{ importSuppressions: { added: number; alreadyListed: number; errors: unknown[] } }>(
        IMPORT,
        {
          csv,
        },
      ),
    ).importSuppressions;
    expect(result).toEqual({
      added: 3,
      alreadyListed: 1,
      errors: [
        { line: 4, message: expect.stringContaining('is not an email address') },
        { line: 5, message: expect.stringContaining('Leave channel empty') },
      ],
    });
    const exported = dataOf(await admin.gql<{ exportSuppressions: string }>(EXPORT)).exportSuppressions;
    const lines = exported.trimEnd().split('\n');
    expect(lines[0]).toBe('email,channel,source,reason,created_at');
    // Newest first: the line without a time was added now.
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^dave@example\.com,,IMPORT,,\d{4}-/),
      'bob@example.com,CRM,COMPLAINT,,2026-01-03T00:00:00.000Z',
      'ann@example.com,,HARD_BOUNCE,"550 5.1.1 no such user, ""ann""",2026-01-02T03:04:05.000Z',
    ]);
    // The export imports into an empty list as the same entries.
    await server.db.query(`DELETE FROM suppressions`);
    const again = dataOf(
      await admin.gql<{ importSuppressions: { added: number; errors: unknown[] } }>(IMPORT, {
        csv: exported,
      }),
    ).importSuppressions;
    expect(again).toMatchObject({ added: 3, errors: [] });
    expect(dataOf(await admin.gql<{ exportSuppressions: string }>(EXPORT)).exportSuppressions).toBe(exported);
  });

  it('lets a VIEWER read and export but not add, remove or import', async () => {
    await add('ann@example.com');
    const viewer = await server.userAgent('VIEWER');
    expect(dataOf(await viewer.gql<Page>(LIST, {})).suppressions.totalCount).toBe(1);
    expect(dataOf(await viewer.gql<{ exportSuppressions: string }>(EXPORT)).exportSuppressions).toContain(
      'ann@',
    );
    expect(errorCode(await viewer.gql(ADD, { email: 'bob@example.com' }))).toBe('FORBIDDEN');
    expect(errorCode(await viewer.gql(REMOVE, { email: 'ann@example.com' }))).toBe('FORBIDDEN');
    expect(errorCode(await viewer.gql(IMPORT, { csv: 'bob@example.com' }))).toBe('FORBIDDEN');
    const reader = await server.tokenAgent(['READ']);
    expect(dataOf(await reader.gql<Page>(LIST, {})).suppressions.totalCount).toBe(1);
    expect(errorCode(await reader.gql(ADD, { email: 'bob@example.com' }))).toBe('FORBIDDEN');
    expect(errorCode(await server.gql(LIST, {}, { as: 'anonymous' }))).toBe('UNAUTHENTICATED');
  });
});
