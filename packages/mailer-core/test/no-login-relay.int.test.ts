import { randomBytes } from 'node:crypto';
import { createMailer, type Mailer } from '../src/mailer';
import type { ProviderConfig } from '../src/provider';
import { configWarnings, validateProviderConfig } from '../src/provider-validation';
import {
  createTestCertificate,
  startSmtpTestServer,
  type SmtpTestServer,
  type TestCertificate,
} from '../src/test-support';
import { createSmtpTransport } from '../src/transports/smtp/smtp-transport';
import { DEFAULT_TIMEOUTS } from '../src/transports/transport';
import { silentLogger } from '../src/logger';
import { smtpProvider } from './support/smtp-fixtures';

// A relay that needs no login (a local Postfix, a smarthost that trusts this server by its address):
// Username and Password both empty. The test servers offer no AUTH when they have no users.

const NO_LOGIN_TRIED = /No login was tried/;
const message = { to: 'ann@example.com', subject: 'Through the relay', text: 'No login needed.' };

let certificate: TestCertificate;
const servers: SmtpTestServer[] = [];
const mailers: Mailer[] = [];

beforeAll(async () => {
  certificate = await createTestCertificate();
});

afterEach(async () => {
  await Promise.all(mailers.splice(0).map((mailer) => mailer.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function relay(options: Parameters<typeof startSmtpTestServer>[0] = {}): Promise<SmtpTestServer> {
  const server = await startSmtpTestServer(options);
  servers.push(server);
  return server;
}

function engine(providers: ProviderConfig[]): Mailer {
  const mailer = createMailer({ providers });
  mailers.push(mailer);
  return mailer;
}

function noLogin(server: SmtpTestServer, overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  return smtpProvider(server, { username: '', password: '', ...overrides });
}

describe('a relay with no login', () => {
  it('verifies greeting and EHLO on plain SMTP, says that no login was tried, and sends nothing', async () => {
    const server = await relay();
    const result = await engine([]).verify(noLogin(server));

    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([expect.stringMatching(NO_LOGIN_TRIED)]);
    expect(server.logins).toEqual([]);
    expect(server.connectionCount).toBe(1);
    expect(server.messages).toHaveLength(0);
  });

  it('verifies STARTTLS when chosen, still with no login', async () => {
    const server = await relay({ security: 'starttls', certificate });
    const provider = noLogin(server, { encryption: 'starttls', tls: { ca: certificate.cert } });
    const result = await engine([]).verify(provider);

    expect(result.ok).toBe(true);
    expect(result.warnings.join(' ')).toMatch(NO_LOGIN_TRIED);

    const untrusted = await engine([]).verify(noLogin(server, { encryption: 'starttls' }));
    expect(untrusted.ok).toBe(false);
    expect(untrusted.failure?.category).toBe('TLS');
  });

  it('delivers through the engine without AUTH', async () => {
    const server = await relay();
    const provider = noLogin(server);
    const result = await engine([provider]).send(message);

    expect(result.ok).toBe(true);
    const [received] = await server.waitForMessages(1);
    expect(received?.authUser).toBeUndefined();
    expect(received?.rcptTo).toEqual(['ann@example.com']);
    expect(server.logins).toEqual([]);
  });

  it('warns when the server asks for a login, and a send is then refused as AUTH', async () => {
    const server = await relay({ users: { someone: randomBytes(8).toString('hex') } });
    const provider = noLogin(server);
    const mailer = engine([provider]);

    const verified = await mailer.verify(provider);
    expect(verified.ok).toBe(true);
    expect(verified.warnings.join(' ')).toMatch(NO_LOGIN_TRIED);
    expect(verified.warnings.join(' ')).toMatch(/offers AUTH but no Username/);

    const sent = await mailer.send(message);
    expect(sent.ok).toBe(false);
    expect(sent.failure?.category).toBe('AUTH');
    expect(server.messages).toHaveLength(0);
  });

  it('may use plain SMTP toward a host that is not loopback, with a warning (no connection is made)', async () => {
    const lan = { host: '10.0.0.25', port: 25 };
    const provider = smtpProvider(lan, { username: '', password: '' });

    expect(validateProviderConfig(provider)).toEqual([]);
    expect(configWarnings(provider)).toEqual([expect.stringMatching(/crosses the network unencrypted/)]);
    const transport = createSmtpTransport(provider, { timeouts: DEFAULT_TIMEOUTS, logger: silentLogger });
    await transport.close();
  });

  it('refuses plain SMTP toward that host once a login is set: the password would cross in clear', () => {
    const provider = smtpProvider(
      { host: '10.0.0.25', port: 25 },
      { username: 'app', password: 'a-real-secret' },
    );

    expect(validateProviderConfig(provider).map((issue) => issue.field)).toEqual(['encryption']);
    expect(() => createSmtpTransport(provider, { timeouts: DEFAULT_TIMEOUTS, logger: silentLogger })).toThrow(
      /loopback/,
    );
  });

  it('is refused with only one of Username and Password', () => {
    const base = { host: '127.0.0.1', port: 2525 };
    const onlyPassword = smtpProvider(base, { username: '', password: 'a-real-secret' });
    const onlyUsername = smtpProvider(base, { username: 'app', password: '' });

    expect(validateProviderConfig(onlyPassword)).toEqual([
      { field: 'username', message: expect.stringMatching(/Username and Password both empty/) },
    ]);
    expect(validateProviderConfig(onlyUsername)).toEqual([
      { field: 'password', message: expect.stringMatching(/Username and Password both empty/) },
    ]);
    expect(() => engine([onlyPassword])).toThrow(/username/);
  });
});
