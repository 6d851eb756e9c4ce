import { endpointsOf, oauthUrlProblem, type OAuthAppSettings } from './oauth-endpoints';

const app = (overrides: Partial<OAuthAppSettings>): OAuthAppSettings => ({
  flavour: 'generic',
  clientId: 'client',
  tenant: null,
  authorizeUrl: null,
  tokenUrl: null,
  scopes: [],
  ...overrides,
});

describe('the endpoints of each flavour', () => {
  it.each<[string, Partial<OAuthAppSettings>, ReturnType<typeof endpointsOf>]>([
    [
      'Microsoft, at the tenant’s v2.0 endpoints',
      { flavour: 'microsoft', tenant: 'contoso.onmicrosoft.com' },
      {
        authorizeUrl: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize',
        tokenUrl: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
        scopes: ['https://outlook.office.com/SMTP.Send', 'offline_access', 'openid', 'email'],
        authorizeParams: {},
      },
    ],
    [
      'Google, offline with consent every time',
      { flavour: 'google' },
      {
        authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
        tokenUrl: 'https://oauth2.googleapis.com/token',
        scopes: ['https://mail.google.com/', 'openid', 'email'],
        authorizeParams: { access_type: 'offline', prompt: 'consent' },
      },
    ],
    [
      'a generic server, as given',
      { authorizeUrl: 'https://id.example/auth', tokenUrl: 'https://id.example/token', scopes: ['smtp'] },
      {
        authorizeUrl: 'https://id.example/auth',
        tokenUrl: 'https://id.example/token',
        scopes: ['smtp'],
        authorizeParams: {},
      },
    ],
    [
      'Microsoft with scopes of its own',
      { flavour: 'microsoft', tenant: 'organizations', scopes: ['https://outlook.office365.us/SMTP.Send'] },
      {
        authorizeUrl: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
        tokenUrl: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/token',
        scopes: ['https://outlook.office365.us/SMTP.Send'],
        authorizeParams: {},
      },
    ],
  ])('%s', (_name, settings, expected) => {
    expect(endpointsOf(app(settings))).toEqual(expected);
  });

  it('takes the overrides of a sovereign cloud', () => {
    const overrides = {
      microsoftAuthority: 'https://login.microsoftonline.us',
      googleAuthorizeUrl: 'https://google.example/auth',
      googleTokenUrl: 'https://google.example/token',
    };
    expect(endpointsOf(app({ flavour: 'microsoft', tenant: 'contoso' }), overrides).tokenUrl).toBe(
      'https://login.microsoftonline.us/contoso/oauth2/v2.0/token',
    );
    expect(endpointsOf(app({ flavour: 'google' }), overrides).authorizeUrl).toBe(
      'https://google.example/auth',
    );
  });
});

describe('an authorize or token URL', () => {
  it.each<[string, RegExp | undefined]>([
    ['https://login.example.com/oauth2/token', undefined],
    ['http://127.0.0.1:8080/token', undefined],
    ['http://localhost/token', undefined],
    ['http://[::1]:9000/token', undefined],
    ['http://login.example.com/token', /https/],
    ['https://user:pw@login.example.com/token', /user name and password/],
    ['https://login.example.com/token#part', /fragment/],
    ['login.example.com/token', /absolute URL/],
  ])('%s', (url, problem) => {
    const found = oauthUrlProblem(url);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });
});
