import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { dataOf, errorCode, type TestAgent } from './support/test-agent';
import { startTestServer, testSecret, type TestServer } from './support/test-server';
import { createProvider, SEND_TEST, smtpInput } from './providers/provider-support';

type Caller = 'ADMIN session' | 'VIEWER session' | 'SEND token' | 'READ token' | 'MANAGE token';
type Route = 'active provider' | 'inactive provider' | 'chain';

/**
 * Who may send a test email which way: one provider (active or not) is part of managing providers; the
 * chain, which holds active providers only, is what senders use.
 */
const RULES: Array<[Caller, Route, boolean]> = [
  ['ADMIN session', 'active provider', true],
  ['ADMIN session', 'inactive provider', true],
  ['ADMIN session', 'chain', true],
  ['VIEWER session', 'active provider', false],
  ['VIEWER session', 'inactive provider', false],
  ['VIEWER session', 'chain', false],
  ['SEND token', 'active provider', false],
  ['SEND token', 'inactive provider', false],
  ['SEND token', 'chain', true],
  ['READ token', 'active provider', false],
  ['READ token', 'inactive provider', false],
  ['READ token', 'chain', false],
  ['MANAGE token', 'active provider', true],
  ['MANAGE token', 'inactive provider', true],
  ['MANAGE token', 'chain', true],
];

let server: TestServer;
let activeSmtp: SmtpTestServer;
let inactiveSmtp: SmtpTestServer;
let activeId: string;
let inactiveId: string;
const callers = new Map<Caller, TestAgent>();

beforeAll(async () => {
  server = await startTestServer();
  const password = testSecret('smtp');
  activeSmtp = await startSmtpTestServer({ users: { app: password } });
  inactiveSmtp = await startSmtpTestServer({ users: { app: password } });
  // Saved as active, it is verified in the same request.
  const active = await createProvider(
    server,
    smtpInput(activeSmtp, { password, name: 'live-relay', status: 'ACTIVE' }),
  );
  const inactive = await createProvider(server, smtpInput(inactiveSmtp, { password, name: 'parked-relay' }));
  activeId = active.id;
  inactiveId = inactive.id;
  callers.set('ADMIN session', await server.admin());
  callers.set('VIEWER session', await server.userAgent('VIEWER'));
  callers.set('SEND token', await server.tokenAgent(['SEND']));
  callers.set('READ token', await server.tokenAgent(['READ']));
  callers.set('MANAGE token', await server.tokenAgent(['MANAGE']));
});

afterAll(async () => {
  await activeSmtp?.close();
  await inactiveSmtp?.close();
  await server?.close();
});

/** Each provider's kept test email result, as stored. */
async function lastTestEmails(): Promise<Record<string, unknown>> {
  const result = await server.db.query<{ id: string; last_test_email: unknown }>(
    'SELECT id, last_test_email FROM providers',
  );
  return Object.fromEntries(result.rows.map((row) => [row.id, row.last_test_email]));
}

function variablesFor(route: Route): Record<string, unknown> {
  const to = 'ops@example.org';
  switch (route) {
    case 'active provider':
      return { to, providerId: activeId };
    case 'inactive provider':
      return { to, providerId: inactiveId };
    case 'chain':
      return { to };
  }
}

it.each(RULES)('%s, through the %s: allowed = %s', async (caller, route, allowed) => {
  const agent = callers.get(caller);
  if (!agent) throw new Error(`no agent for ${caller}`);
  const keptBefore = await lastTestEmails();
  const sentBefore = { active: activeSmtp.messages.length, inactive: inactiveSmtp.messages.length };

  const response = await agent.gql<{ sendTestEmail: { ok: boolean; deliveredBy: { id: string } | null } }>(
    SEND_TEST,
    variablesFor(route),
  );

  const keptAfter = await lastTestEmails();
  const sent = {
    active: activeSmtp.messages.length - sentBefore.active,
    inactive: inactiveSmtp.messages.length - sentBefore.inactive,
  };
  if (!allowed) {
    expect(errorCode(response)).toBe('FORBIDDEN');
    expect(response.body.errors?.[0]?.message).toMatch(/\.$/);
    expect(keptAfter).toEqual(keptBefore);
    expect(sent).toEqual({ active: 0, inactive: 0 });
    return;
  }
  const result = dataOf(response).sendTestEmail;
  expect(result.ok).toBe(true);
  // The chain skips the inactive provider; one provider is tried alone, active or not.
  const through = route === 'inactive provider' ? inactiveId : activeId;
  expect(result.deliveredBy?.id).toBe(through);
  expect(sent).toEqual(through === activeId ? { active: 1, inactive: 0 } : { active: 0, inactive: 1 });
  // The test is kept on the provider it went through, alone or as the one of the chain that delivered.
  const changed = Object.keys(keptAfter).filter(
    (id) => JSON.stringify(keptAfter[id]) !== JSON.stringify(keptBefore[id]),
  );
  expect(changed).toEqual([through]);
});
