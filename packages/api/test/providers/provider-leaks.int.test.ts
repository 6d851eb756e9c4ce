import {
  startSmtpTestServer,
  startVendorEmulator,
  type SmtpTestServer,
  type VendorEmulator,
} from '@mail-providers/mailer-core/test-support';
import { formsOf, tablesHolding } from '../support/secret-scan';
import { dataOf, type GqlResponse } from '../support/test-agent';
import { startTestServer, testSecret, type TestServer } from '../support/test-server';
import {
  CHAIN,
  CREATE,
  GET,
  LIST,
  REORDER,
  SEND_TEST,
  SET_STATUS,
  UPDATE,
  VERIFY,
  VERIFY_SETTINGS,
  apiInput,
  inputFrom,
  smtpInput,
  type ProviderView,
} from './provider-support';

/**
 * Provider passwords and API keys appear in no response, no log line, no database column in
 * plain text and no audit entry, whatever the caller does, including what fails.
 * The OAuth2 client secret and tokens are checked the same way in oauth2.int.test.ts.
 */
let server: TestServer;
let smtp: SmtpTestServer;
let emulator: VendorEmulator;
const responses: string[] = [];
const secrets: string[] = [];

function secret(prefix: string): string {
  const value = testSecret(prefix);
  secrets.push(value);
  return value;
}

async function call<T>(query: string, variables?: Record<string, unknown>): Promise<GqlResponse<T>> {
  const response = await server.gql<T>(query, variables);
  responses.push(response.text);
  return response;
}

let smtpPassword: string;
let apiKey: string;

beforeAll(async () => {
  server = await startTestServer({ env: { LOG_LEVEL: 'trace' } });
  smtpPassword = secret('smtp');
  smtp = await startSmtpTestServer({ users: { app: smtpPassword } });
  emulator = await startVendorEmulator();
  apiKey = emulator.apiKey('sendgrid');
  secrets.push(apiKey);
});

afterAll(async () => {
  await smtp?.close();
  await emulator?.close();
  await server?.close();
});

it('exercises every provider operation, the failing ones included', async () => {
  // A provider created active (verified in the request) and one that fails verification.
  const created = dataOf(
    await call<{ createProvider: ProviderView }>(CREATE, {
      input: smtpInput(smtp, { password: smtpPassword, status: 'ACTIVE' }),
    }),
  ).createProvider;
  await call(CREATE, { input: smtpInput(smtp, { password: secret('wrong'), status: 'ACTIVE' }) });

  // The server echoes the password it was given in its refusal: the engine must strip it.
  smtp.fail({ auth: { code: 535, message: `5.7.8 Error: authentication failed for ${smtpPassword}` } });
  await call(VERIFY_SETTINGS, { input: smtpInput(smtp, { password: smtpPassword }) });
  await call(VERIFY, { id: created.id });
  smtp.reset();

  // Validation errors that see the password: a placeholder-like value, line breaks, a wrong type elsewhere.
  await call(CREATE, { input: smtpInput(smtp, { password: `${secret('crlf')}\r\nX-Injected: 1` }) });
  const mistyped: Record<string, unknown> = {
    ...smtpInput(smtp, { password: secret('typed') }),
    port: 'not-a-number',
  };
  await call(CREATE, { input: mistyped });

  // Updates: a new password that fails verification (nothing changes), then one that works.
  const rotated = secret('rotated');
  await call(UPDATE, { id: created.id, input: inputFrom(created, { password: rotated }) });
  await call(UPDATE, {
    id: created.id,
    input: inputFrom(created, { password: null, fromName: 'Kept password' }),
  });

  // An HTTP API vendor, with a key the vendor accepts and one it refuses.
  const api = (key: string, status: string) =>
    apiInput(emulator, 'sendgrid', {
      name: `sendgrid-${status}-${key.slice(-4)}`,
      password: key,
      serviceType: 'FALLBACK',
      status,
    });
  const apiProvider = dataOf(
    await call<{ createProvider: ProviderView }>(CREATE, { input: api(apiKey, 'ACTIVE') }),
  ).createProvider;
  await call(CREATE, { input: api(secret('badkey'), 'ACTIVE') });

  // Test emails: one provider, the chain, and a failure.
  await call(SEND_TEST, { to: 'ops@example.org', providerId: created.id });
  await call(SEND_TEST, { to: 'ops@example.org', providerId: apiProvider.id });
  await smtp.stop();
  await call(SEND_TEST, { to: 'ops@example.org' });
  await smtp.start();

  // Reads of every kind.
  await call(LIST);
  await call(GET, { id: created.id });
  await call(CHAIN, { channel: 'DEFAULT' });
  await call(SET_STATUS, { id: created.id, status: 'INACTIVE' });
  await call(REORDER, { ids: [apiProvider.id, created.id] });
  await call('{ auditLog(first: 100) { nodes { action fields actor entityId } } }');

  expect(responses.length).toBeGreaterThan(15);
  // The echoed password did reach the server's answer and was removed from it, not lost on the way.
  expect(responses.join('\n')).toContain('authentication failed for [redacted]');
});

describe('the secrets appear nowhere', () => {
  it('in any response', () => {
    const all = responses.join('\n');
    for (const value of secrets) for (const form of formsOf(value)) expect(all).not.toContain(form);
  });

  it('in any log line', () => {
    expect(server.logs.length).toBeGreaterThan(10);
    const all = server.logs.join('\n');
    for (const value of secrets) for (const form of formsOf(value)) expect(all).not.toContain(form);
  });

  it('in any column of any table, audit log included', async () => {
    // The audit log has entries to look through.
    const audited = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    expect(audited.rows[0]?.n).toBeGreaterThan(5);
    expect(await tablesHolding(server, secrets)).toEqual([]);
    const stored = await server.db.query<{ password_ciphertext: string; password_key_id: string }>(
      'SELECT password_ciphertext, password_key_id FROM providers',
    );
    for (const row of stored.rows) {
      expect(row.password_ciphertext).toMatch(/^v1:[A-Za-z0-9+/=]+$/);
      expect(row.password_key_id).toMatch(/^[0-9a-f]{16}$/);
    }
  });
});
