import {
  configWarnings,
  isLoopbackHost,
  validateProviderConfig,
  type ValidationIssue,
} from '../src/provider-validation';
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

  it.each<[string, Record<string, unknown>, string[]]>([
    // accepted variations
    ['an IPv4 host', { host: '192.0.2.10' }, []],
    ['an IPv6 host', { host: '2001:db8::1' }, []],
    ['a bracketed IPv6 host', { host: '[2001:db8::1]' }, []],
    ['a 64-character name', { name: 'n'.repeat(64) }, []],
    [
      'a 253-character host',
      { host: `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}` },
      [],
    ],
    ['port 1 and 65535', { port: 65535 }, []],
    ['an empty username (no login)', { username: '' }, []],
    ['an empty From Name', { fromName: '' }, []],
    ['encryption none toward localhost', { encryption: 'none', host: 'localhost' }, []],
    ['encryption none toward 127.0.0.1', { encryption: 'none', host: '127.0.0.1' }, []],
    ['encryption none toward 127.3.4.5', { encryption: 'none', host: '127.3.4.5' }, []],
    ['encryption none toward ::1', { encryption: 'none', host: '::1' }, []],
    [
      'an API vendor on an API type',
      { type: 'api_smtp', apiVendor: 'sendgrid', host: 'api.sendgrid.com', port: 443, encryption: 'ssl_tls' },
      [],
    ],
    ['a CRM provider through a relay', { type: 'crm_api_smtp', apiVendor: null }, []],
    [
      'TLS options with a private CA',
      { tls: { ca: '-----BEGIN CERTIFICATE-----', servername: 'mx.example.com' } },
      [],
    ],
    // refused
    ['an empty name', { name: '' }, ['name']],
    ['a blank name', { name: '   ' }, ['name']],
    ['a 65-character name', { name: 'n'.repeat(65) }, ['name']],
    ['a host with a scheme', { host: 'https://smtp.example.com' }, ['host']],
    ['a host with a path', { host: 'smtp.example.com/mail' }, ['host']],
    ['a host with a space', { host: 'smtp example.com' }, ['host']],
    ['a host with a port', { host: 'smtp.example.com:587' }, ['host']],
    ['an empty host', { host: '' }, ['host']],
    [
      'a 254-character host',
      {
        host:
          'a'.repeat(60) +
          '.' +
          'b'.repeat(60) +
          '.' +
          'c'.repeat(60) +
          '.' +
          'd'.repeat(60) +
          '.' +
          'e'.repeat(10),
      },
      ['host'],
    ],
    ['a host label with an underscore-free bad char', { host: 'smtp!.example.com' }, ['host']],
    ['port 0', { port: 0 }, ['port']],
    ['port 65536', { port: 65536 }, ['port']],
    ['a fractional port', { port: 587.5 }, ['port']],
    ['a port as text', { port: '587' }, ['port']],
    ['a 257-character username', { username: 'u'.repeat(257) }, ['username']],
    ['a username with a line break', { username: 'app\r\nMAIL FROM' }, ['username']],
    ['a missing password', { password: '' }, ['password']],
    ['password "password"', { password: 'password' }, ['password']],
    ['password "changeme"', { password: 'ChangeMe' }, ['password']],
    ['password "your-api-key"', { password: 'your-api-key' }, ['password']],
    ['password "xxxxxxxx"', { password: 'xxxxxxxx' }, ['password']],
    ['password "<api key>"', { password: '<SENDGRID_API_KEY>' }, ['password']],
    ['a password with a line break', { password: 'abc\ndef' }, ['password']],
    ['encryption none toward a remote host', { encryption: 'none' }, ['encryption']],
    ['encryption none toward 10.0.0.1', { encryption: 'none', host: '10.0.0.1' }, ['encryption']],
    ['an unknown encryption', { encryption: 'tls' }, ['encryption']],
    [
      'STARTTLS for an HTTP API vendor',
      { type: 'api_smtp', apiVendor: 'resend', encryption: 'starttls' },
      ['encryption'],
    ],
    ['a From Email without a domain', { fromEmail: 'noreply' }, ['fromEmail']],
    ['a From Email with a display name', { fromEmail: 'X <noreply@example.com>' }, ['fromEmail']],
    ['a 255-character From Email', { fromEmail: `${'a'.repeat(64)}@${'b'.repeat(186)}.com` }, ['fromEmail']],
    ['a 129-character From Name', { fromName: 'n'.repeat(129) }, ['fromName']],
    ['a From Name with a line break', { fromName: 'X\nBcc: y' }, ['fromName']],
    ['an API vendor on an SMTP provider', { apiVendor: 'sendgrid' }, ['apiVendor']],
    ['an unknown API vendor', { type: 'api_smtp', apiVendor: 'mailchimp' }, ['apiVendor']],
    ['an unknown type', { type: 'imap' }, ['type']],
    ['an unknown service type', { serviceType: 'backup' }, ['serviceType']],
    ['an unknown status', { status: 'enabled' }, ['status']],
    ['priority 0', { priority: 0 }, ['priority']],
    ['an empty id', { id: '' }, ['id']],
    ['a TLS servername left empty', { tls: { servername: '' } }, ['tls.servername']],
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

describe('isLoopbackHost', () => {
  it.each<[string, boolean]>([
    ['localhost', true],
    ['LOCALHOST', true],
    ['mail.localhost', true],
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['128.0.0.1', false],
    ['localhost.example.com', false],
    ['10.0.0.1', false],
    ['::2', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
