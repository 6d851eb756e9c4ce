import {
  hostProblem,
  isIpLiteral,
  isLoopbackHost,
  isNoLoginRelay,
  isPlaceholder,
  providerRuleIssues,
  providerRuleMessage,
  providerWarningMessage,
  providerWarnings,
  sendsNoPassword,
  type ProviderRuleCode,
  type ProviderRuleContext,
  type ProviderRuleField,
  type ProviderRuleValues,
  type ProviderWarningCode,
} from '../src/rules';

/** Settings every rule accepts: an SMTP relay with a login. Each case changes what it tests. */
const base: ProviderRuleValues = {
  type: 'smtp',
  name: 'main relay',
  apiVendor: null,
  host: 'smtp.example.com',
  port: 587,
  username: 'app',
  password: 'correct-horse-battery',
  encryption: 'starttls',
  fromEmail: 'noreply@example.com',
  fromName: 'Example',
};

const httpApi: ProviderRuleValues = {
  type: 'api_smtp',
  apiVendor: 'sendgrid',
  host: 'api.sendgrid.com',
  port: 443,
  encryption: 'ssl_tls',
};
const noLogin: ProviderRuleValues = { username: '', password: '' };
const oauth2: ProviderRuleValues = { authMethod: 'oauth2', username: 'mailer@contoso.com' };
const long = (length: number): string => 'a'.repeat(length);

type Expected = Partial<Record<ProviderRuleField, ProviderRuleCode>>;

/**
 * The one table of the provider rules: the engine, the API and the panel all judge settings with
 * providerRuleIssues, so a row here holds for each of them.
 */
const CASES: Array<[string, ProviderRuleValues, Expected, ProviderRuleContext?]> = [
  // name
  ['a 64-character name', { name: long(64) }, {}],
  ['an empty name', { name: '' }, { name: 'nameRequired' }],
  ['a name of spaces', { name: '   ' }, { name: 'nameRequired' }],
  ['a 65-character name', { name: long(65) }, { name: 'tooLong' }],
  ['a 64-character name with spaces around it (stored trimmed)', { name: ` ${long(64)} ` }, {}],
  ['a line break in the name', { name: 'zepto\r\nBcc: x@example.com' }, { name: 'noLineBreaks' }],
  ['a NUL in the name', { name: 'zepto\u0000mail' }, { name: 'noControlCharacters' }],
  ['a bell in the name', { name: 'zepto\u0007' }, { name: 'noControlCharacters' }],
  // API vendor
  ['an API vendor on an API type', httpApi, {}],
  ['a mail service through its relay', { type: 'api_smtp', apiVendor: null }, {}],
  ['a CRM mail service through its relay', { type: 'crm_api_smtp', apiVendor: null }, {}],
  ['an API vendor on an SMTP provider', { apiVendor: 'sendgrid' }, { apiVendor: 'vendorOnlyForApi' }],
  ['an unknown API vendor', { type: 'api_smtp', apiVendor: 'mailchimp' }, { apiVendor: 'vendorUnknown' }],
  // host
  ['an IPv4 host', { host: '192.0.2.10' }, {}],
  ['a bracketed IPv4 host', { host: '[192.0.2.10]' }, {}],
  ['an IPv6 host', { host: '2001:db8::1' }, {}],
  ['a bracketed IPv6 host', { host: '[2001:db8::1]' }, {}],
  ['an IPv6 host with an IPv4 tail', { host: '::ffff:192.0.2.1' }, {}],
  ['a single-label host', { host: 'localhost' }, {}],
  ['a label with an underscore', { host: 'mail_relay.internal' }, {}],
  ['a host ending in a dot', { host: 'smtp.example.com.' }, {}],
  ['a 253-character host', { host: `${long(63)}.${long(63)}.${long(63)}.${long(61)}` }, {}],
  ['an empty host', { host: '' }, { host: 'hostRequired' }],
  ['a 254-character host', { host: `${long(63)}.${long(63)}.${long(63)}.${long(62)}` }, { host: 'tooLong' }],
  ['a host with https://', { host: 'https://smtp.example.com' }, { host: 'hostScheme' }],
  ['a host with smtp://', { host: 'smtp://smtp.example.com' }, { host: 'hostScheme' }],
  ['a host with a path', { host: 'smtp.example.com/send' }, { host: 'hostPath' }],
  ['a host with a space', { host: 'smtp example.com' }, { host: 'hostSpaces' }],
  ['a host with a port', { host: 'smtp.example.com:587' }, { host: 'hostPort' }],
  ['a host with a bad character', { host: 'smtp!.example.com' }, { host: 'hostInvalid' }],
  ['a label starting with a hyphen', { host: 'smtp.-example.com' }, { host: 'hostInvalid' }],
  ['a label over 63 characters', { host: `${long(64)}.example.com` }, { host: 'hostInvalid' }],
  ['an unknown colon form', { host: 'smtp:example' }, { host: 'hostInvalid' }],
  ['a malformed IPv6 address', { host: '2001:db8:::1' }, { host: 'hostInvalid' }],
  ['a line break in the host', { host: 'smtp.example.com\n' }, { host: 'noLineBreaks' }],
  ['a control character in the host', { host: 'smtp\u0007example.com' }, { host: 'noControlCharacters' }],
  // port
  ['port 1', { port: 1 }, {}],
  ['port 65535', { port: 65535 }, {}],
  ['port 587 as typed in a form', { port: '587' }, {}],
  ['port 0', { port: 0 }, { port: 'portInvalid' }],
  ['port 65536', { port: 65536 }, { port: 'portInvalid' }],
  ['a negative port', { port: -25 }, { port: 'portInvalid' }],
  ['a fractional port', { port: 587.5 }, { port: 'portInvalid' }],
  ['an empty Port field', { port: '' }, { port: 'portRequired' }],
  ['letters in the Port field', { port: '58a' }, { port: 'portInvalid' }],
  ['65536 in the Port field', { port: '65536' }, { port: 'portInvalid' }],
  // username
  ['a 256-character username', { username: long(256) }, {}],
  ['a 257-character username', { username: long(257) }, { username: 'tooLong' }],
  [
    'a line break in the username',
    { username: 'app\r\nMAIL FROM:<x@example.com>' },
    { username: 'noLineBreaks' },
  ],
  ['an escape in the username', { username: 'user\u001bname' }, { username: 'noControlCharacters' }],
  // the login: both, or neither (a relay that trusts this server)
  ['no login: username and password both empty', noLogin, {}],
  ['a password without a username', { username: '' }, { username: 'usernameRequired' }],
  ['a username without a password', { password: '' }, { password: 'passwordRequired' }],
  ['a username whose stored password is kept', { password: '' }, {}, { passwordKept: true }],
  [
    'an empty username while a stored password is kept',
    { username: '', password: '' },
    { username: 'usernameRequired' },
    { passwordKept: true },
  ],
  [
    'a login chosen in a form, both fields still empty',
    noLogin,
    { username: 'usernameRequired', password: 'passwordRequired' },
    { loginChosen: true },
  ],
  [
    'a login chosen in a form, plain toward a remote host',
    { ...noLogin, encryption: 'none' },
    { username: 'usernameRequired', password: 'passwordRequired', encryption: 'plainLoopbackOnly' },
    { loginChosen: true },
  ],
  ['a login chosen for an HTTP API vendor means nothing more', httpApi, {}, { loginChosen: true }],
  ['an HTTP API vendor without an API key', { ...httpApi, password: '' }, { password: 'apiKeyRequired' }],
  ['an HTTP API vendor with a kept API key', { ...httpApi, password: '' }, {}, { passwordKept: true }],
  ['an HTTP API vendor with no username', { ...httpApi, username: '' }, {}],
  // password
  ['password "password"', { password: 'password' }, { password: 'passwordPlaceholder' }],
  ['password "ChangeMe"', { password: 'ChangeMe' }, { password: 'passwordPlaceholder' }],
  ['password "your-api-key"', { password: 'your-api-key' }, { password: 'passwordPlaceholder' }],
  ['password "  Your_Password "', { password: '  Your_Password ' }, { password: 'passwordPlaceholder' }],
  ['password "xxxxxxxx"', { password: 'xxxxxxxx' }, { password: 'passwordPlaceholder' }],
  ['password "<SENDGRID_API_KEY>"', { password: '<SENDGRID_API_KEY>' }, { password: 'passwordPlaceholder' }],
  ['a line break in the password', { password: 'abc\ndef' }, { password: 'noLineBreaks' }],
  // encryption
  ['none with a login toward localhost', { encryption: 'none', host: 'localhost' }, {}],
  ['none with a login toward mail.localhost', { encryption: 'none', host: 'mail.localhost' }, {}],
  ['none with a login toward 127.0.0.1', { encryption: 'none', host: '127.0.0.1' }, {}],
  ['none with a login toward 127.3.4.5', { encryption: 'none', host: '127.3.4.5' }, {}],
  ['none with a login toward ::1', { encryption: 'none', host: '::1' }, {}],
  ['none with a login toward a remote host', { encryption: 'none' }, { encryption: 'plainLoopbackOnly' }],
  [
    'none with a login toward 10.0.0.1',
    { encryption: 'none', host: '10.0.0.1' },
    { encryption: 'plainLoopbackOnly' },
  ],
  [
    'none with only a password toward a remote host',
    { encryption: 'none', username: '' },
    { username: 'usernameRequired', encryption: 'plainLoopbackOnly' },
  ],
  [
    'none with no login toward a LAN relay',
    { ...noLogin, encryption: 'none', host: '10.0.0.25', port: 25 },
    {},
  ],
  ['none with no login toward a remote host', { ...noLogin, encryption: 'none' }, {}],
  [
    'none with a bad host: only the host is named',
    { encryption: 'none', host: 'http://x' },
    { host: 'hostScheme' },
  ],
  ['plain HTTP toward a local API', { ...httpApi, encryption: 'none', host: '127.0.0.1', port: 8025 }, {}],
  [
    'plain HTTP toward a remote API',
    { ...httpApi, encryption: 'none', port: 80 },
    { encryption: 'plainHttpLoopbackOnly' },
  ],
  ['STARTTLS toward an HTTP API', { ...httpApi, encryption: 'starttls' }, { encryption: 'starttlsWithApi' }],
  [
    'STARTTLS toward a mail service relay',
    { type: 'api_smtp', apiVendor: null, host: 'smtp.resend.com', encryption: 'starttls' },
    {},
  ],
  // sign-in method: OAuth2 signs in as the mailbox named in Username and sends no password
  ['OAuth2 as a mailbox, no password', { ...oauth2, password: '' }, {}],
  ['OAuth2 keeps a leftover password unused', oauth2, {}],
  ['OAuth2 without a mailbox', { ...oauth2, username: '' }, { username: 'oauthUsernameEmail' }],
  [
    'OAuth2 with a login name that is no address',
    { ...oauth2, username: 'app' },
    { username: 'oauthUsernameEmail' },
  ],
  [
    'OAuth2 with plain SMTP toward a remote host (the token would cross in clear)',
    { ...oauth2, encryption: 'none' },
    { encryption: 'plainLoopbackOnly' },
  ],
  ['OAuth2 with plain SMTP toward localhost', { ...oauth2, encryption: 'none', host: 'localhost' }, {}],
  ['password sign-in named, both fields there', { authMethod: 'password' }, {}],
  [
    'password sign-in named with nothing filled in',
    { ...noLogin, authMethod: 'password' },
    { username: 'usernameRequired', password: 'passwordRequired' },
  ],
  ['no login named: Username and Password are not used', { authMethod: 'none', password: '' }, {}],
  ['no login inferred from an empty Username', { ...noLogin, authMethod: undefined }, {}],
  // sender
  ['a quoted local part', { fromEmail: '"quoted local"@example.com' }, {}],
  ['an address literal', { fromEmail: 'user@[192.0.2.1]' }, {}],
  ['an empty From Email', { fromEmail: '' }, { fromEmail: 'fromEmailRequired' }],
  ['a From Email without a domain', { fromEmail: 'noreply@' }, { fromEmail: 'fromEmailInvalid' }],
  ['a From Email without an at sign', { fromEmail: 'noreply' }, { fromEmail: 'fromEmailInvalid' }],
  [
    'a From Email with a display name',
    { fromEmail: 'X <noreply@example.com>' },
    { fromEmail: 'fromEmailInvalid' },
  ],
  ['a From Email with two dots', { fromEmail: 'user@example..com' }, { fromEmail: 'fromEmailInvalid' }],
  ['a 255-character From Email', { fromEmail: `${long(64)}@${long(186)}.com` }, { fromEmail: 'tooLong' }],
  [
    'a header in the From Email',
    { fromEmail: 'a@example.com\r\nBcc: x@example.com' },
    { fromEmail: 'noLineBreaks' },
  ],
  ['an empty From Name', { fromName: '' }, {}],
  ['a 128-character From Name', { fromName: long(128) }, {}],
  ['a 129-character From Name', { fromName: long(129) }, { fromName: 'tooLong' }],
  ['a line break in the From Name', { fromName: 'X\nBcc: y' }, { fromName: 'noLineBreaks' }],
  ['a tab in the From Name', { fromName: 'Shop\tNews' }, { fromName: 'noControlCharacters' }],
  // several at once, in form order
  [
    'several problems at once',
    { name: '', host: 'http://x', port: 0, password: 'changeme', fromEmail: 'x' },
    {
      name: 'nameRequired',
      host: 'hostScheme',
      port: 'portInvalid',
      password: 'passwordPlaceholder',
      fromEmail: 'fromEmailInvalid',
    },
  ],
];

describe('providerRuleIssues: one table of the provider rules', () => {
  it('accepts the base settings', () => {
    expect(providerRuleIssues(base)).toEqual([]);
  });

  // The context has a default so that jest does not take a fourth parameter for a done callback.
  it.each(CASES)('%s', (_name, change, expected, context = {}) => {
    const issues = providerRuleIssues({ ...base, ...change }, context);
    expect(Object.fromEntries(issues.map((issue) => [issue.field, issue.code]))).toEqual(expected);
    // In form order, and each worded in English as advice ending with a period.
    const order = [
      'type',
      'name',
      'apiVendor',
      'host',
      'port',
      'username',
      'password',
      'encryption',
      'fromEmail',
      'fromName',
    ];
    expect(issues.map((issue) => order.indexOf(issue.field))).toEqual(
      [...issues.map((issue) => order.indexOf(issue.field))].sort((a, b) => a - b),
    );
    for (const issue of issues) expect(providerRuleMessage(issue)).toMatch(/^[A-Z].*\.$/);
  });

  it('gives the limit of a field that is too long', () => {
    expect(providerRuleIssues({ ...base, name: long(65) })).toEqual([
      { field: 'name', code: 'tooLong', params: { max: 64 } },
    ]);
    expect(providerRuleMessage({ field: 'host', code: 'tooLong', params: { max: 253 } })).toBe(
      'Shorten the host name to 253 characters or fewer.',
    );
  });

  it('leaves a missing field to the caller’s type checks', () => {
    expect(providerRuleIssues({ type: 'smtp' })).toEqual([]);
  });

  it('never repeats the password in a message', () => {
    const password = 'xxxxxxxxxxxx';
    const issues = providerRuleIssues({ ...base, password, port: -1 });
    expect(JSON.stringify(issues.map(providerRuleMessage))).not.toContain(password);
  });
});

describe('providerWarnings', () => {
  it.each<[string, ProviderRuleValues, ProviderWarningCode[]]>([
    ['none for STARTTLS on 587', {}, []],
    ['none for SSL/TLS on 465', { port: 465, encryption: 'ssl_tls' }, []],
    ['465 with STARTTLS', { port: 465, encryption: 'starttls' }, ['starttlsOn465']],
    ['587 with SSL/TLS', { port: 587, encryption: 'ssl_tls' }, ['sslOn587']],
    ['465 with STARTTLS as typed in a form', { port: '465', encryption: 'starttls' }, ['starttlsOn465']],
    ['no port advice for an HTTP API vendor', { ...httpApi, port: 587 }, []],
    [
      'plain mail toward a LAN relay with no login',
      { ...noLogin, encryption: 'none', host: '10.0.0.25' },
      ['plainRelay'],
    ],
    [
      'plain mail toward a local relay with no login',
      { ...noLogin, encryption: 'none', host: '127.0.0.1' },
      [],
    ],
    ['a LAN relay with no login over STARTTLS', { ...noLogin, host: '10.0.0.25' }, []],
  ])('%s', (_name, change, expected) => {
    const warnings = providerWarnings({ ...base, ...change });
    expect(warnings.map((warning) => warning.code)).toEqual(expected);
    for (const code of expected) expect(providerWarningMessage(code)).toMatch(/\.$/);
  });

  it('says that mail crosses the network unencrypted', () => {
    expect(providerWarningMessage('plainRelay')).toMatch(
      /^Mail to this relay crosses the network unencrypted/,
    );
  });
});

describe('isLoopbackHost', () => {
  it.each<[string, boolean]>([
    ['localhost', true],
    ['LOCALHOST', true],
    ['localhost.', true],
    ['mail.localhost', true],
    ['foo.localhost', true],
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['::1', true],
    ['[::1]', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::0:1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['128.0.0.1', false],
    ['0.0.0.0', false],
    ['10.0.0.1', false],
    ['::2', false],
    ['::', false],
    ['::ffff:10.0.0.1', false],
    ['localhost.example.com', false],
    ['127.0.0.1.nip.io', false],
    ['mylocalhost', false],
    ['smtp.example.com', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('host helpers', () => {
  it.each<[string, boolean]>([
    ['192.0.2.1', true],
    ['[192.0.2.1]', true],
    ['2001:db8::25', true],
    ['1:2:3:4:5:6:7:8', true],
    ['1:2:3:4:5:6:7::', true],
    ['::ffff:192.0.2.1', true],
    ['01.2.3.4', false],
    ['256.1.1.1', false],
    ['1:2:3:4:5:6:7:8:9', false],
    ['1::2::3', false],
    ['1:2:3:4:5:6:7:8::', false],
    ['::ffff:192.0.2', false],
    ['smtp.example.com', false],
  ])('isIpLiteral(%s) is %s', (host, expected) => {
    expect(isIpLiteral(host)).toBe(expected);
  });

  it('names the first problem of a host', () => {
    expect(hostProblem('https://a b/c')).toBe('hostSpaces');
    expect(hostProblem('smtp.example.com')).toBeUndefined();
  });

  it.each<[string, boolean]>([
    ['password', true],
    ['PASSWORD', true],
    ['xxxx', true],
    ['<your token>', true],
    ['xxx', false],
    ['s3cr3t-Pa55', false],
    ['passwords-are-long', false],
  ])('isPlaceholder(%s) is %s', (secret, expected) => {
    expect(isPlaceholder(secret)).toBe(expected);
  });

  it.each<[ProviderRuleValues, boolean]>([
    [{ type: 'smtp', username: '', password: '' }, true],
    [{ type: 'api_smtp', apiVendor: null, username: '', password: '' }, true],
    [{ type: 'smtp', username: 'app', password: '' }, false],
    [{ type: 'api_smtp', apiVendor: 'resend', username: '', password: '' }, false],
  ])('isNoLoginRelay(%j) is %s', (values, expected) => {
    expect(isNoLoginRelay(values)).toBe(expected);
  });

  it.each<[ProviderRuleValues, boolean]>([
    [{ type: 'smtp', username: '' }, true],
    [{ type: 'crm_api_smtp', apiVendor: null, username: '' }, true],
    [{ type: 'smtp', username: 'app' }, false],
    [{ type: 'api_smtp', apiVendor: 'postmark', username: '' }, false],
    [{ type: 'smtp', username: 'mailer@contoso.com', authMethod: 'oauth2' }, true],
    [{ type: 'smtp', username: 'relay', authMethod: 'none' }, true],
    [{ type: 'smtp', username: '', authMethod: 'password' }, false],
    [{ type: 'api_smtp', apiVendor: 'postmark', username: '', authMethod: 'oauth2' }, false],
  ])('sendsNoPassword(%j) is %s', (values, expected) => {
    expect(sendsNoPassword(values)).toBe(expected);
  });
});
