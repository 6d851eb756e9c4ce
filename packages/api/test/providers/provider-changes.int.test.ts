import { randomBytes } from 'node:crypto';
import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { dataOf, type TestAgent } from '../support/test-agent';
import { startTestServer, testSecret, type TestServer } from '../support/test-server';
import {
  SEND_TEST,
  UPDATE,
  createProvider,
  inputFrom,
  smtpInput,
  type ProviderView,
} from './provider-support';

interface ChainTest {
  ok: boolean;
  deliveredBy: { id: string; name: string } | null;
  failure: { category: string } | null;
}

/**
 * Two API processes behind one load balancer, on one database: a provider added or edited through one is
 * what the other sends with at once, not once the list it cached is a second old.
 */
describe('a provider changed through another API process', () => {
  let editing: TestServer;
  let testing: TestServer;
  let tester: TestAgent;
  let oldRelay: SmtpTestServer;
  let newRelay: SmtpTestServer;
  const password = testSecret('smtp');

  beforeAll(async () => {
    const env = { MODE: 'api', MAILER_SECRET_KEY: randomBytes(32).toString('base64') };
    editing = await startTestServer({ env });
    testing = await startTestServer({ env, databaseUrl: editing.databaseUrl });
    tester = testing.agent();
    dataOf(await tester.login(editing.adminEmail, editing.adminPassword));
    oldRelay = await startSmtpTestServer({ users: { app: password } });
    newRelay = await startSmtpTestServer({ users: { app: password } });
  });

  afterAll(async () => {
    await testing?.close();
    await editing?.close();
    await oldRelay?.close();
    await newRelay?.close();
  });

  const chainTest = async (): Promise<ChainTest> =>
    dataOf(
      await tester.gql<{ sendTestEmail: ChainTest }>(SEND_TEST, {
        to: 'ops@example.org',
        channel: 'DEFAULT',
      }),
    ).sendTestEmail;

  it('sends through a provider the moment the other process added it, and as it was just edited', async () => {
    // The testing process reads (and caches) the providers: there are none yet.
    expect(await chainTest()).toMatchObject({ ok: false, deliveredBy: null });

    const added: ProviderView = await createProvider(
      editing,
      smtpInput(oldRelay, { password, name: 'relay', status: 'ACTIVE' }),
    );
    expect(await chainTest()).toMatchObject({ ok: true, deliveredBy: { id: added.id, name: 'relay' } });
    expect(oldRelay.messages).toHaveLength(1);

    dataOf(
      await editing.gql(UPDATE, {
        id: added.id,
        input: inputFrom(added, { port: newRelay.port, password }),
      }),
    );
    expect(await chainTest()).toMatchObject({ ok: true, deliveredBy: { id: added.id } });
    expect(newRelay.messages).toHaveLength(1);
    expect(oldRelay.messages).toHaveLength(1);
  });
});
