import {
  credentialsChanged,
  emptyProviderForm,
  isEmailAddress,
  isLoopbackHost,
  isPlaceholderSecret,
  providerWarnings,
  toProviderInput,
  validateProvider,
  type ProviderField,
  type ProviderFormValues,
} from '../../src/lib/provider-rules';

/** A form the API accepts; each case changes what it tests. */
function validForm(overrides: Partial<ProviderFormValues> = {}): ProviderFormValues {
  return {
    ...emptyProviderForm(),
    name: 'zeptomail',
    host: 'smtp.zeptomail.com',
    port: '587',
    username: 'emailapikey',
    password: 'a-real-token-' + 'k2j4h5',
    encryption: 'STARTTLS',
    fromEmail: 'noreply@example.com',
    fromName: 'Example Shop',
    ...overrides,
  };
}

describe('validateProvider', () => {
  it('accepts a complete SMTP provider', () => {
    expect(validateProvider(validForm(), { passwordStored: false })).toEqual({});
  });

  it.each<[string, Partial<ProviderFormValues>, ProviderField, string | undefined]>([
    // name
    ['empty name', { name: '' }, 'name', 'nameRequired'],
    ['blank name', { name: '   ' }, 'name', 'nameRequired'],
    ['64-character name', { name: 'n'.repeat(64) }, 'name', undefined],
    ['65-character name', { name: 'n'.repeat(65) }, 'name', 'tooLong'],
    // API vendor
    ['vendor on an SMTP provider', { type: 'SMTP', apiVendor: 'SENDGRID' }, 'apiVendor', 'vendorOnlyForApi'],
    [
      'vendor on an API provider',
      { type: 'API_SMTP', apiVendor: 'SENDGRID', port: '443', encryption: 'SSL_TLS' },
      'apiVendor',
      undefined,
    ],
    // host
    ['empty host', { host: '' }, 'host', 'hostRequired'],
    ['host with a scheme', { host: 'https://smtp.example.com' }, 'host', 'hostScheme'],
    ['host with smtp scheme', { host: 'smtp://smtp.example.com' }, 'host', 'hostScheme'],
    ['host with a path', { host: 'smtp.example.com/send' }, 'host', 'hostPath'],
    ['host with a space', { host: 'smtp example.com' }, 'host', 'hostSpaces'],
    ['host with a port', { host: 'smtp.example.com:587' }, 'host', 'hostPort'],
    ['host with a bad label', { host: 'smtp.-example.com' }, 'host', 'hostInvalid'],
    ['IPv4 host', { host: '192.0.2.10' }, 'host', undefined],
    ['bracketed IPv4 host', { host: '[192.0.2.10]' }, 'host', undefined],
    ['host with an underscore label', { host: 'mail_relay.internal' }, 'host', undefined],
    ['host with a control character', { host: 'smtp\u0007example.com' }, 'host', 'noControlCharacters'],
    ['host label over 63 characters', { host: `${'a'.repeat(64)}.example.com` }, 'host', 'hostInvalid'],
    ['host with an unknown colon form', { host: 'smtp:example' }, 'host', 'hostInvalid'],
    ['IPv6 host', { host: '2001:db8::25' }, 'host', undefined],
    ['bracketed IPv6 loopback', { host: '[::1]' }, 'host', undefined],
    ['254-character host', { host: `${'a'.repeat(63)}.`.repeat(4).slice(0, 254) }, 'host', 'hostTooLong'],
    ['single-label host', { host: 'localhost' }, 'host', undefined],
    // port
    ['empty port', { port: '' }, 'port', 'portRequired'],
    ['port 0', { port: '0' }, 'port', 'portInvalid'],
    ['port 65536', { port: '65536' }, 'port', 'portInvalid'],
    ['port with letters', { port: '58a' }, 'port', 'portInvalid'],
    ['port 65535', { port: '65535' }, 'port', undefined],
    ['port 1', { port: '1' }, 'port', undefined],
    // username
    ['257-character username', { username: 'u'.repeat(257) }, 'username', 'tooLong'],
    ['username with a line break', { username: 'user\r\nRCPT TO:<x@y.z>' }, 'username', 'noLineBreaks'],
    ['empty username', { username: '' }, 'username', undefined],
    ['username with a control character', { username: 'user\u001bname' }, 'username', 'noControlCharacters'],
    ['name with a control character', { name: 'zepto\u0000mail' }, 'name', 'noControlCharacters'],
    ['From Name with a tab (allowed, as by the API)', { fromName: 'Shop\tTeam' }, 'fromName', undefined],
    // password
    ['empty password on create', { password: '' }, 'password', 'passwordRequired'],
    ['placeholder "password"', { password: 'password' }, 'password', 'passwordPlaceholder'],
    ['placeholder "changeme"', { password: 'ChangeMe' }, 'password', 'passwordPlaceholder'],
    ['placeholder "your-api-key"', { password: 'your-api-key' }, 'password', 'passwordPlaceholder'],
    ['placeholder "xxxxxxxx"', { password: 'xxxxxxxx' }, 'password', 'passwordPlaceholder'],
    ['placeholder "<api key>"', { password: '<api key>' }, 'password', 'passwordPlaceholder'],
    ['placeholder "your_password"', { password: 'your_password' }, 'password', 'passwordPlaceholder'],
    ['password with a line break', { password: 'secret\nvalue' }, 'password', 'noLineBreaks'],
    // encryption
    [
      'no encryption toward a remote host',
      { encryption: 'NONE', host: 'smtp.example.com' },
      'encryption',
      'plainLoopbackOnly',
    ],
    ['no encryption toward localhost', { encryption: 'NONE', host: 'localhost' }, 'encryption', undefined],
    ['no encryption toward 127.0.0.1', { encryption: 'NONE', host: '127.0.0.1' }, 'encryption', undefined],
    [
      'plain HTTP toward a remote API',
      {
        type: 'API_SMTP',
        apiVendor: 'POSTMARK',
        encryption: 'NONE',
        host: 'api.postmarkapp.com',
        port: '80',
      },
      'encryption',
      'plainHttpLoopbackOnly',
    ],
    [
      'STARTTLS toward an HTTP API',
      { type: 'API_SMTP', apiVendor: 'RESEND', encryption: 'STARTTLS', host: 'api.resend.com', port: '443' },
      'encryption',
      'starttlsWithApi',
    ],
    [
      'STARTTLS toward a mail service relay (no vendor)',
      { type: 'API_SMTP', apiVendor: '', encryption: 'STARTTLS', host: 'smtp.resend.com', port: '587' },
      'encryption',
      undefined,
    ],
    // from
    ['empty From Email', { fromEmail: '' }, 'fromEmail', 'fromEmailRequired'],
    ['From Email without a domain', { fromEmail: 'noreply@' }, 'fromEmail', 'fromEmailInvalid'],
    ['From Email without an at sign', { fromEmail: 'noreply.example.com' }, 'fromEmail', 'fromEmailInvalid'],
    [
      'From Email with a display name',
      { fromEmail: 'Shop <noreply@example.com>' },
      'fromEmail',
      'fromEmailInvalid',
    ],
    [
      '255-character From Email',
      { fromEmail: `${'a'.repeat(64)}@${'b'.repeat(186)}.com` },
      'fromEmail',
      'tooLong',
    ],
    ['From Name with a line break', { fromName: 'Shop\nBcc: x@y.z' }, 'fromName', 'noLineBreaks'],
    ['129-character From Name', { fromName: 'n'.repeat(129) }, 'fromName', 'tooLong'],
    ['empty From Name', { fromName: '' }, 'fromName', undefined],
  ])('%s', (_case, overrides, field, expected) => {
    const errors = validateProvider(validForm(overrides), { passwordStored: false });
    expect(errors[field]?.key).toBe(expected);
  });

  it('keeps a stored password when the field is left empty', () => {
    expect(validateProvider(validForm({ password: '' }), { passwordStored: true }).password).toBeUndefined();
  });
});

describe('providerWarnings', () => {
  it.each<[string, Partial<ProviderFormValues>, string | undefined]>([
    ['465 with STARTTLS', { port: '465', encryption: 'STARTTLS' }, 'starttlsOn465'],
    ['587 with SSL/TLS', { port: '587', encryption: 'SSL_TLS' }, 'sslOn587'],
    ['465 with SSL/TLS', { port: '465', encryption: 'SSL_TLS' }, undefined],
    ['587 with STARTTLS', { port: '587', encryption: 'STARTTLS' }, undefined],
    ['2525 with STARTTLS', { port: '2525', encryption: 'STARTTLS' }, undefined],
    [
      'an HTTP API on 587 (not an SMTP port question)',
      { type: 'API_SMTP', apiVendor: 'RESEND', port: '587', encryption: 'SSL_TLS' },
      undefined,
    ],
  ])('%s', (_case, overrides, expected) => {
    expect(providerWarnings(validForm(overrides)).encryption?.key).toBe(expected);
  });
});

describe('helpers', () => {
  it.each([
    ['localhost', true],
    ['mail.localhost', true],
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['[::1]', true],
    ['10.0.0.1', false],
    ['smtp.example.com', false],
    ['localhost.example.com', false],
  ])('isLoopbackHost(%s) is %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it.each([
    ['password', true],
    ['PASSWORD', true],
    ['changeme', true],
    ['your-api-key', true],
    ['xxxx', true],
    ['XXXXXXXXXXXX', true],
    ['<your token>', true],
    ['  Your_Password ', true],
    ['xxx', false],
    ['s3cr3t-Pa55', false],
    ['passwords-are-long', false],
  ])('isPlaceholderSecret(%s) is %s', (secret, expected) => {
    expect(isPlaceholderSecret(secret)).toBe(expected);
  });

  it.each([
    ['noreply@example.com', true],
    ['first.last+tag@sub.example.co.uk', true],
    ['"quoted local"@example.com', true],
    ['user@[192.0.2.1]', true],
    ['user@localhost', true],
    ['user@[IPv6:2001:db8::1]', true],
    ['user@-bad.example.com', false],
    ['user@@example.com', false],
    ['.user@example.com', false],
    ['user.@example.com', false],
    ['user@example..com', false],
    ['user name@example.com', false],
  ])('isEmailAddress(%s) is %s', (value, expected) => {
    expect(isEmailAddress(value)).toBe(expected);
  });

  it('sends no password when the field is empty, so the stored one is kept', () => {
    const input = toProviderInput(validForm({ password: '' }));
    expect(input).not.toHaveProperty('password');
    expect(input.port).toBe(587);
  });

  it('sends the vendor only for API types', () => {
    expect(toProviderInput(validForm({ type: 'SMTP', apiVendor: 'BREVO' })).apiVendor).toBeNull();
    expect(toProviderInput(validForm({ type: 'API_SMTP', apiVendor: 'BREVO' })).apiVendor).toBe('BREVO');
  });

  it.each<[string, Partial<ProviderFormValues>, boolean]>([
    ['nothing changed', {}, false],
    ['only the name', { name: 'renamed' }, false],
    ['only From Name', { fromName: 'Other' }, false],
    ['the host', { host: 'smtp.other.com' }, true],
    ['the port', { port: '465' }, true],
    ['the encryption', { encryption: 'SSL_TLS' }, true],
    ['the username', { username: 'someone' }, true],
    ['a new password', { password: 'new-secret-value' }, true],
    ['the type', { type: 'API_SMTP' }, true],
  ])('credentialsChanged: %s → %s', (_case, overrides, expected) => {
    const original = validForm({ password: '' });
    expect(credentialsChanged(original, { ...original, ...overrides })).toBe(expected);
  });
});
