import type { Provider } from '../../src/graphql/types';
import en from '../../src/i18n/en';
import tr from '../../src/i18n/tr';
import { createPanelI18n } from '../../src/i18n';
import {
  eventVendor,
  credentialsChanged,
  emptyProviderForm,
  formFromProvider,
  formHelp,
  providerWarnings,
  toProviderInput,
  validateProvider,
  type FieldMessages,
  type FormHelp,
  type FormText,
  type ProviderFormValues,
  type RuleContext,
} from '../../src/lib/provider-rules';
import { API_HOST_PRESETS, SMTP_RELAY_PRESETS } from '../../src/lib/vendor-presets';

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
    authMethod: 'PASSWORD',
    oauth: null,
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

describe('formHelp: the texts follow the choice', () => {
  const english = createPanelI18n('en', { tr }).global;
  const smtp = { host: 'mail.example.com', port: '587', encryption: 'STARTTLS' } as const;
  const sendgridRelay = {
    type: 'API_SMTP',
    host: 'smtp.sendgrid.net',
    port: '587',
    encryption: 'STARTTLS',
  } as const;
  const sendgridApi = {
    type: 'API_SMTP',
    apiVendor: 'SENDGRID',
    host: 'api.sendgrid.com',
    port: '443',
    encryption: 'SSL_TLS',
  } as const;
  const keys = (help: FormHelp) => ({
    hostLabel: help.hostLabel.key,
    host: help.host.key,
    port: help.port.map((text) => text.key),
    encryption: help.encryption.key,
    username: help.username.key,
    password: help.password.key,
  });

  it.each<[string, Partial<ProviderFormValues>, ReturnType<typeof keys>]>([
    [
      'an SMTP server with STARTTLS',
      smtp,
      {
        hostLabel: 'form.labels.host',
        host: 'form.help.host',
        port: ['form.portHelp.starttls'],
        encryption: 'form.help.encryption',
        username: 'form.help.username',
        password: 'form.help.password',
      },
    ],
    [
      'an SMTP server with SSL/TLS',
      { ...smtp, port: '465', encryption: 'SSL_TLS' },
      {
        hostLabel: 'form.labels.host',
        host: 'form.help.host',
        port: ['form.portHelp.sslTls'],
        encryption: 'form.help.encryption',
        username: 'form.help.username',
        password: 'form.help.password',
      },
    ],
    [
      'a plain relay with no login',
      { ...smtp, port: '25', encryption: 'NONE', authentication: 'NONE' },
      {
        hostLabel: 'form.labels.host',
        host: 'form.help.host',
        port: ['form.portHelp.plain'],
        encryption: 'form.help.encryption',
        username: 'form.help.username',
        password: 'form.help.password',
      },
    ],
    [
      'a mail service through an unknown SMTP relay',
      { ...smtp, type: 'CRM_API_SMTP' },
      {
        hostLabel: 'form.labels.host',
        host: 'form.help.hostRelay',
        port: ['form.portHelp.starttls'],
        encryption: 'form.help.encryption',
        username: 'form.help.usernameRelay',
        password: 'form.help.passwordRelay',
      },
    ],
    [
      'SendGrid’s SMTP relay (its preset)',
      sendgridRelay,
      {
        hostLabel: 'form.labels.host',
        host: 'form.help.hostRelay',
        port: ['form.portHelp.preset.STARTTLS'],
        encryption: 'form.help.encryption',
        username: 'presets.usernameHints.sendgrid',
        password: 'form.help.passwordRelay',
      },
    ],
    [
      'SendGrid’s relay moved to 465 with SSL/TLS',
      { ...sendgridRelay, port: '465', encryption: 'SSL_TLS' },
      {
        hostLabel: 'form.labels.host',
        host: 'form.help.hostRelay',
        port: ['form.portHelp.preset.STARTTLS', 'form.portHelp.sslTls'],
        encryption: 'form.help.encryption',
        username: 'presets.usernameHints.sendgrid',
        password: 'form.help.passwordRelay',
      },
    ],
    [
      'ZeptoMail’s relay as published',
      { ...sendgridRelay, host: 'smtp.zeptomail.com', port: '465', encryption: 'SSL_TLS' },
      {
        hostLabel: 'form.labels.host',
        host: 'form.help.hostRelay',
        port: ['form.portHelp.preset.SSL_TLS'],
        encryption: 'form.help.encryption',
        username: 'presets.usernameHints.zeptomail',
        password: 'form.help.passwordRelay',
      },
    ],
    [
      'SendGrid’s HTTP API',
      sendgridApi,
      {
        hostLabel: 'form.labels.hostApi',
        host: 'form.help.hostApi',
        port: ['form.portHelp.https'],
        encryption: 'form.help.encryptionApi',
        username: 'presets.usernameHints.apiKeyOnly',
        password: 'form.help.passwordApi',
      },
    ],
    [
      'Mailgun’s HTTP API on a host typed by hand',
      { ...sendgridApi, apiVendor: 'MAILGUN', host: 'mail-gateway.internal' },
      {
        hostLabel: 'form.labels.hostApi',
        host: 'form.help.hostApi',
        port: ['form.portHelp.https'],
        encryption: 'form.help.encryptionApi',
        username: 'presets.usernameHints.mailgunApi',
        password: 'form.help.passwordApi',
      },
    ],
    [
      'an HTTP API toward a local test server over plain HTTP',
      { ...sendgridApi, host: 'localhost', port: '8080', encryption: 'NONE' },
      {
        hostLabel: 'form.labels.hostApi',
        host: 'form.help.hostApi',
        port: ['form.portHelp.httpLocal'],
        encryption: 'form.help.encryptionApi',
        username: 'presets.usernameHints.apiKeyOnly',
        password: 'form.help.passwordApi',
      },
    ],
    [
      'an SMTP relay host on the SMTP type keeps the vendor’s relay help',
      { ...sendgridRelay, type: 'SMTP' },
      {
        hostLabel: 'form.labels.host',
        host: 'form.help.host',
        port: ['form.portHelp.preset.STARTTLS'],
        encryption: 'form.help.encryption',
        username: 'presets.usernameHints.sendgrid',
        password: 'form.help.password',
      },
    ],
  ])('%s', (_case, overrides, expected) => {
    expect(keys(formHelp(validForm(overrides)))).toEqual(expected);
  });

  it.each<[string, Partial<ProviderFormValues>, string, string | null]>([
    ['an SMTP server', smtp, 'e.g. mail.example.com', 'e.g. mailer@example.com'],
    ['SendGrid’s SMTP relay', sendgridRelay, 'e.g. mail.example.com', 'e.g. apikey'],
    [
      'Mailgun’s SMTP relay',
      { ...sendgridRelay, host: 'smtp.mailgun.org' },
      'e.g. mail.example.com',
      'e.g. mailer@example.com',
    ],
    ['SendGrid’s HTTP API', sendgridApi, 'e.g. api.sendgrid.com', null],
    ['Brevo’s HTTP API', { ...sendgridApi, apiVendor: 'BREVO' }, 'e.g. api.brevo.com', null],
  ])('examples for %s', (_case, overrides, host, username) => {
    const help = formHelp(validForm(overrides));
    const example = (text: FormText | null) => (text ? english.t(text.key, text.params ?? {}) : null);
    expect(example(help.hostPlaceholder)).toBe(host);
    expect(example(help.usernamePlaceholder)).toBe(username);
  });

  it('names the port of every preset in its help, and 443 for every API host', () => {
    for (const preset of [...SMTP_RELAY_PRESETS, ...API_HOST_PRESETS]) {
      const values = validForm({
        type: 'API_SMTP',
        apiVendor: preset.apiVendor ?? '',
        host: preset.host,
        port: String(preset.port),
        encryption: preset.encryption,
      });
      const [first] = formHelp(values).port;
      if (preset.apiVendor) expect(first?.key).toBe('form.portHelp.https');
      else
        expect(first).toEqual({
          key: `form.portHelp.preset.${preset.encryption}`,
          params: { label: preset.label, port: preset.port },
        });
    }
  });

  it('has a text for every key it names, in English and Turkish', () => {
    const cases = [smtp, sendgridRelay, sendgridApi, { ...sendgridApi, apiVendor: 'MAILGUN' as const }];
    const lookup = (tree: unknown, key: string) =>
      key
        .split('.')
        .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);
    for (const overrides of cases) {
      const help = formHelp(validForm(overrides));
      const texts = [
        help.hostLabel,
        help.host,
        help.hostPlaceholder,
        help.namePlaceholder,
        ...help.port,
        help.encryption,
        help.username,
        help.password,
      ];
      for (const { key } of texts) {
        expect([key, typeof lookup(en, key)]).toEqual([key, 'string']);
        expect([key, typeof lookup(tr, key)]).toEqual([key, 'string']);
      }
    }
  });
});

describe('the vendor whose delivery events a provider can receive', () => {
  it.each([
    ['API_SMTP', 'SENDGRID', 'api.sendgrid.com', 'SENDGRID'],
    ['CRM_API_SMTP', 'POSTMARK', 'smtp.postmarkapp.com', 'POSTMARK'],
    ['SMTP', '', 'smtp.sendgrid.net', 'SENDGRID'],
    ['SMTP', '', 'SMTP.EU.MAILGUN.ORG.', 'MAILGUN'],
    ['SMTP', 'RESEND', 'mail.example.com', null],
    ['SMTP', '', 'smtp.office365.com', null],
    ['API_SMTP', '', 'smtp.example.com', null],
  ] as const)('%s with vendor %p at %s: %p', (type, apiVendor, host, vendor) => {
    expect(eventVendor({ type, apiVendor, host })).toBe(vendor);
  });
});
