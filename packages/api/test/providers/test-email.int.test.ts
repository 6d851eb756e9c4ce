import { randomUUID } from 'node:crypto';
import {
  startSmtpTestServer,
  startVendorEmulator,
  type SmtpTestServer,
  type VendorEmulator,
} from '@mail-providers/mailer-core/test-support';
import { TEST_EMAIL_LIMIT } from '../../src/services/test-email.service';
import { dataOf, errorCode, type TestAgent } from '../support/test-agent';
import { startTestServer, testSecret, type TestServer } from '../support/test-server';
import {
  DELETE,
  GET,
  SEND_TEST,
  UPDATE,
  apiInput,
  createProvider,
  fieldsOf,
  inputFrom,
  listProviders,
  plainTextOf,
  smtpInput,
  type AttemptView,
  type ProviderView,
} from './provider-support';

interface TestEmailView {
  ok: boolean;
  messageId: string | null;
  sentAt: string;
  channel: string | null;
  deliveredBy: { id: string; name: string } | null;
  failure: { category: string; message: string; hint: string } | null;
  attempts: AttemptView[];
}

let server: TestServer;
let primary: SmtpTestServer;
let fallback: SmtpTestServer;
let emulator: VendorEmulator;
let password: string;

beforeAll(async () => {
  server = await startTestServer();
  password = testSecret('smtp');
  primary = await startSmtpTestServer({ users: { app: password } });
  fallback = await startSmtpTestServer({ users: { app: password } });
  emulator = await startVendorEmulator();
});

afterAll(async () => {
  await primary?.close();
  await fallback?.close();
  await emulator?.close();
  await server?.close();
});

beforeEach(async () => {
  for (const provider of await listProviders(server)) dataOf(await server.gql(DELETE, { id: provider.id }));
  primary.reset();
  fallback.reset();
  primary.messages.length = 0;
  fallback.messages.length = 0;
  emulator.reset();
});

async function sendTest(variables: Record<string, unknown>, as?: TestAgent): Promise<TestEmailView> {
  return dataOf(await server.gql<{ sendTestEmail: TestEmailView }>(SEND_TEST, variables, as ? { as } : {}))
    .sendTestEmail;
}

async function read(id: string): Promise<ProviderView> {
  const provider = dataOf(await server.gql<{ provider: ProviderView | null }>(GET, { id })).provider;
  if (!provider) throw new Error(`provider ${id} is gone`);
  return provider;
}

describe('sendTestEmail through one provider', () => {
  it('delivers through that provider alone, says who sent it and when, and keeps the result on it', async () => {
    const provider = await createProvider(
      server,
      smtpInput(primary, {
        password,
        name: 'acme-relay',
        fromEmail: 'tests@example.com',
        fromName: 'Acme Tests',
      }),
    );
    const result = await sendTest({ to: 'ops@example.org', providerId: provider.id });
    expect(result).toMatchObject({
      ok: true,
      deliveredBy: { id: provider.id, name: 'acme-relay' },
      failure: null,
      attempts: [{ providerId: provider.id, providerName: 'acme-relay', outcome: 'SENT', failure: null }],
    });

    const [received] = await primary.waitForMessages(1);
    expect(received?.rcptTo).toEqual(['ops@example.org']);
    expect(received?.mailFrom).toBe('tests@example.com');
    const body = plainTextOf(received?.raw ?? Buffer.alloc(0));
    expect(body).toContain('"acme-relay" (SMTP, 127.0.0.1:');
    expect(body).toContain(result.sentAt);
    expect(received?.raw.toString('latin1')).toContain(result.messageId ?? 'missing');

    const stored = await read(provider.id);
    expect(stored.lastTestEmail).toMatchObject({
      ok: true,
      messageId: result.messageId,
      deliveredBy: { id: provider.id },
    });
    // An inactive provider can be tested before it is switched on.
    expect(stored.status).toBe('INACTIVE');
  });

  it('writes the message in the admin’s language', async () => {
    const provider = await createProvider(server, smtpInput(primary, { password, name: 'yerel-sunucu' }));
    const admin = await server.userAgent('ADMIN');
    dataOf(await admin.gql('mutation { setMyLocale(locale: "tr") { id } }'));
    await sendTest({ to: 'ops@example.org', providerId: provider.id }, admin);
    const [received] = await primary.waitForMessages(1);
    const body = plainTextOf(received?.raw ?? Buffer.alloc(0));
    expect(body).toContain('Bu, Mail Providers tarafından gönderilen bir test e-postasıdır.');
    expect(body).toContain('"yerel-sunucu" sağlayıcısı');
    expect(received?.raw.toString('latin1')).toMatch(/^Subject: .*=\?UTF-8\?/im);
  });

  it('returns the failure with its hint when the provider cannot deliver, and keeps that too', async () => {
    const provider = await createProvider(server, smtpInput(primary, { password }));
    primary.fail({
      mailFrom: {
        code: 550,
        message: '5.7.1 <tests@example.com>: Sender address rejected: not owned by user',
      },
    });
    const result = await sendTest({ to: 'ops@example.org', providerId: provider.id });
    expect(result).toMatchObject({
      ok: false,
      deliveredBy: null,
      failure: { category: 'RELAY_DENIED' },
      attempts: [
        {
          outcome: 'FAILED',
          failure: { category: 'RELAY_DENIED', smtpCode: 550, hint: expect.stringMatching(/From Email/) },
        },
      ],
    });
    expect((await read(provider.id)).lastTestEmail).toMatchObject({ ok: false });
  });

  it('reaches an HTTP API vendor the same way', async () => {
    const provider = await createProvider(server, apiInput(emulator, 'postmark', { name: 'postmark-api' }));
    const result = await sendTest({ to: 'ops@example.org', providerId: provider.id });
    expect(result).toMatchObject({ ok: true, deliveredBy: { name: 'postmark-api' } });
    const [request] = emulator.requests('postmark', 'send');
    expect(JSON.stringify(request?.json)).toContain('postmark-api');
  });

  it.each([
    { case: 'a recipient that is no address', variables: { to: 'not an address' }, code: 'BAD_USER_INPUT' },
    {
      case: 'a header injected in the recipient',
      variables: { to: 'a@example.com\r\nBcc: b@example.com' },
      code: 'BAD_USER_INPUT',
    },
    {
      case: 'an unknown provider',
      variables: { to: 'a@example.com', providerId: randomUUID() },
      code: 'NOT_FOUND',
    },
  ])('refuses $case', async ({ variables, code }) => {
    const response = await server.gql(SEND_TEST, variables);
    expect(errorCode(response)).toBe(code);
    if (code === 'BAD_USER_INPUT')
      expect(fieldsOf(response)).toEqual([{ field: 'to', message: expect.any(String) }]);
    expect(primary.messages).toHaveLength(0);
  });
});

describe('sendTestEmail through the chain', () => {
  it('falls back when the primary’s server is down, and returns every attempt with the hint', async () => {
    const first = await createProvider(
      server,
      smtpInput(primary, { password, name: 'main-relay', status: 'ACTIVE' }),
    );
    const second = await createProvider(
      server,
      smtpInput(fallback, { password, name: 'backup-relay', serviceType: 'FALLBACK', status: 'ACTIVE' }),
    );
    await primary.stop();
    try {
      const result = await sendTest({ to: 'ops@example.org' });
      expect(result).toMatchObject({
        ok: true,
        channel: 'DEFAULT',
        deliveredBy: { id: second.id, name: 'backup-relay' },
        attempts: [
          {
            providerId: first.id,
            providerName: 'main-relay',
            outcome: 'FAILED',
            failure: { category: 'CONNECTION', hint: expect.stringMatching(/\w{10,}/) },
          },
          { providerId: second.id, providerName: 'backup-relay', outcome: 'SENT', failure: null },
        ],
      });
      const [received] = await fallback.waitForMessages(1);
      const body = plainTextOf(received?.raw ?? Buffer.alloc(0));
      expect(body).toContain('DEFAULT delivery chain');
      expect(body).toContain('1. main-relay, 2. backup-relay');
      expect(primary.messages).toHaveLength(0);
      // Each provider the chain tried keeps its part: the one that delivered passed, the other failed.
      expect((await read(second.id)).lastTestEmail).toMatchObject({
        ok: true,
        channel: 'DEFAULT',
        deliveredBy: { id: second.id },
        attempts: [{ providerId: first.id }, { providerId: second.id }],
      });
      expect((await read(first.id)).lastTestEmail).toMatchObject({
        ok: false,
        channel: 'DEFAULT',
        deliveredBy: null,
        messageId: null,
        failure: { category: 'CONNECTION' },
        attempts: [{ providerId: first.id, outcome: 'FAILED' }],
      });

      // The primary's failure counts against its health.
      const health = (await read(first.id)).health;
      expect(health).toMatchObject({ consecutiveFailures: 1, lastFailure: { category: 'CONNECTION' } });
    } finally {
      await primary.start();
    }
  });

  it('sends CRM mail through CRM providers, then the DEFAULT chain as a last resort', async () => {
    await createProvider(
      server,
      smtpInput(primary, { password, name: 'crm-relay', type: 'CRM_API_SMTP', status: 'ACTIVE' }),
    );
    await createProvider(server, smtpInput(fallback, { password, name: 'default-relay', status: 'ACTIVE' }));
    primary.fail({
      connect: { code: 421, message: 'mx.test Service not available, closing transmission channel' },
    });
    const result = await sendTest({ to: 'ops@example.org', channel: 'CRM' });
    expect(result).toMatchObject({ ok: true, channel: 'CRM', deliveredBy: { name: 'default-relay' } });
    expect(result.attempts.map((a) => [a.providerName, a.outcome])).toEqual([
      ['crm-relay', 'FAILED'],
      ['default-relay', 'SENT'],
    ]);
  });

  it('says why nothing can be sent when no provider is active', async () => {
    await createProvider(server, smtpInput(primary, { password }));
    const result = await sendTest({ to: 'ops@example.org' });
    expect(result).toMatchObject({
      ok: false,
      attempts: [],
      deliveredBy: null,
      failure: { category: 'CONFIG' },
    });
  });
});

describe('health and credentials', () => {
  it('opens the circuit on an AUTH failure and closes it again when the credentials change', async () => {
    const provider = await createProvider(server, smtpInput(primary, { password, status: 'ACTIVE' }));
    primary.fail({ auth: { code: 535, message: '5.7.8 Error: authentication failed' } });
    const failed = await sendTest({ to: 'ops@example.org', providerId: provider.id });
    expect(failed.attempts[0]?.failure?.category).toBe('AUTH');
    const open = await read(provider.id);
    expect(open.health).toMatchObject({ state: 'OPEN', lastFailure: { category: 'AUTH' } });

    primary.reset();
    const updated = dataOf(
      await server.gql<{ updateProvider: ProviderView }>(UPDATE, {
        id: provider.id,
        input: inputFrom(open, { password }),
      }),
    ).updateProvider;
    expect(updated.health.state).toBe('OPEN');

    const rotated = testSecret('rotated');
    const other = await startSmtpTestServer({ users: { app: rotated } });
    try {
      const moved = dataOf(
        await server.gql<{ updateProvider: ProviderView }>(UPDATE, {
          id: provider.id,
          input: inputFrom(open, { port: other.port, password: rotated }),
        }),
      ).updateProvider;
      expect(moved.health).toMatchObject({ state: 'CLOSED', consecutiveFailures: 0, lastFailure: null });
    } finally {
      await other.close();
    }
  });
});

describe('rate limit', () => {
  it(`allows ${TEST_EMAIL_LIMIT.points} test emails per caller per window, then answers RATE_LIMITED`, async () => {
    const provider = await createProvider(server, smtpInput(primary, { password }));
    const caller = await server.userAgent('ADMIN');
    for (let i = 0; i < TEST_EMAIL_LIMIT.points; i++) {
      await sendTest({ to: 'ops@example.org', providerId: provider.id }, caller);
    }
    const refused = await caller.gql(SEND_TEST, { to: 'ops@example.org', providerId: provider.id });
    expect(errorCode(refused)).toBe('RATE_LIMITED');
    expect(refused.body.errors?.[0]?.message).toMatch(/Too many test emails; try again in \d+ seconds\./);
    expect(primary.messages).toHaveLength(TEST_EMAIL_LIMIT.points);

    // Another caller has a window of its own.
    expect((await sendTest({ to: 'ops@example.org', providerId: provider.id })).ok).toBe(true);
  });
});
