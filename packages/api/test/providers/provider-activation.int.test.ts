import { randomUUID } from 'node:crypto';
import {
  startSmtpTestServer,
  startVendorEmulator,
  type SmtpTestServer,
  type VendorEmulator,
} from '@mail-providers/mailer-core/test-support';
import { dataOf, errorCode, type GqlResponse } from '../support/test-agent';
import { startTestServer, testSecret, type TestServer } from '../support/test-server';
import {
  CREATE,
  GET,
  SEND_TEST,
  SET_STATUS,
  UPDATE,
  VERIFY,
  VERIFY_SETTINGS,
  apiInput,
  createProvider,
  inputFrom,
  providerRows,
  smtpInput,
  type ProviderInputValue,
  type ProviderView,
} from './provider-support';

interface VerificationView {
  ok: boolean;
  checkedAt: string;
  durationMs: number;
  warnings: string[];
  failure: { category: string; smtpCode: number | null; message: string; hint: string } | null;
}

let server: TestServer;
let smtp: SmtpTestServer;
let other: SmtpTestServer;
let emulator: VendorEmulator;
let password: string;
let otherPassword: string;

beforeAll(async () => {
  server = await startTestServer();
  password = testSecret('smtp');
  otherPassword = testSecret('other');
  smtp = await startSmtpTestServer({ users: { app: password, second: otherPassword } });
  other = await startSmtpTestServer({ users: { app: password } });
  emulator = await startVendorEmulator();
});

afterAll(async () => {
  await smtp?.close();
  await other?.close();
  await emulator?.close();
  await server?.close();
});

afterEach(() => {
  smtp.reset();
});

function failureOf(response: GqlResponse<unknown>): Record<string, unknown> | null | undefined {
  const failure = response.body.errors?.[0]?.extensions?.failure;
  return failure === null ? null : (failure as Record<string, unknown> | undefined);
}

async function read(id: string): Promise<ProviderView> {
  const provider = dataOf(await server.gql<{ provider: ProviderView | null }>(GET, { id })).provider;
  if (!provider) throw new Error(`provider ${id} is gone`);
  return provider;
}

async function verify(id: string): Promise<VerificationView> {
  return dataOf(await server.gql<{ verifyProvider: VerificationView }>(VERIFY, { id })).verifyProvider;
}

describe('creating an ACTIVE provider verifies it in the same request', () => {
  it('saves it active and verified when the server accepts the login', async () => {
    const created = await createProvider(server, smtpInput(smtp, { password, status: 'ACTIVE' }));
    expect(created.status).toBe('ACTIVE');
    expect(created.verifiedAt).not.toBeNull();
    expect(created.lastVerification).toMatchObject({ ok: true, failure: null });
    expect(smtp.messages).toHaveLength(0);
  });

  it.each([
    { case: 'a wrong password', input: () => ({ password: testSecret('wrong') }), category: 'AUTH' },
    { case: 'a server that refuses the login', input: () => ({ password }), script: true, category: 'AUTH' },
    { case: 'nothing listening', input: () => ({ password, port: 1 }), category: 'CONNECTION' },
  ])('refuses $case with PROVIDER_NOT_VERIFIED and saves nothing', async ({ input, script, category }) => {
    if (script) smtp.fail({ auth: { code: 535, message: '5.7.8 Error: authentication failed' } });
    const before = await providerRows(server);
    const response = await server.gql(CREATE, { input: smtpInput(smtp, { ...input(), status: 'ACTIVE' }) });
    expect(errorCode(response)).toBe('PROVIDER_NOT_VERIFIED');
    expect(response.body.errors?.[0]?.message).toMatch(/Nothing was saved/);
    expect(failureOf(response)).toMatchObject({ category, hint: expect.stringMatching(/\w{5,}/) });
    expect(await providerRows(server)).toEqual(before);
  });

  it('gives the hint in the caller’s language', async () => {
    // A session reads in its user's language (English here); a token caller in its Accept-Language.
    const english = await server.gql(CREATE, {
      input: smtpInput(smtp, { password: testSecret('wrong'), status: 'ACTIVE' }),
    });
    const token = await server.tokenAgent(['MANAGE']);
    const turkish = await server.gql(
      CREATE,
      { input: smtpInput(smtp, { password: testSecret('wrong'), status: 'ACTIVE' }) },
      { as: token, headers: { 'accept-language': 'tr-TR' } },
    );
    expect(errorCode(english)).toBe('PROVIDER_NOT_VERIFIED');
    expect(errorCode(turkish)).toBe('PROVIDER_NOT_VERIFIED');
    expect(failureOf(english)?.category).toBe('AUTH');
    expect(failureOf(turkish)?.category).toBe('AUTH');
    expect(failureOf(turkish)?.hint).not.toEqual(failureOf(english)?.hint);
    expect(String(failureOf(turkish)?.hint)).toMatch(/[çğıöşüÇĞİÖŞÜ]/);
  });
});

describe('setProviderStatus', () => {
  it('verifies an unverified provider first, keeps the result, and activates it', async () => {
    const created = await createProvider(server, smtpInput(smtp, { password }));
    expect(created.verifiedAt).toBeNull();
    const loginsBefore = smtp.logins.length;
    const active = dataOf(
      await server.gql<{ setProviderStatus: ProviderView }>(SET_STATUS, { id: created.id, status: 'ACTIVE' }),
    ).setProviderStatus;
    expect(active).toMatchObject({ status: 'ACTIVE', lastVerification: { ok: true, failure: null } });
    expect(active.verifiedAt).not.toBeNull();
    expect(smtp.logins.length).toBeGreaterThan(loginsBefore);
    expect(smtp.messages).toHaveLength(0);
    const { rows } = await server.db.query<{ action: string; fields: string[] }>(
      'SELECT action, fields FROM audit_log WHERE entity_id = $1 ORDER BY id',
      [created.id],
    );
    expect(rows.map((row) => row.action)).toEqual(['provider.create', 'provider.verify', 'provider.status']);
  });

  it.each([
    {
      case: 'a wrong password',
      input: () => ({ password: testSecret('wrong') }),
      category: 'AUTH',
      words: 'authentication failure',
    },
    {
      case: 'a server that refuses the login',
      input: () => ({ password }),
      script: true,
      category: 'AUTH',
      words: 'authentication failure',
    },
    {
      case: 'nothing listening',
      input: () => ({ password, port: 1 }),
      category: 'CONNECTION',
      words: 'connection failure',
    },
  ])(
    'leaves it inactive with the check’s error on $case, the result kept on it',
    async ({ input, script, category, words }) => {
      const created = await createProvider(server, smtpInput(smtp, input()));
      if (script) smtp.fail({ auth: { code: 535, message: '5.7.8 Error: authentication failed' } });
      const response = await server.gql(SET_STATUS, { id: created.id, status: 'ACTIVE' });
      // As when saving an active provider fails its check: the code, the reason, the failure with its hint.
      expect(errorCode(response)).toBe('PROVIDER_NOT_VERIFIED');
      expect(response.body.errors?.[0]?.message).toMatch(
        new RegExp(`^The connection check failed \\(${words}\\): .+\\. The provider stays inactive`),
      );
      expect(failureOf(response)).toMatchObject({ category, hint: expect.stringMatching(/\w{5,}/) });
      const after = await read(created.id);
      expect(after).toMatchObject({ status: 'INACTIVE', verifiedAt: null });
      expect(after.lastVerification).toMatchObject({ ok: false, failure: { category } });
    },
  );

  it('gives the failure’s hint in the caller’s language', async () => {
    const created = await createProvider(server, smtpInput(smtp, { password: testSecret('wrong') }));
    const token = await server.tokenAgent(['MANAGE']);
    const english = await server.gql(SET_STATUS, { id: created.id, status: 'ACTIVE' });
    const turkish = await server.gql(
      SET_STATUS,
      { id: created.id, status: 'ACTIVE' },
      { as: token, headers: { 'accept-language': 'tr-TR' } },
    );
    expect(errorCode(turkish)).toBe('PROVIDER_NOT_VERIFIED');
    expect(failureOf(turkish)?.hint).not.toEqual(failureOf(english)?.hint);
    expect(String(failureOf(turkish)?.hint)).toMatch(/[çğıöşüÇĞİÖŞÜ]/);
  });

  it('connects nowhere when the provider is verified already, and deactivates at any time', async () => {
    const created = await createProvider(server, smtpInput(smtp, { password }));
    const result = await verify(created.id);
    expect(result).toMatchObject({ ok: true, failure: null, warnings: [] });
    const verified = await read(created.id);
    expect(verified.verifiedAt).toBe(result.checkedAt);

    const loginsBefore = smtp.logins.length;
    const active = dataOf(
      await server.gql<{ setProviderStatus: ProviderView }>(SET_STATUS, { id: created.id, status: 'ACTIVE' }),
    );
    expect(active.setProviderStatus).toMatchObject({ status: 'ACTIVE', verifiedAt: result.checkedAt });
    expect(smtp.logins).toHaveLength(loginsBefore);
    const inactive = dataOf(
      await server.gql<{ setProviderStatus: ProviderView }>(SET_STATUS, {
        id: created.id,
        status: 'INACTIVE',
      }),
    );
    expect(inactive.setProviderStatus.status).toBe('INACTIVE');
  });

  it('counts against the checks one request may make', async () => {
    const created = await createProvider(server, smtpInput(smtp, { password }));
    const aliases = Array.from(
      { length: 6 },
      (_, index) => `a${index}: setProviderStatus(id: $id, status: ACTIVE) { id }`,
    ).join(' ');
    const loginsBefore = smtp.logins.length;
    const response = await server.gql(`mutation ($id: ID!) { ${aliases} }`, { id: created.id });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0]?.message).toMatch(/at most 5 providers/);
    expect(smtp.logins).toHaveLength(loginsBefore);
    expect((await read(created.id)).status).toBe('INACTIVE');
  });

  it('answers NOT_FOUND for an unknown provider', async () => {
    expect(errorCode(await server.gql(SET_STATUS, { id: randomUUID(), status: 'ACTIVE' }))).toBe('NOT_FOUND');
    expect(errorCode(await server.gql(VERIFY, { id: randomUUID() }))).toBe('NOT_FOUND');
  });
});

describe('verifyProvider', () => {
  it('keeps verifiedAt when a later check of the same credentials fails, and records the failure', async () => {
    const created = await createProvider(server, smtpInput(smtp, { password, status: 'ACTIVE' }));
    smtp.fail({ auth: { code: 454, message: '4.7.0 Temporary authentication failure' } });
    const result = await verify(created.id);
    expect(result.ok).toBe(false);
    const after = await read(created.id);
    expect(after.verifiedAt).toBe(created.verifiedAt);
    expect(after.status).toBe('ACTIVE');
    expect(after.lastVerification).toMatchObject({ ok: false, failure: { hint: expect.any(String) } });
  });
});

describe('verifiedAt is cleared by any credential change', () => {
  // Each row changes one field of a verified, inactive provider; the credential fields clear verification.
  const CHANGES: Array<{
    field: string;
    base?: Partial<ProviderInputValue>;
    change: () => Partial<ProviderInputValue>;
    clears: boolean;
  }> = [
    // A new destination or identity needs the password entered again (the same one, in these rows).
    { field: 'type', change: () => ({ type: 'API_SMTP', password }), clears: true },
    {
      field: 'apiVendor',
      base: { type: 'API_SMTP' },
      change: () => ({ apiVendor: 'POSTMARK', password }),
      clears: true,
    },
    { field: 'host', change: () => ({ host: 'localhost', password }), clears: true },
    { field: 'port', change: () => ({ port: other.port, password }), clears: true },
    { field: 'username', change: () => ({ username: 'second', password: otherPassword }), clears: true },
    { field: 'password', change: () => ({ password: testSecret('new') }), clears: true },
    { field: 'encryption', change: () => ({ encryption: 'STARTTLS', password }), clears: true },
    { field: 'name', change: () => ({ name: `renamed-${randomUUID().slice(0, 8)}` }), clears: false },
    { field: 'fromEmail', change: () => ({ fromEmail: 'other@example.com' }), clears: false },
    { field: 'fromName', change: () => ({ fromName: 'Other Name' }), clears: false },
    { field: 'serviceType', change: () => ({ serviceType: 'FALLBACK' }), clears: false },
    { field: 'the same password again', change: () => ({ password }), clears: false },
  ];

  it.each(CHANGES)('$field: cleared = $clears', async ({ base, change, clears }) => {
    const created = await createProvider(server, smtpInput(smtp, { password, ...base }));
    expect((await verify(created.id)).ok).toBe(true);
    const verified = await read(created.id);
    expect(verified.verifiedAt).not.toBeNull();

    const updated = dataOf(
      await server.gql<{ updateProvider: ProviderView }>(UPDATE, {
        id: created.id,
        input: inputFrom(verified, { password: null, ...change() }),
      }),
    ).updateProvider;
    if (clears) {
      expect(updated.verifiedAt).toBeNull();
      expect(updated.lastVerification).toBeNull();
      // Switching it on checks the new credentials first, whatever the check finds.
      await server.gql(SET_STATUS, { id: created.id, status: 'ACTIVE' });
      const checked = await read(created.id);
      expect(checked.lastVerification).not.toBeNull();
      expect(checked.status).toBe(checked.lastVerification?.ok ? 'ACTIVE' : 'INACTIVE');
    } else {
      expect(updated.verifiedAt).toBe(verified.verifiedAt);
    }
  });
});

describe('saving an ACTIVE provider', () => {
  it('verifies changed credentials in the same request and changes nothing when they fail', async () => {
    const created = await createProvider(server, smtpInput(smtp, { password, status: 'ACTIVE' }));
    const before = await providerRows(server);
    const response = await server.gql(UPDATE, {
      id: created.id,
      input: inputFrom(created, { password: testSecret('wrong'), fromName: 'Changed too' }),
    });
    expect(errorCode(response)).toBe('PROVIDER_NOT_VERIFIED');
    expect(failureOf(response)).toMatchObject({ category: 'AUTH' });
    expect(await providerRows(server)).toEqual(before);

    // The old password still works: nothing was changed.
    expect((await verify(created.id)).ok).toBe(true);
  });

  it('saves working new credentials and records the new verification', async () => {
    const created = await createProvider(server, smtpInput(smtp, { password, status: 'ACTIVE' }));
    const updated = dataOf(
      await server.gql<{ updateProvider: ProviderView }>(UPDATE, {
        id: created.id,
        input: inputFrom(created, { username: 'second', password: otherPassword }),
      }),
    ).updateProvider;
    expect(updated).toMatchObject({ status: 'ACTIVE', username: 'second', lastVerification: { ok: true } });
    expect(Date.parse(updated.verifiedAt ?? '')).toBeGreaterThan(Date.parse(created.verifiedAt ?? ''));
    expect(smtp.logins.filter((login) => login.username === 'second' && login.ok)).not.toHaveLength(0);
  });

  it('needs no connection when only non-credential fields change', async () => {
    const created = await createProvider(server, smtpInput(other, { password, status: 'ACTIVE' }));
    await other.stop();
    try {
      const updated = dataOf(
        await server.gql<{ updateProvider: ProviderView }>(UPDATE, {
          id: created.id,
          input: inputFrom(created, { fromName: 'New Name', serviceType: 'FALLBACK' }),
        }),
      ).updateProvider;
      expect(updated).toMatchObject({
        status: 'ACTIVE',
        fromName: 'New Name',
        verifiedAt: created.verifiedAt,
      });
    } finally {
      await other.start();
    }
  });

  it('activates an inactive provider through update, verifying first', async () => {
    const created = await createProvider(server, smtpInput(smtp, { password }));
    const activated = dataOf(
      await server.gql<{ updateProvider: ProviderView }>(UPDATE, {
        id: created.id,
        input: inputFrom(created, { status: 'ACTIVE' }),
      }),
    ).updateProvider;
    expect(activated).toMatchObject({ status: 'ACTIVE', lastVerification: { ok: true } });
  });
});

describe('verifyProviderSettings', () => {
  it('checks settings before they are saved, storing nothing', async () => {
    const before = await providerRows(server);
    const ok = dataOf(
      await server.gql<{ verifyProviderSettings: VerificationView }>(VERIFY_SETTINGS, {
        input: smtpInput(smtp, { password }),
      }),
    ).verifyProviderSettings;
    expect(ok).toMatchObject({ ok: true, failure: null });
    const bad = dataOf(
      await server.gql<{ verifyProviderSettings: VerificationView }>(VERIFY_SETTINGS, {
        input: smtpInput(smtp, { password: testSecret('wrong') }),
      }),
    ).verifyProviderSettings;
    expect(bad).toMatchObject({
      ok: false,
      failure: { category: 'AUTH', smtpCode: 535, hint: expect.any(String) },
    });
    expect(await providerRows(server)).toEqual(before);
  });

  it('uses the stored password of the provider named by id when the input leaves it out', async () => {
    const created = await createProvider(server, smtpInput(smtp, { password }));
    const before = await providerRows(server);
    const result = dataOf(
      await server.gql<{ verifyProviderSettings: VerificationView }>(VERIFY_SETTINGS, {
        id: created.id,
        input: inputFrom(created, { password: null }),
      }),
    ).verifyProviderSettings;
    expect(result.ok).toBe(true);
    expect(await providerRows(server)).toEqual(before);
  });

  it.each([
    { port: 465, encryption: 'STARTTLS', warning: /Port 465 expects SSL\/TLS/ },
    { port: 587, encryption: 'SSL_TLS', warning: /Port 587 expects STARTTLS/ },
  ])('warns of $encryption on port $port without changing it', async ({ port, encryption, warning }) => {
    const result = dataOf(
      await server.gql<{ verifyProviderSettings: VerificationView }>(VERIFY_SETTINGS, {
        input: smtpInput({ host: '127.0.0.1', port }, { password, encryption }),
      }),
    ).verifyProviderSettings;
    expect(result.warnings).toEqual(expect.arrayContaining([expect.stringMatching(warning)]));
  });
});

describe('the stored password goes only to the destination it was stored for', () => {
  let thief: SmtpTestServer;
  let typed: string;
  let victim: ProviderView;

  beforeAll(async () => {
    typed = testSecret('typed');
    // Another server on loopback that records every connection and AUTH attempt. It accepts only a
    // password typed for it, so a login with the stored one would show up as a failed attempt.
    thief = await startSmtpTestServer({ users: { app: typed } });
    // Active and verified: an update that changes its credentials is verified in the same request.
    victim = await createProvider(server, smtpInput(smtp, { password, status: 'ACTIVE' }));
  });

  afterAll(async () => {
    await thief?.close();
  });

  // Every way to aim the saved provider at the other server while leaving its password out.
  const ATTEMPTS: Array<{ case: string; request: () => [string, Record<string, unknown>] }> = [
    {
      case: 'updateProvider to its port (verified in the same request)',
      request: () => [UPDATE, { id: victim.id, input: inputFrom(victim, { port: thief.port }) }],
    },
    {
      case: 'updateProvider to its port as INACTIVE, to verify or send later',
      request: () => [
        UPDATE,
        { id: victim.id, input: inputFrom(victim, { port: thief.port, password: null, status: 'INACTIVE' }) },
      ],
    },
    {
      case: 'updateProvider to its host and port, with an empty password',
      request: () => [
        UPDATE,
        { id: victim.id, input: inputFrom(victim, { host: 'localhost', port: thief.port, password: '' }) },
      ],
    },
    {
      case: 'updateProvider to its port as an API relay',
      request: () => [
        UPDATE,
        { id: victim.id, input: inputFrom(victim, { type: 'API_SMTP', port: thief.port, password: null }) },
      ],
    },
    {
      case: 'verifyProviderSettings with the id, to its port',
      request: () => [VERIFY_SETTINGS, { id: victim.id, input: inputFrom(victim, { port: thief.port }) }],
    },
    {
      case: 'verifyProviderSettings with the id, to its host and port',
      request: () => [
        VERIFY_SETTINGS,
        { id: victim.id, input: inputFrom(victim, { host: 'localhost', port: thief.port, password: null }) },
      ],
    },
  ];

  it.each(ATTEMPTS)('refuses $case and contacts nothing', async ({ request }) => {
    const before = await providerRows(server);
    const [query, variables] = request();
    const response = await server.gql(query, variables);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0]?.extensions?.fields).toEqual([
      { field: 'input.password', message: expect.stringMatching(/^Enter the password or API key again: /) },
    ]);
    expect(await providerRows(server)).toEqual(before);
    expect(thief.connectionCount).toBe(0);
    expect(thief.logins).toEqual([]);
  });

  it('still verifies and sends through its own server, and only a typed password reaches the other', async () => {
    expect((await verify(victim.id)).ok).toBe(true);
    const received = smtp.messages.length;
    const sent = dataOf(
      await server.gql<{ sendTestEmail: { ok: boolean } }>(SEND_TEST, {
        to: 'ops@example.org',
        providerId: victim.id,
      }),
    ).sendTestEmail;
    expect(sent.ok).toBe(true);
    await smtp.waitForMessages(received + 1);
    expect(thief.connectionCount).toBe(0);
    expect(thief.messages).toEqual([]);

    // The destinations of the refused attempts do reach the other server once the password is typed.
    for (const host of ['127.0.0.1', 'localhost']) {
      const result = dataOf(
        await server.gql<{ verifyProviderSettings: VerificationView }>(VERIFY_SETTINGS, {
          id: victim.id,
          input: inputFrom(victim, { host, port: thief.port, password: typed }),
        }),
      ).verifyProviderSettings;
      expect(result).toMatchObject({ ok: true, failure: null });
    }
    // Every login it ever saw carried the typed password: none carried the stored one.
    expect(thief.logins).toEqual([
      expect.objectContaining({ username: 'app', ok: true }),
      expect.objectContaining({ username: 'app', ok: true }),
    ]);
  });
});

describe('HTTP API vendors', () => {
  it('verifies an API key against the vendor and refuses a wrong one', async () => {
    const input = (key: string) => apiInput(emulator, 'sendgrid', { password: key, status: 'ACTIVE' });
    const created = await createProvider(server, input(emulator.apiKey('sendgrid')));
    expect(created).toMatchObject({
      status: 'ACTIVE',
      apiVendor: 'SENDGRID',
      lastVerification: { ok: true },
    });

    const refused = await server.gql(CREATE, { input: input(testSecret('not-the-key')) });
    expect(errorCode(refused)).toBe('PROVIDER_NOT_VERIFIED');
    expect(failureOf(refused)).toMatchObject({ category: 'AUTH', httpStatus: 401 });
  });
});
