import type { Provider } from '../../src/graphql/types';
import en from '../../src/i18n/en';
import tr from '../../src/i18n/tr';
import {
  credentialsChanged,
  emptyProviderForm,
  formFromProvider,
  providerWarnings,
  toProviderInput,
  validateProvider,
  type FieldMessages,
  type ProviderFormValues,
  type RuleContext,
} from '../../src/lib/provider-rules';

// The rules themselves are one table in mailer-core (test/provider-rules.test.ts there). These rows check
// how the form is read into them (enum case, trimming, the Port text, the authentication choice) and what
// the form adds: an explicit "Login" needs both fields.

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

/** A provider as the API returns it. */
function savedProvider(overrides: Partial<Provider>): Provider {
  const now = new Date().toISOString();
  return {
    id: 'p1',
    type: 'SMTP',
    name: 'relay',
    apiVendor: null,
    host: 'smtp.example.com',
    port: 587,
    username: 'app',
    passwordSet: true,
    encryption: 'STARTTLS',
    fromEmail: 'noreply@example.com',
    fromName: 'Example',
    serviceType: 'PRIMARY',
    status: 'INACTIVE',
    priority: 1,
    channel: 'DEFAULT',
    verifiedAt: null,
    lastVerification: null,
    lastTestEmail: null,
    health: {
      state: 'CLOSED',
      consecutiveFailures: 0,
      lastFailureAt: null,
      openUntil: null,
      cooldownUntil: null,
      lastFailure: null,
    },
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

const CREATE: RuleContext = { passwordStored: false };
const EDIT: RuleContext = { passwordStored: true };
const lan = { host: '10.0.0.25', port: '25', encryption: 'NONE' } as const;
const resend = { type: 'API_SMTP', apiVendor: 'RESEND', host: 'api.resend.com', port: '443' } as const;

function keysOf(messages: FieldMessages): Record<string, string> {
  return Object.fromEntries(Object.entries(messages).map(([field, message]) => [field, message?.key ?? '']));
}

describe('validateProvider', () => {
  it('accepts a complete SMTP provider', () => {
    expect(validateProvider(validForm(), CREATE)).toEqual({});
  });

  it.each<[string, Partial<ProviderFormValues>, RuleContext, Record<string, string>]>([
    // the form read into the shared rules
    ['a host typed with spaces around it', { host: '  smtp.example.com ' }, CREATE, {}],
    ['a From Email typed with spaces around it', { fromEmail: ' noreply@example.com ' }, CREATE, {}],
    ['letters in the Port field', { port: '58a' }, CREATE, { port: 'portInvalid' }],
    ['an empty Port field', { port: '' }, CREATE, { port: 'portRequired' }],
    ['a 65-character name', { name: 'n'.repeat(65) }, CREATE, { name: 'tooLong' }],
    [
      'a tab in the From Name (as the API refuses it)',
      { fromName: 'Shop\tTeam' },
      CREATE,
      { fromName: 'noControlCharacters' },
    ],
    ['a vendor on an SMTP provider', { apiVendor: 'SENDGRID' }, CREATE, { apiVendor: 'vendorOnlyForApi' }],
    [
      'STARTTLS toward an HTTP API',
      { ...resend, encryption: 'STARTTLS' },
      CREATE,
      { encryption: 'starttlsWithApi' },
    ],
    [
      'plain HTTP toward a remote API',
      { ...resend, encryption: 'NONE' },
      CREATE,
      { encryption: 'plainHttpLoopbackOnly' },
    ],
    [
      'an HTTP API without its key',
      { ...resend, encryption: 'SSL_TLS', password: '' },
      CREATE,
      { password: 'apiKeyRequired' },
    ],
    ['an HTTP API keeps its stored key', { ...resend, encryption: 'SSL_TLS', password: '' }, EDIT, {}],
    ['an HTTP API with no username', { ...resend, encryption: 'SSL_TLS', username: '' }, CREATE, {}],
    // the authentication choice
    ['Login without a username', { username: '' }, CREATE, { username: 'usernameRequired' }],
    ['Login without a password', { password: '' }, CREATE, { password: 'passwordRequired' }],
    [
      'Login with both left empty',
      { username: '', password: '' },
      CREATE,
      { username: 'usernameRequired', password: 'passwordRequired' },
    ],
    ['Login keeping a stored password', { password: '' }, EDIT, {}],
    [
      'Login with a placeholder password',
      { password: 'changeme' },
      CREATE,
      { password: 'passwordPlaceholder' },
    ],
    ['Login in plain text toward a LAN relay', { ...lan }, CREATE, { encryption: 'plainLoopbackOnly' }],
    ['Login in plain text toward this machine', { ...lan, host: 'localhost' }, CREATE, {}],
    ['No login', { authentication: 'NONE', username: '', password: '' }, CREATE, {}],
    ['No login ignores what was typed before', { authentication: 'NONE', password: 'changeme' }, CREATE, {}],
    ['No login in plain text toward a LAN relay', { authentication: 'NONE', ...lan }, CREATE, {}],
    [
      'No login means nothing for an HTTP API',
      { ...resend, encryption: 'SSL_TLS', authentication: 'NONE', password: '' },
      CREATE,
      { password: 'apiKeyRequired' },
    ],
  ])('%s', (_case, overrides, context, expected) => {
    expect(keysOf(validateProvider(validForm(overrides), context))).toEqual(expected);
  });

  it('has a text for every rule it names, in English and Turkish', () => {
    const forms = [validForm({ name: '', host: 'http://x', port: '0', password: '', fromEmail: 'x' })];
    for (const form of forms) {
      for (const message of Object.values(validateProvider(form, CREATE))) {
        expect(en.rules[message?.key ?? 'tooLong']).toBeTruthy();
        expect(tr.rules[message?.key ?? 'tooLong']).toBeTruthy();
      }
    }
  });
});

describe('providerWarnings', () => {
  it.each<[string, Partial<ProviderFormValues>, string | undefined]>([
    ['465 with STARTTLS', { port: '465', encryption: 'STARTTLS' }, 'starttlsOn465'],
    ['587 with SSL/TLS', { port: '587', encryption: 'SSL_TLS' }, 'sslOn587'],
    ['465 with SSL/TLS', { port: '465', encryption: 'SSL_TLS' }, undefined],
    [
      'an HTTP API on 587 (not an SMTP port question)',
      { ...resend, port: '587', encryption: 'SSL_TLS' },
      undefined,
    ],
    ['plain mail toward a LAN relay with no login', { authentication: 'NONE', ...lan }, 'plainRelay'],
    [
      'plain mail toward a local relay with no login',
      { authentication: 'NONE', ...lan, host: '127.0.0.1' },
      undefined,
    ],
  ])('%s', (_case, overrides, expected) => {
    expect(providerWarnings(validForm(overrides)).encryption?.key).toBe(expected);
  });
});

describe('the form and the API', () => {
  it('sends no password when the field is empty, so the stored one is kept', () => {
    const input = toProviderInput(validForm({ password: '' }));
    expect(input).not.toHaveProperty('password');
    expect(input.port).toBe(587);
  });

  it('sends neither username nor password with No login, whatever was typed', () => {
    const input = toProviderInput(validForm({ authentication: 'NONE' }));
    expect(input.username).toBe('');
    expect(input).not.toHaveProperty('password');
  });

  it('sends the vendor only for API types', () => {
    expect(toProviderInput(validForm({ type: 'SMTP', apiVendor: 'BREVO' })).apiVendor).toBeNull();
    expect(toProviderInput(validForm({ type: 'API_SMTP', apiVendor: 'BREVO' })).apiVendor).toBe('BREVO');
  });

  it.each<[string, Partial<Provider>, ProviderFormValues['authentication']]>([
    ['an SMTP relay with a username', { username: 'app' }, 'LOGIN'],
    ['an SMTP relay without one', { username: '' }, 'NONE'],
    ['a mail service relay without one', { type: 'API_SMTP', apiVendor: null, username: '' }, 'NONE'],
    [
      'an HTTP API without one (its key is the password)',
      { type: 'API_SMTP', apiVendor: 'POSTMARK', username: '' },
      'LOGIN',
    ],
  ])('reads %s as %s', (_case, overrides, expected) => {
    expect(formFromProvider(savedProvider(overrides)).authentication).toBe(expected);
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
    ['No login chosen', { authentication: 'NONE' }, true],
  ])('credentialsChanged: %s → %s', (_case, overrides, expected) => {
    const original = validForm({ password: '' });
    expect(credentialsChanged(original, { ...original, ...overrides })).toBe(expected);
  });

  it('sees no change in a relay with no login whose hidden fields were typed in', () => {
    const original = validForm({ authentication: 'NONE', username: '', password: '' });
    expect(credentialsChanged(original, { ...original, username: 'typed' })).toBe(false);
  });
});
