import { configWarnings, validateProviderConfig, type ValidationIssue } from '../src/provider-validation';
import type { ProviderConfig } from '../src/provider';

const valid: ProviderConfig = {
  id: 'p1',
  type: 'smtp',
  name: 'main relay',
  host: 'smtp.example.com',
  port: 587,
  username: 'app',
  password: 'correct-horse-battery',
  encryption: 'starttls',
  fromEmail: 'noreply@example.com',
  fromName: 'Example',
  serviceType: 'primary',
  status: 'active',
  priority: 1,
};

function fieldsOf(issues: ValidationIssue[]): string[] {
  return issues.map((issue) => issue.field).sort();
}

describe('validateProviderConfig', () => {
  it('accepts a complete SMTP provider', () => {
    expect(validateProviderConfig(valid)).toEqual([]);
  });

  // The value rules are the shared table (provider-rules.test.ts); these rows check what the engine adds
  // (types, enums, TLS options) and that it reports the shared rules under its own field names.
  it.each<[string, Record<string, unknown>, string[]]>([
    ['no login (username and password empty)', { username: '', password: '' }, []],
    ['encryption none toward localhost', { encryption: 'none', host: 'localhost' }, []],
    [
      'encryption none with no login toward a LAN relay',
      { encryption: 'none', host: '10.0.0.25', username: '', password: '' },
      [],
    ],
    [
      'an API vendor on an API type',
      { type: 'api_smtp', apiVendor: 'sendgrid', host: 'api.sendgrid.com', port: 443, encryption: 'ssl_tls' },
      [],
    ],
    [
      'TLS options with a private CA',
      { tls: { ca: '-----BEGIN CERTIFICATE-----', servername: 'mx.example.com' } },
      [],
    ],
    ['a port as text', { port: '587' }, ['port']],
    ['port 0', { port: 0 }, ['port']],
    ['a name that is no text', { name: 7 }, ['name']],
    ['a password that is no text', { password: null }, ['password']],
    ['a password without a username', { username: '' }, ['username']],
    ['a username without a password', { password: '' }, ['password']],
    ['encryption none with a login toward a remote host', { encryption: 'none' }, ['encryption']],
    ['an unknown encryption', { encryption: 'tls' }, ['encryption']],
    ['an unknown API vendor', { type: 'api_smtp', apiVendor: 'mailchimp' }, ['apiVendor']],
    ['an unknown type', { type: 'imap' }, ['type']],
    ['an unknown service type', { serviceType: 'backup' }, ['serviceType']],
    ['an unknown status', { status: 'enabled' }, ['status']],
    ['priority 0', { priority: 0 }, ['priority']],
    ['an empty id', { id: '' }, ['id']],
    ['a TLS servername left empty', { tls: { servername: '' } }, ['tls.servername']],
    [
      'a TLS rejectUnauthorized that is no boolean',
      { tls: { rejectUnauthorized: 'no' } },
      ['tls.rejectUnauthorized'],
    ],
    [
      'OAuth2 as a mailbox, with no password',
      { authMethod: 'oauth2', username: 'mailer@contoso.com', password: '' },
      [],
    ],
    ['OAuth2 with a Username that is no address', { authMethod: 'oauth2', password: '' }, ['username']],
    ['no login named', { authMethod: 'none', username: '', password: '' }, []],
    ['an unknown sign-in method', { authMethod: 'OAUTH2' }, ['authMethod']],
    [
      'OAuth2 for an HTTP API vendor',
      {
        type: 'api_smtp',
        apiVendor: 'sendgrid',
        host: 'api.sendgrid.com',
        port: 443,
        encryption: 'ssl_tls',
        authMethod: 'oauth2',
      },
      ['authMethod'],
    ],
    [
      'several problems at once',
      { port: 0, password: 'changeme', fromEmail: 'x' },
      ['fromEmail', 'password', 'port'],
    ],
  ])('%s', (_name, change, expectedFields) => {
    const issues = validateProviderConfig({ ...valid, ...change });
    expect(fieldsOf(issues)).toEqual(expectedFields);
    for (const issue of issues) expect(issue.message).toMatch(/\.$/);
  });

  it('names a missing field', () => {
    const { host: _host, ...rest } = valid;
    expect(fieldsOf(validateProviderConfig(rest))).toEqual(['host']);
  });

  it('never repeats the secret in a message', () => {
    const issues = validateProviderConfig({ ...valid, password: 'xxxxxxxxxxxx', port: -1 });
    expect(JSON.stringify(issues)).not.toContain('xxxxxxxxxxxx');
  });
});

describe('validateProviderConfig for OAuth2', () => {
  it('names the field and says the Username must be the mailbox address', () => {
    expect(validateProviderConfig({ ...valid, authMethod: 'oauth2', username: 'app', password: '' })).toEqual(
      [
        {
          field: 'username',
          message:
            "Enter the mailbox's email address as the username (e.g. noreply@example.com): OAuth2 signs in as that mailbox.",
        },
      ],
    );
  });
});

describe('configWarnings', () => {
  it.each<[string, Partial<ProviderConfig>, RegExp[]]>([
    ['none for STARTTLS on 587', {}, []],
    ['none for SSL/TLS on 465', { port: 465, encryption: 'ssl_tls' }, []],
    ['465 with STARTTLS', { port: 465, encryption: 'starttls' }, [/SSL\/TLS on 465/]],
    ['587 with SSL/TLS', { port: 587, encryption: 'ssl_tls' }, [/wrong version number/]],
    ['TLS verification off', { tls: { rejectUnauthorized: false } }, [/verification is off/]],
    [
      'both at once',
      { port: 587, encryption: 'ssl_tls', tls: { rejectUnauthorized: false } },
      [/STARTTLS on 587/, /verification is off/],
    ],
    [
      'plain mail toward a LAN relay with no login',
      { encryption: 'none', host: '10.0.0.25', port: 25, username: '', password: '' },
      [/crosses the network unencrypted/],
    ],
    [
      'no port advice for an HTTP API vendor',
      { type: 'api_smtp', apiVendor: 'postmark', port: 587, encryption: 'ssl_tls' },
      [],
    ],
  ])('%s', (_name, change, expected) => {
    const warnings = configWarnings({ ...valid, ...change });
    expect(warnings).toHaveLength(expected.length);
    expected.forEach((pattern, index) => expect(warnings[index]).toMatch(pattern));
  });
});
