import { errorCode } from './support/test-agent';
import { startTestServer, type TestServer } from './support/test-server';
import type { TestAgent } from './support/test-agent';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

/** One operation per permission, each harmless when allowed (it reads, or finds nothing to change). */
const OPERATIONS = {
  READ: '{ providers { id } deliveryChain { channel } }',
  MANAGE: `mutation { deleteProvider(id: "${NO_SUCH_ID}") }`,
  SEND: `mutation { retryDelivery(id: "${NO_SUCH_ID}") { id } }`,
  ADMIN: '{ users { id } }',
} as const;

type Permission = keyof typeof OPERATIONS;
type Caller =
  'ADMIN session' | 'VIEWER session' | 'READ token' | 'SEND token' | 'MANAGE token' | 'READ+SEND token';

/** The authChecker's rules as a table: who may do what. */
const RULES: Array<[Caller, Permission, boolean]> = [
  ['ADMIN session', 'READ', true],
  ['ADMIN session', 'MANAGE', true],
  ['ADMIN session', 'SEND', true],
  ['ADMIN session', 'ADMIN', true],
  ['VIEWER session', 'READ', true],
  ['VIEWER session', 'MANAGE', false],
  ['VIEWER session', 'SEND', false],
  ['VIEWER session', 'ADMIN', false],
  ['READ token', 'READ', true],
  ['READ token', 'MANAGE', false],
  ['READ token', 'SEND', false],
  ['READ token', 'ADMIN', false],
  ['SEND token', 'READ', false],
  ['SEND token', 'MANAGE', false],
  ['SEND token', 'SEND', true],
  ['MANAGE token', 'MANAGE', true],
  ['MANAGE token', 'SEND', false],
  ['MANAGE token', 'ADMIN', false],
  ['READ+SEND token', 'READ', true],
  ['READ+SEND token', 'SEND', true],
  ['READ+SEND token', 'MANAGE', false],
];

describe('permissions over HTTP', () => {
  let server: TestServer;
  const callers = new Map<Caller, TestAgent>();

  beforeAll(async () => {
    server = await startTestServer();
    callers.set('ADMIN session', await server.admin());
    callers.set('VIEWER session', await server.userAgent('VIEWER'));
    callers.set('READ token', await server.tokenAgent(['READ']));
    callers.set('SEND token', await server.tokenAgent(['SEND']));
    callers.set('MANAGE token', await server.tokenAgent(['MANAGE']));
    callers.set('READ+SEND token', await server.tokenAgent(['READ', 'SEND']));
  });
  afterAll(() => server.close());

  it.each(RULES)('%s doing a %s operation: allowed = %s', async (caller, permission, allowed) => {
    const agent = callers.get(caller);
    if (!agent) throw new Error(`no agent for ${caller}`);
    const response = await agent.gql(OPERATIONS[permission]);
    const code = errorCode(response);
    if (allowed) {
      expect(['FORBIDDEN', 'UNAUTHENTICATED']).not.toContain(code);
    } else {
      expect(code).toBe('FORBIDDEN');
      expect(response.body.errors?.[0]?.message).toMatch(/\.$/);
    }
  });

  it.each(Object.entries(OPERATIONS))(
    'without credentials, a %s operation is UNAUTHENTICATED',
    async (_p, query) => {
      expect(errorCode(await server.agent().gql(query))).toBe('UNAUTHENTICATED');
    },
  );
});
