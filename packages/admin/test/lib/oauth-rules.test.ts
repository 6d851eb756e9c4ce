import type { Provider } from '../../src/graphql/types';
import en from '../../src/i18n/en';
import tr from '../../src/i18n/tr';
import {
  OAUTH_RULES,
  credentialsChanged,
  emptyProviderForm,
  formFieldOf,
  formFromProvider,
  formHelp,
  toProviderInput,
  validateProvider,
  type FieldMessages,
  type ProviderFormValues,
  type RuleContext,
} from '../../src/lib/provider-rules';
import { OAUTH_RETURN_REASONS, oauthReturnOf, withoutOAuthReturn } from '../../src/lib/oauth-return';

// The OAuth2 sign-in in the provider form: the app registration's rules (as the API judges them), what is
// sent, how a saved provider is read back, and the result the sign-in's return carries.

const google = {
  authentication: 'GOOGLE',
  clientId: 'client-123.apps.example.com',
  clientSecret: 'a-client-secret-value',
} as const;
const microsoft = { ...google, authentication: 'MICROSOFT', tenant: 'contoso.onmicrosoft.com' } as const;
const generic = {
  ...google,
  authentication: 'GENERIC',
  clientSecret: '',
  authorizeUrl: 'https://login.example.com/oauth2/authorize',
  tokenUrl: 'https://login.example.com/oauth2/token',
  scopes: 'smtp offline_access',
} as const;

function oauthForm(overrides: Partial<ProviderFormValues> = {}): ProviderFormValues {
  return {
    ...emptyProviderForm(),
    name: 'workspace',
    host: 'smtp.gmail.com',
    port: '587',
    username: 'noreply@example.com',
    encryption: 'STARTTLS',
    fromEmail: 'noreply@example.com',
    ...google,
    ...overrides,
  };
}

const CREATE: RuleContext = { passwordStored: false };
/** Editing a provider whose client secret is stored with the Google registration above. */
const STORED: RuleContext = { passwordStored: false, storedRegistration: oauthForm({ clientSecret: '' }) };

function keysOf(messages: FieldMessages): Record<string, string> {
  return Object.fromEntries(Object.entries(messages).map(([field, message]) => [field, message?.key ?? '']));
}

describe('the OAuth2 registration’s rules', () => {
  it.each<[string, Partial<ProviderFormValues>, RuleContext, Record<string, string>]>([
    ['Google, complete', {}, CREATE, {}],
    ['Microsoft, complete', microsoft, CREATE, {}],
    ['another server, complete (no secret needed)', generic, CREATE, {}],
    ['no password asked for, even typed', { password: 'changeme' }, CREATE, {}],
    ['the username is not a mailbox', { username: 'app' }, CREATE, { username: 'oauthUsernameEmail' }],
    ['no client ID', { clientId: '  ' }, CREATE, { clientId: 'clientIdRequired' }],
    ['a client ID with a space', { clientId: 'two words' }, CREATE, { clientId: 'clientIdInvalid' }],
    ['no client secret for Google', { clientSecret: '' }, CREATE, { clientSecret: 'clientSecretRequired' }],
    [
      'no client secret for Microsoft',
      { ...microsoft, clientSecret: '' },
      CREATE,
      { clientSecret: 'clientSecretRequired' },
    ],
    ['a stored client secret kept', { clientSecret: '' }, STORED, {}],
    [
      'a stored client secret with a new client ID',
      { clientSecret: '', clientId: 'another-client' },
      STORED,
      { clientSecret: 'clientSecretReenter' },
    ],
    ['a new client ID with a new secret', { clientId: 'another-client' }, STORED, {}],
    ['a secret on two lines', { clientSecret: 'abc\ndef' }, CREATE, { clientSecret: 'clientSecretOneLine' }],
    ['Microsoft without a tenant', { ...microsoft, tenant: '' }, CREATE, { tenant: 'tenantRequired' }],
    [
      'Microsoft with a tenant URL',
      { ...microsoft, tenant: 'https://contoso' },
      CREATE,
      { tenant: 'tenantInvalid' },
    ],
    [
      'Microsoft with a tenant GUID',
      { ...microsoft, tenant: '8a2f1c3e-0000-4000-8000-000000000000' },
      CREATE,
      {},
    ],
    ['a tenant means nothing to Google', { tenant: 'not a tenant' }, CREATE, {}],
    [
      'another server without its URLs',
      { ...generic, authorizeUrl: '', tokenUrl: '' },
      CREATE,
      { authorizeUrl: 'oauthUrlRequired', tokenUrl: 'oauthUrlRequired' },
    ],
    [
      'a token URL that is no address',
      { ...generic, tokenUrl: 'login.example.com/token' },
      CREATE,
      { tokenUrl: 'oauthUrlInvalid' },
    ],
    [
      'a token URL over plain http',
      { ...generic, tokenUrl: 'http://login.example.com/token' },
      CREATE,
      { tokenUrl: 'oauthUrlHttps' },
    ],
    [
      'a token URL over http toward this machine',
      { ...generic, tokenUrl: 'http://127.0.0.1:8080/token' },
      CREATE,
      {},
    ],
    [
      'an authorize URL with a login in it',
      { ...generic, authorizeUrl: 'https://user:pw@login.example.com/auth' },
      CREATE,
      { authorizeUrl: 'oauthUrlCredentials' },
    ],
    ['another server without scopes', { ...generic, scopes: ' ' }, CREATE, { scopes: 'scopesRequired' }],
    ['a scope with a quote', { ...generic, scopes: 'smtp "offline"' }, CREATE, { scopes: 'scopesInvalid' }],
    [
      '33 scopes',
      { ...generic, scopes: Array.from({ length: 33 }, (_, i) => `s${i}`).join(' ') },
      CREATE,
      { scopes: 'scopesInvalid' },
    ],
    [
      'OAuth2 fields are ignored with a password',
      { authentication: 'LOGIN', clientId: '', password: 'a-real-password-x1' },
      CREATE,
      {},
    ],
    [
      'OAuth2 means nothing for an HTTP API',
      {
        type: 'API_SMTP',
        apiVendor: 'RESEND',
        host: 'api.resend.com',
        port: '443',
        encryption: 'SSL_TLS',
        clientId: '',
        password: 're_key_123456',
      },
      CREATE,
      {},
    ],
  ])('%s', (_case, overrides, context, expected) => {
    expect(keysOf(validateProvider(oauthForm(overrides), context))).toEqual(expected);
  });

  it('has a text for every rule, in English and Turkish', () => {
    for (const rule of OAUTH_RULES) {
      expect(en.rules[rule.key]).toBeTruthy();
      expect(tr.rules[rule.key]).toBeTruthy();
    }
  });
});

describe('what the form sends and reads back', () => {
  it.each<[string, Partial<ProviderFormValues>, Record<string, unknown>]>([
    ['Google', {}, { flavour: 'GOOGLE', clientId: google.clientId, clientSecret: google.clientSecret }],
    [
      'Microsoft, with its tenant',
      microsoft,
      {
        flavour: 'MICROSOFT',
        clientId: google.clientId,
        clientSecret: google.clientSecret,
        tenant: microsoft.tenant,
      },
    ],
    [
      'another server, with its URLs and scopes and no secret',
      generic,
      {
        flavour: 'GENERIC',
        clientId: google.clientId,
        authorizeUrl: generic.authorizeUrl,
        tokenUrl: generic.tokenUrl,
        scopes: ['smtp', 'offline_access'],
      },
    ],
    ['a kept secret left out', { clientSecret: '' }, { flavour: 'GOOGLE', clientId: google.clientId }],
  ])('%s', (_case, overrides, oauth) => {
    const input = toProviderInput(oauthForm({ password: 'typed-before', ...overrides }));
    expect(input.authMethod).toBe('OAUTH2');
    expect(input.oauth).toEqual(oauth);
    expect(input).not.toHaveProperty('password');
    expect(input.username).toBe('noreply@example.com');
  });

  it.each<[string, Partial<ProviderFormValues>, string | undefined]>([
    ['a password', { authentication: 'LOGIN', password: 'a-real-password-x1' }, 'PASSWORD'],
    ['no login', { authentication: 'NONE' }, 'NONE'],
    ['an HTTP API (left to the API)', { type: 'API_SMTP', apiVendor: 'RESEND' }, undefined],
  ])('sends the sign-in of %s, and no OAuth2 settings', (_case, overrides, method) => {
    const input = toProviderInput(oauthForm(overrides));
    expect(input.authMethod).toBe(method);
    expect(input).not.toHaveProperty('oauth');
  });

  it('reads a saved OAuth2 provider back into the form, without any secret', () => {
    const provider = {
      type: 'SMTP',
      apiVendor: null,
      name: 'm365',
      host: 'smtp.office365.com',
      port: 587,
      username: 'noreply@contoso.com',
      encryption: 'STARTTLS',
      fromEmail: 'noreply@contoso.com',
      fromName: '',
      serviceType: 'PRIMARY',
      status: 'INACTIVE',
      authMethod: 'OAUTH2',
      oauth: {
        flavour: 'MICROSOFT',
        clientId: 'abc',
        clientSecretSet: true,
        tenant: 'contoso.onmicrosoft.com',
        authorizeUrl: null,
        tokenUrl: null,
        scopes: [],
        connected: true,
        account: 'noreply@contoso.com',
        accessTokenExpiresAt: null,
        lastRefreshAt: null,
        lastError: null,
      },
    } as unknown as Provider;
    expect(formFromProvider(provider)).toMatchObject({
      authentication: 'MICROSOFT',
      clientId: 'abc',
      clientSecret: '',
      tenant: 'contoso.onmicrosoft.com',
      password: '',
    });
  });

  it.each<[string, Partial<ProviderFormValues>, boolean]>([
    ['nothing', {}, false],
    ['a new client secret', { clientSecret: 'new-secret' }, true],
    ['the client ID', { clientId: 'other' }, true],
    ['the sign-in server', { authentication: 'MICROSOFT', tenant: 'contoso.onmicrosoft.com' }, true],
    ['back to a password', { authentication: 'LOGIN' }, true],
    ['the tenant of a Google sign-in (not used)', { tenant: 'x' }, false],
  ])('credentialsChanged: %s → %s', (_case, overrides, expected) => {
    const saved = oauthForm({ clientSecret: '' });
    expect(credentialsChanged(saved, { ...saved, ...overrides })).toBe(expected);
  });

  it.each([
    ['oauth.clientId', 'clientId'],
    ['oauth.tenant', 'tenant'],
    ['oauth', 'clientId'],
    ['authMethod', 'authentication'],
    ['host', 'host'],
  ])('shows the API’s error about %s at %s', (path, field) => {
    expect(formFieldOf(path)).toBe(field);
  });

  it('asks for the mailbox as the username', () => {
    expect(formHelp(oauthForm({ host: 'mail.example.com' })).username.key).toBe('form.help.usernameOAuth');
    expect(formHelp(oauthForm()).username.key).toBe('presets.usernameHints.google');
  });
});

describe('the sign-in’s return', () => {
  it.each<[string, Record<string, string>, ReturnType<typeof oauthReturnOf>]>([
    ['connected', { oauth: 'connected' }, { kind: 'connected' }],
    ['declined', { oauth: 'error', reason: 'access_denied' }, { kind: 'error', reason: 'access_denied' }],
    [
      'a reason this panel does not know',
      { oauth: 'error', reason: 'new_thing' },
      { kind: 'error', reason: 'unknown' },
    ],
    ['no reason', { oauth: 'error' }, { kind: 'error', reason: 'unknown' }],
    ['nothing', {}, null],
    ['something else', { oauth: 'maybe' }, null],
  ])('%s', (_case, query, expected) => {
    expect(oauthReturnOf(query)).toEqual(expected);
  });

  it('words every reason in both languages', () => {
    for (const reason of [...OAUTH_RETURN_REASONS, 'unknown' as const]) {
      expect(en.oauth.reasons[reason]).toBeTruthy();
      expect(tr.oauth.reasons[reason]).toBeTruthy();
    }
  });

  it('takes the result out of the address, keeping the rest', () => {
    expect(withoutOAuthReturn({ oauth: 'error', reason: 'state_used', tab: 'x' })).toEqual({ tab: 'x' });
  });
});
