import { errorCode } from '../support/test-agent';
import { startTestServer, testSecret, type TestServer } from '../support/test-server';
import {
  CREATE,
  UPDATE,
  VERIFY_SETTINGS,
  createProvider,
  fieldsOf,
  inputFrom,
  providerRows,
  smtpInput,
  uniqueName,
  type ProviderInputValue,
} from './provider-support';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

/** A valid input; nothing contacts the host, since the provider is saved INACTIVE. */
function valid(overrides: Partial<ProviderInputValue> = {}): ProviderInputValue {
  return smtpInput({ host: '127.0.0.1', port: 2525 }, overrides);
}

const long = (length: number) => 'a'.repeat(length);

// Each provider rule: the input that breaks it, the field named, and words of the advice given.
const RULES: Array<{ case: string; input: Partial<ProviderInputValue>; field: string; advice: RegExp }> = [
  { case: 'an empty name', input: { name: '' }, field: 'name', advice: /Enter a provider name/ },
  { case: 'a name of spaces', input: { name: '   ' }, field: 'name', advice: /Enter a provider name/ },
  {
    case: 'a name over 64 characters',
    input: { name: long(65) },
    field: 'name',
    advice: /64 characters or fewer/,
  },
  {
    case: 'a line break in the name',
    input: { name: 'zepto\r\nBcc: x@example.com' },
    field: 'name',
    advice: /Remove line breaks/,
  },
  {
    case: 'a control character in the name',
    input: { name: 'zepto\u0007' },
    field: 'name',
    advice: /Remove control characters/,
  },
  { case: 'an empty host', input: { host: '' }, field: 'host', advice: /Enter the host name/ },
  {
    case: 'a host with a scheme',
    input: { host: 'https://smtp.example.com' },
    field: 'host',
    advice: /without a scheme/,
  },
  {
    case: 'a host with a path',
    input: { host: 'smtp.example.com/send' },
    field: 'host',
    advice: /without a path/,
  },
  {
    case: 'a host with spaces',
    input: { host: 'smtp .example.com' },
    field: 'host',
    advice: /Remove spaces/,
  },
  {
    case: 'a host with a port',
    input: { host: 'smtp.example.com:587' },
    field: 'host',
    advice: /Port field/,
  },
  {
    case: 'a host over 253 characters',
    input: { host: `${'a'.repeat(60)}.`.repeat(5) + 'com' },
    field: 'host',
    advice: /253 characters/,
  },
  {
    case: 'a host that is no name',
    input: { host: 'smtp_!.example.com' },
    field: 'host',
    advice: /valid host name/,
  },
  {
    case: 'a line break in the host',
    input: { host: 'smtp.example.com\n' },
    field: 'host',
    advice: /Remove line breaks/,
  },
  { case: 'port 0', input: { port: 0 }, field: 'port', advice: /between 1 and 65535/ },
  { case: 'port 65536', input: { port: 65536 }, field: 'port', advice: /between 1 and 65535/ },
  { case: 'a negative port', input: { port: -25 }, field: 'port', advice: /between 1 and 65535/ },
  {
    case: 'a username over 256 characters',
    input: { username: long(257) },
    field: 'username',
    advice: /256 characters or fewer/,
  },
  {
    case: 'a line break in the username',
    input: { username: 'app\r\nMAIL FROM:<x@example.com>' },
    field: 'username',
    advice: /Remove line breaks/,
  },
  { case: 'no password', input: { password: null }, field: 'password', advice: /a new provider needs one/ },
  {
    case: 'a password without a username',
    input: { username: '' },
    field: 'username',
    advice: /Username and Password both empty/,
  },
  {
    case: 'a control character in the username',
    input: { username: 'app\u001b' },
    field: 'username',
    advice: /Remove control characters/,
  },
  {
    case: 'an empty password',
    input: { password: '' },
    field: 'password',
    advice: /a new provider needs one/,
  },
  {
    case: 'the placeholder "password"',
    input: { password: 'password' },
    field: 'password',
    advice: /placeholder/,
  },
  {
    case: 'the placeholder "changeme"',
    input: { password: 'changeme' },
    field: 'password',
    advice: /placeholder/,
  },
  {
    case: 'the placeholder "your-api-key"',
    input: { password: 'your-api-key' },
    field: 'password',
    advice: /placeholder/,
  },
  { case: 'a row of x', input: { password: 'xxxxxxxxxxxx' }, field: 'password', advice: /placeholder/ },
  {
    case: 'a <placeholder>',
    input: { password: '<your SMTP password>' },
    field: 'password',
    advice: /placeholder/,
  },
  {
    case: 'a line break in the password',
    input: { password: `${testSecret('pw')}\r\n` },
    field: 'password',
    advice: /Remove line breaks/,
  },
  {
    case: 'NONE with a login toward a remote host',
    input: { host: 'smtp.example.com', encryption: 'NONE' },
    field: 'encryption',
    advice: /only toward localhost/,
  },
  {
    case: 'an HTTP API vendor without an API key',
    input: {
      type: 'API_SMTP',
      apiVendor: 'RESEND',
      host: 'api.resend.com',
      port: 443,
      encryption: 'SSL_TLS',
      password: null,
    },
    field: 'password',
    advice: /API key/,
  },
  {
    case: 'STARTTLS for an HTTP API vendor',
    input: {
      type: 'API_SMTP',
      apiVendor: 'SENDGRID',
      host: 'api.sendgrid.com',
      port: 443,
      encryption: 'STARTTLS',
    },
    field: 'encryption',
    advice: /over https/,
  },
  {
    case: 'an API vendor on an SMTP provider',
    input: { type: 'SMTP', apiVendor: 'POSTMARK' },
    field: 'apiVendor',
    advice: /Leave the API vendor empty/,
  },
  {
    case: 'a From Email that is no address',
    input: { fromEmail: 'noreply' },
    field: 'fromEmail',
    advice: /plain address/,
  },
  {
    case: 'a From Email with a display name',
    input: { fromEmail: 'Ann <ann@example.com>' },
    field: 'fromEmail',
    advice: /plain address/,
  },
  {
    case: 'a From Email over 254 characters',
    input: { fromEmail: `${long(64)}@${long(63)}.${long(63)}.${long(63)}.com` },
    field: 'fromEmail',
    advice: /254 characters/,
  },
  {
    case: 'a header injected in the From Email',
    input: { fromEmail: 'a@example.com\r\nBcc: x@example.com' },
    field: 'fromEmail',
    advice: /Remove line breaks/,
  },
  {
    case: 'a From Name over 128 characters',
    input: { fromName: long(129) },
    field: 'fromName',
    advice: /128 characters or fewer/,
  },
  {
    case: 'a line break in the From Name',
    input: { fromName: 'Shop\nBcc: x@example.com' },
    field: 'fromName',
    advice: /Remove line breaks/,
  },
  {
    case: 'a tab in the From Name',
    input: { fromName: 'Shop\tNews' },
    field: 'fromName',
    advice: /Remove control characters/,
  },
];

describe('provider validation, one rule per row', () => {
  it.each(RULES)('refuses $case (input.$field)', async ({ input, field, advice }) => {
    const before = await providerRows(server);
    const response = await server.gql(CREATE, { input: valid(input) });
    expect(response.status).toBeLessThan(500);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    const fields = fieldsOf(response);
    expect(fields).toContainEqual({ field: `input.${field}`, message: expect.stringMatching(advice) });
    // Only the broken field is named, and every message says what to do and ends with a period.
    expect(fields.map((f) => f.field)).toEqual([`input.${field}`]);
    expect(fields[0]?.message).toMatch(/\.$/);
    expect(await providerRows(server)).toEqual(before);
  });

  it('names every bad field at once, in the order of the form', async () => {
    const response = await server.gql(CREATE, {
      input: valid({
        name: '',
        host: 'http://x',
        port: 0,
        password: 'changeme',
        fromEmail: 'nobody',
        fromName: long(200),
      }),
    });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(response).map((f) => f.field)).toEqual([
      'input.name',
      'input.host',
      'input.port',
      'input.password',
      'input.fromEmail',
      'input.fromName',
    ]);
  });

  it('accepts NONE toward loopback hosts (with a login), toward any host without one, and the vendor defaults', async () => {
    for (const host of ['localhost', 'relay.localhost', '127.0.0.1', '127.5.6.7', '::1']) {
      await createProvider(server, valid({ host, encryption: 'NONE' }));
    }
    await createProvider(
      server,
      valid({ host: 'smarthost.example.com', port: 25, encryption: 'NONE', username: '', password: null }),
    );
    await createProvider(
      server,
      valid({
        type: 'API_SMTP',
        apiVendor: 'ZEPTOMAIL',
        host: 'api.zeptomail.eu',
        port: 443,
        encryption: 'SSL_TLS',
      }),
    );
  });

  it('refuses values outside the enums as a client error, never a server error', async () => {
    const response = await server.gql(CREATE, { input: { ...valid(), type: 'CARRIER_PIGEON' } });
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
  });

  it('applies the same rules on update, where a left-out password keeps the stored one', async () => {
    const created = await createProvider(server, valid());
    const kept = await server.gql(UPDATE, { id: created.id, input: inputFrom(created, { password: null }) });
    expect(kept.body.errors).toBeUndefined();

    const before = await providerRows(server);
    const response = await server.gql(UPDATE, {
      id: created.id,
      input: inputFrom(created, { password: 'your-api-key', port: 70000 }),
    });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(response).map((f) => f.field)).toEqual(['input.port', 'input.password']);
    expect(await providerRows(server)).toEqual(before);
  });

  it('checks settings before verifying them, and needs a password unless an id lends the stored one', async () => {
    const noPassword = await server.gql(VERIFY_SETTINGS, { input: valid({ password: null }) });
    expect(errorCode(noPassword)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(noPassword).map((f) => f.field)).toEqual(['input.password']);

    const badHost = await server.gql(VERIFY_SETTINGS, { input: valid({ host: 'smtp.example.com/x' }) });
    expect(fieldsOf(badHost).map((f) => f.field)).toEqual(['input.host']);
  });
});

/*
 * A left-out password stands for the stored one only toward the destination and as the identity it was
 * stored for; otherwise anyone allowed to edit could point a provider elsewhere and collect its secret.
 * Each row changes fields of a saved provider (INACTIVE, so nothing is contacted when the change is kept).
 */
const KEEP_PASSWORD: Array<{
  case: string;
  base?: Partial<ProviderInputValue>;
  change: Partial<ProviderInputValue>;
  /** The labels the advice names as changed; null when the stored password may be kept. */
  moved: string | null;
}> = [
  { case: 'the type', change: { type: 'API_SMTP' }, moved: 'Provider Type' },
  {
    case: 'the API vendor set',
    base: { type: 'API_SMTP' },
    change: { apiVendor: 'POSTMARK' },
    moved: 'API vendor',
  },
  {
    case: 'the API vendor cleared',
    base: { type: 'API_SMTP', apiVendor: 'SENDGRID' },
    change: { apiVendor: null },
    moved: 'API vendor',
  },
  { case: 'the host', change: { host: 'localhost' }, moved: 'SMTP Host' },
  { case: 'the port', change: { port: 2526 }, moved: 'Port' },
  { case: 'the username', change: { username: 'someone-else' }, moved: 'Username' },
  { case: 'the encryption', change: { encryption: 'STARTTLS' }, moved: 'Encryption' },
  { case: 'host and port together', change: { host: '127.0.0.2', port: 2526 }, moved: 'SMTP Host and Port' },
  {
    case: 'type, vendor and username together',
    change: { type: 'CRM_API_SMTP', apiVendor: 'MAILGUN', username: 'api' },
    moved: 'Provider Type, API vendor and Username',
  },
  { case: 'the name', change: { name: uniqueName('renamed') }, moved: null },
  { case: 'the From Email', change: { fromEmail: 'other@example.com' }, moved: null },
  { case: 'the From Name', change: { fromName: 'Other Sender' }, moved: null },
  { case: 'the service type', change: { serviceType: 'FALLBACK' }, moved: null },
];

const REENTER =
  /^Enter the password or API key again: (.+) changed, and the stored one is kept only while Provider Type, API vendor, SMTP Host, Port, Username and Encryption stay the same\.$/;

describe('a left-out password keeps the stored one only for the same destination and identity', () => {
  it.each(KEEP_PASSWORD)('update changing $case: refused for $moved', async ({ base, change, moved }) => {
    const created = await createProvider(server, valid(base));
    const before = await providerRows(server);
    const response = await server.gql(UPDATE, {
      id: created.id,
      input: inputFrom(created, { ...change, password: null }),
    });
    if (moved === null) {
      expect(response.body.errors).toBeUndefined();
      return;
    }
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    const fields = fieldsOf(response);
    expect(fields).toEqual([{ field: 'input.password', message: expect.stringMatching(REENTER) }]);
    expect(REENTER.exec(fields[0]?.message ?? '')?.[1]).toBe(moved);
    expect(await providerRows(server)).toEqual(before);

    // The same change with the password entered again is saved.
    const typed = await server.gql(UPDATE, {
      id: created.id,
      input: inputFrom(created, { ...change, password: testSecret('typed') }),
    });
    expect(typed.body.errors).toBeUndefined();
  });

  it.each(KEEP_PASSWORD.filter((row) => row.moved !== null))(
    'verifyProviderSettings with an id, changing $case: refused',
    async ({ base, change, moved }) => {
      const created = await createProvider(server, valid(base));
      const before = await providerRows(server);
      const response = await server.gql(VERIFY_SETTINGS, {
        id: created.id,
        input: inputFrom(created, { ...change, password: null }),
      });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      const fields = fieldsOf(response);
      expect(fields.map((f) => f.field)).toEqual(['input.password']);
      expect(REENTER.exec(fields[0]?.message ?? '')?.[1]).toBe(moved);
      expect(await providerRows(server)).toEqual(before);
    },
  );

  it('names the refused password along with the other bad fields, in form order', async () => {
    const created = await createProvider(server, valid());
    const response = await server.gql(UPDATE, {
      id: created.id,
      input: inputFrom(created, { host: 'http://elsewhere.example', fromEmail: 'nobody', password: null }),
    });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    const fields = fieldsOf(response);
    expect(fields.map((f) => f.field)).toEqual(['input.host', 'input.password', 'input.fromEmail']);
    expect(fields[1]?.message).toMatch(REENTER);
  });
});
