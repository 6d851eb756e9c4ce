import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { dataOf, errorCode } from '../support/test-agent';
import { startTestServer, testSecret, type TestServer } from '../support/test-server';
import {
  CREATE,
  GET,
  SEND_TEST,
  SET_STATUS,
  UPDATE,
  VERIFY,
  VERIFY_SETTINGS,
  createProvider,
  fieldsOf,
  inputFrom,
  providerRows,
  smtpInput,
  type ProviderInputValue,
  type ProviderView,
} from './provider-support';

// A relay that needs no login (a local Postfix, a smarthost that trusts this server by its address):
// Username and Password both empty. The relay here is a real SMTP server on loopback that offers no AUTH.

interface VerificationView {
  ok: boolean;
  warnings: string[];
  failure: { category: string; hint: string } | null;
}

const NO_LOGIN_TRIED = /No login was tried/;

let server: TestServer;
let relay: SmtpTestServer;
let loginServer: SmtpTestServer;
let password: string;

beforeAll(async () => {
  server = await startTestServer();
  password = testSecret('relay');
  relay = await startSmtpTestServer();
  loginServer = await startSmtpTestServer({ users: { app: password } });
});

afterAll(async () => {
  await relay?.close();
  await loginServer?.close();
  await server?.close();
});

beforeEach(() => {
  relay.messages.length = 0;
  relay.logins.length = 0;
});

function noLogin(overrides: Partial<ProviderInputValue> = {}): ProviderInputValue {
  return smtpInput(relay, { username: '', password: null, ...overrides });
}

async function read(id: string): Promise<ProviderView> {
  const provider = dataOf(await server.gql<{ provider: ProviderView | null }>(GET, { id })).provider;
  if (!provider) throw new Error(`provider ${id} is gone`);
  return provider;
}

/** The stored (sealed) password of a provider, to see whether it was replaced. */
async function sealedPassword(id: string): Promise<string | undefined> {
  const result = await server.db.query<{ password_ciphertext: string }>(
    'SELECT password_ciphertext FROM providers WHERE id = $1',
    [id],
  );
  return result.rows[0]?.password_ciphertext;
}

async function verify(id: string): Promise<VerificationView> {
  return dataOf(await server.gql<{ verifyProvider: VerificationView }>(VERIFY, { id })).verifyProvider;
}

describe('a relay with no login, over HTTP', () => {
  it('is created, verified (saying no login was tried), activated, and delivers a test email', async () => {
    const created = await createProvider(server, noLogin());
    expect(created).toMatchObject({ username: '', passwordSet: false, status: 'INACTIVE' });

    const verified = await verify(created.id);
    expect(verified).toMatchObject({ ok: true, failure: null });
    expect(verified.warnings).toEqual([expect.stringMatching(NO_LOGIN_TRIED)]);

    const activated = await server.gql<{ setProviderStatus: ProviderView }>(SET_STATUS, {
      id: created.id,
      status: 'ACTIVE',
    });
    expect(dataOf(activated).setProviderStatus.status).toBe('ACTIVE');

    const sent = await server.gql<{ sendTestEmail: { ok: boolean; deliveredBy: { id: string } | null } }>(
      SEND_TEST,
      { to: 'ann@example.com', providerId: created.id },
    );
    expect(dataOf(sent).sendTestEmail).toMatchObject({ ok: true, deliveredBy: { id: created.id } });
    const [received] = await relay.waitForMessages(1);
    expect(received?.rcptTo).toEqual(['ann@example.com']);
    expect(received?.authUser).toBeUndefined();
    expect(relay.logins).toEqual([]);
    expect((await read(created.id)).lastVerification?.warnings).toEqual([
      expect.stringMatching(NO_LOGIN_TRIED),
    ]);
  });

  it('is verified before saving, with the same warning, and an empty password counts as none', async () => {
    const response = await server.gql<{ verifyProviderSettings: VerificationView }>(VERIFY_SETTINGS, {
      input: noLogin({ password: '' }),
    });
    const result = dataOf(response).verifyProviderSettings;
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([expect.stringMatching(NO_LOGIN_TRIED)]);
    expect(relay.messages).toHaveLength(0);
  });

  it('may be plain SMTP toward a LAN address, which the outbound policy still has to allow', async () => {
    const lan = noLogin({ host: '10.0.0.25', port: 25, encryption: 'NONE' });
    const saved = await createProvider(server, lan);
    expect(saved).toMatchObject({ host: '10.0.0.25', encryption: 'NONE', passwordSet: false });

    // The test server allows loopback only: the address is refused before any connection is made.
    const verified = await server.gql(VERIFY_SETTINGS, { input: lan });
    expect(errorCode(verified)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(verified)).toEqual([
      { field: 'input.host', message: expect.stringMatching(/ALLOWED_PROVIDER_HOSTS/) },
    ]);
  });

  it('refuses a password without a username, and a username without a password, at the field', async () => {
    const before = await providerRows(server);
    const cases: Array<[Partial<ProviderInputValue>, string, RegExp]> = [
      [{ username: '', password: testSecret('stray') }, 'input.username', /Username and Password both empty/],
      [{ username: 'app', password: null }, 'input.password', /Username and Password both empty/],
      [
        { username: 'app', password: testSecret('pw'), host: '10.0.0.25', encryption: 'NONE' },
        'input.encryption',
        /only toward localhost/,
      ],
    ];
    for (const [change, field, advice] of cases) {
      const response = await server.gql(CREATE, { input: smtpInput(relay, change) });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(response)).toEqual([{ field, message: expect.stringMatching(advice) }]);
    }
    expect(await providerRows(server)).toEqual(before);
  });

  it('turns a provider with a login into one without: its password is dropped; back again needs one', async () => {
    const created = await createProvider(server, smtpInput(loginServer, { password }));
    expect(created.passwordSet).toBe(true);
    const sealedBefore = await sealedPassword(created.id);

    const cleared = await server.gql<{ updateProvider: ProviderView }>(UPDATE, {
      id: created.id,
      input: inputFrom(created, { username: '', password: null, host: relay.host, port: relay.port }),
    });
    expect(dataOf(cleared).updateProvider).toMatchObject({ username: '', passwordSet: false });
    expect(await sealedPassword(created.id)).not.toEqual(sealedBefore);
    expect((await verify(created.id)).warnings).toEqual([expect.stringMatching(NO_LOGIN_TRIED)]);

    const back = await server.gql(UPDATE, {
      id: created.id,
      input: inputFrom(created, { username: 'app', password: null }),
    });
    expect(errorCode(back)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(back).map((field) => field.field)).toEqual(['input.password']);
  });

  it('sends a provider saved with a password but no username (before the rule) as a relay with no login', async () => {
    const created = await createProvider(server, noLogin({ username: 'app', password: testSecret('old') }));
    // Such rows were accepted before: a password was required even when no username would use it.
    await server.db.query("UPDATE providers SET username = '' WHERE id = $1", [created.id]);

    const provider = await read(created.id);
    expect(provider).toMatchObject({ username: '', passwordSet: false });
    const verified = await verify(created.id);
    expect(verified.ok).toBe(true);
    expect(verified.warnings).toEqual([expect.stringMatching(NO_LOGIN_TRIED)]);
    const sent = await server.gql<{ sendTestEmail: { ok: boolean } }>(SEND_TEST, {
      to: 'bob@example.com',
      providerId: created.id,
    });
    expect(dataOf(sent).sendTestEmail.ok).toBe(true);
    expect(relay.logins).toEqual([]);
  });
});
