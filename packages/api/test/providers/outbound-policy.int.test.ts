import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { startVendorEmulator, type VendorEmulator } from '@mail-providers/mailer-core/test-support';
import { VERIFICATION_LIMIT } from '../../src/services/connection-check-gate';
import { dataOf, errorCode, type GqlResponse } from '../support/test-agent';
import { startTestServer, type TestServer } from '../support/test-server';
import {
  CREATE,
  SEND_TEST,
  VERIFY,
  VERIFY_SETTINGS,
  apiInput,
  fieldsOf,
  smtpInput,
  type ProviderView,
} from './provider-support';

/**
 * A loopback TCP listener that counts the connections it accepts and greets each with `banner`, if any.
 * Without a banner it refuses service at once, as an SMTP server may (554 and close), so that a verification
 * toward it ends without waiting for a timeout.
 */
interface Listener {
  host: string;
  port: number;
  accepted(): number;
  close(): Promise<void>;
}

const NO_SERVICE = '554 5.3.2 No service here\r\n';

async function listen(banner?: string): Promise<Listener> {
  let accepted = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    if (banner !== undefined) socket.write(banner);
    else socket.end(NO_SERVICE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    host: '127.0.0.1',
    port: address.port,
    accepted: () => accepted,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An HTTP server that answers every request with `status` and an internal page showing `secret`. */
async function pageServer(status: number, secret: string): Promise<{ port: number; close(): Promise<void> }> {
  const server: HttpServer = createHttpServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'text/html' });
    response.end(`<html><body><h1>Build dashboard</h1><pre>DEPLOY_TOKEN=${secret}</pre></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const SSH_BANNER = 'SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5';
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function listener(banner?: string): Promise<Listener> {
  const started = await listen(banner);
  cleanups.push(() => started.close());
  return started;
}

/** `count` aliased verifyProviderSettings in one operation, each toward `input`. */
function aliasedVerifications(count: number): string {
  const fields = Array.from(
    { length: count },
    (_, index) => `v${index}: verifyProviderSettings(input: $input) { ok failure { category message } }`,
  );
  return `mutation ($input: ProviderInput!) { ${fields.join(' ')} }`;
}

describe('with the default policy of a test server (loopback allowed)', () => {
  let server: TestServer;
  let emulator: VendorEmulator;

  beforeAll(async () => {
    server = await startTestServer();
    emulator = await startVendorEmulator();
  });

  afterAll(async () => {
    await emulator?.close();
    await server?.close();
  });

  it('never returns the banner of an SSH server given as an SMTP host', async () => {
    const ssh = await listener(`${SSH_BANNER}\r\n`);
    const input = smtpInput(ssh);
    const responses: Array<GqlResponse<unknown>> = [];

    const verified = await server.gql<{
      verifyProviderSettings: { failure: { category: string; message: string; hint: string } };
    }>(VERIFY_SETTINGS, { input });
    responses.push(verified);
    const created = dataOf(
      await server.gql<{ createProvider: ProviderView }>(CREATE, { input }),
    ).createProvider;
    responses.push(await server.gql(VERIFY, { id: created.id }));
    responses.push(await server.gql(SEND_TEST, { to: 'ops@example.com', providerId: created.id }));

    expect(dataOf(verified).verifyProviderSettings.failure).toMatchObject({
      category: 'CONFIG',
      message: 'The server did not answer as an SMTP server.',
      hint: expect.stringMatching(/does not speak SMTP/),
    });
    for (const response of responses) expect(response.text).not.toMatch(/SSH-2\.0|OpenSSH|Ubuntu/);
    expect(ssh.accepted()).toBe(3);
  });

  it.each([200, 500])(
    'never returns the page of a web server (HTTP %d) given as the SendGrid API host',
    async (status) => {
      const secret = `dtk_${randomBytes(16).toString('hex')}`;
      const page = await pageServer(status, secret);
      cleanups.push(() => page.close());
      const input = apiInput(emulator, 'sendgrid', { host: '127.0.0.1', port: page.port });
      const responses: Array<GqlResponse<unknown>> = [];

      const verified = await server.gql<{
        verifyProviderSettings: { failure: { category: string; message: string } };
      }>(VERIFY_SETTINGS, { input });
      responses.push(verified);
      const created = dataOf(
        await server.gql<{ createProvider: ProviderView }>(CREATE, { input }),
      ).createProvider;
      responses.push(await server.gql(VERIFY, { id: created.id }));
      responses.push(await server.gql(SEND_TEST, { to: 'ops@example.com', providerId: created.id }));

      expect(dataOf(verified).verifyProviderSettings.failure).toMatchObject({
        category: status === 200 ? 'CONFIG' : 'PROVIDER_UNAVAILABLE',
        message: `Answered HTTP ${status} with a body that is not SendGrid's API.`,
      });
      for (const response of responses) {
        expect(response.text).not.toContain(secret);
        expect(response.text).not.toContain('dashboard');
      }
    },
  );

  it('refuses an operation with more than 5 verifications, before connecting anywhere', async () => {
    const target = await listener();
    const input = smtpInput(target);

    const refused = await server.gql(aliasedVerifications(6), { input });

    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.body.errors?.[0]?.message).toMatch(/at most 5 providers and this one asks for 6/);
    expect(refused.text).not.toMatch(/"ok":/);
    // Every connection would have been accepted at once: none came.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(target.accepted()).toBe(0);

    const allowed = dataOf(
      await server.gql<Record<string, { ok: boolean }>>(aliasedVerifications(5), { input }),
    );
    expect(Object.keys(allowed)).toHaveLength(5);
    expect(target.accepted()).toBe(5);
  });

  it('counts providers saved as ACTIVE, which are verified in the same request, against the same 5', async () => {
    const target = await listener();
    const creates = Array.from(
      { length: 6 },
      (_, index) => `c${index}: createProvider(input: $i${index}) { id }`,
    ).join(' ');
    const variables = Object.fromEntries(
      Array.from({ length: 6 }, (_, index) => [`i${index}`, smtpInput(target, { status: 'ACTIVE' })]),
    );
    const declared = Object.keys(variables)
      .map((name) => `$${name}: ProviderInput!`)
      .join(', ');

    const refused = await server.gql(`mutation (${declared}) { ${creates} }`, variables);

    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.body.errors?.[0]?.message).toMatch(/at most 5 providers and this one asks for 6/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(target.accepted()).toBe(0);
  });

  it('counts test emails and verifications of one operation together, through fragments too', async () => {
    const target = await listener();
    const query = `mutation ($input: ProviderInput!) {
      ...checks
      t: sendTestEmail(to: "ops@example.com") { ok }
    }
    fragment checks on Mutation {
      a: verifyProviderSettings(input: $input) { ok }
      b: verifyProviderSettings(input: $input) { ok }
      ... on Mutation {
        c: verifyProviderSettings(input: $input) { ok }
        d: verifyProviderSettings(input: $input) { ok }
        e: verifyProviderSettings(input: $input) { ok }
      }
    }`;
    const refused = await server.gql(query, { input: smtpInput(target) });
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.body.errors?.[0]?.message).toMatch(/asks for 6/);
    expect(target.accepted()).toBe(0);
  });
});

describe('with ALLOWED_PROVIDER_HOSTS leaving loopback out', () => {
  let server: TestServer;
  let emulator: VendorEmulator;

  beforeAll(async () => {
    server = await startTestServer({ env: { ALLOWED_PROVIDER_HOSTS: '10.0.0.0/8' } });
    emulator = await startVendorEmulator();
  });

  afterAll(async () => {
    await emulator?.close();
    await server?.close();
  });

  it.each(['127.0.0.1', 'localhost'])(
    'answers a verification toward %s as bad input naming ALLOWED_PROVIDER_HOSTS, and connects nowhere',
    async (host) => {
      const target = await listener();
      const input = smtpInput(target, { host });

      const settings = await server.gql(VERIFY_SETTINGS, { input });
      const created = dataOf(
        await server.gql<{ createProvider: ProviderView }>(CREATE, { input }),
      ).createProvider;
      const saved = await server.gql(VERIFY, { id: created.id });

      expect(errorCode(settings)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(settings)).toEqual([
        { field: 'input.host', message: expect.stringMatching(/loopback address.*ALLOWED_PROVIDER_HOSTS/) },
      ]);
      expect(errorCode(saved)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(saved)).toEqual([
        { field: 'provider.host', message: expect.stringMatching(/ALLOWED_PROVIDER_HOSTS/) },
      ]);
      expect(target.accepted()).toBe(0);
    },
  );

  it('fails a test email through such a provider with a CONFIG failure naming ALLOWED_PROVIDER_HOSTS', async () => {
    const target = await listener();
    const created = dataOf(
      await server.gql<{ createProvider: ProviderView }>(CREATE, { input: smtpInput(target) }),
    ).createProvider;

    const result = dataOf(
      await server.gql<{
        sendTestEmail: { ok: boolean; failure: { category: string; message: string; hint: string } };
      }>(SEND_TEST, { to: 'ops@example.com', providerId: created.id }),
    ).sendTestEmail;

    expect(result.ok).toBe(false);
    expect(result.failure.category).toBe('CONFIG');
    expect(result.failure.message).toMatch(/ALLOWED_PROVIDER_HOSTS/);
    expect(result.failure.hint).toMatch(/ALLOWED_PROVIDER_HOSTS/);
    expect(target.accepted()).toBe(0);
  });

  it('refuses an HTTP API provider on loopback the same way', async () => {
    const input = apiInput(emulator, 'postmark');
    const settings = await server.gql(VERIFY_SETTINGS, { input });
    expect(errorCode(settings)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(settings)[0]?.message).toMatch(/ALLOWED_PROVIDER_HOSTS/);
    expect(emulator.requests()).toHaveLength(0);
  });
});

describe('verifications per caller', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  it(`are limited to ${VERIFICATION_LIMIT.points} a minute, then RATE_LIMITED without connecting`, async () => {
    const target = await listener();
    const input = smtpInput(target);
    for (let batch = 0; batch < VERIFICATION_LIMIT.points / 5; batch += 1) {
      dataOf(await server.gql(aliasedVerifications(5), { input }));
    }
    expect(target.accepted()).toBe(VERIFICATION_LIMIT.points);

    const limited = await server.gql(VERIFY_SETTINGS, { input });
    expect(errorCode(limited)).toBe('RATE_LIMITED');
    expect(limited.body.errors?.[0]?.message).toMatch(/^Too many verifications; try again in \d+ seconds\.$/);
    expect(target.accepted()).toBe(VERIFICATION_LIMIT.points);
    // Saving a provider as ACTIVE verifies it, and takes from the same budget.
    const saved = await server.gql(CREATE, { input: smtpInput(target, { status: 'ACTIVE' }) });
    expect(errorCode(saved)).toBe('RATE_LIMITED');
    expect(target.accepted()).toBe(VERIFICATION_LIMIT.points);

    // Another caller has a budget of its own.
    const other = await server.userAgent('ADMIN');
    const outcome = dataOf(
      await other.gql<{ verifyProviderSettings: { ok: boolean } }>(VERIFY_SETTINGS, { input }),
    );
    expect(outcome.verifyProviderSettings.ok).toBe(false);
    expect(target.accepted()).toBe(VERIFICATION_LIMIT.points + 1);
  });
});
