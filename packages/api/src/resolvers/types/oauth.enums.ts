import { registerEnumType } from 'type-graphql';
import type { AuthMethod } from '../../oauth/auth-method';
import type { OAuthFlavour } from '../../oauth/oauth-endpoints';

export const AuthMethodEnum = {
  PASSWORD: 'password',
  OAUTH2: 'oauth2',
  NONE: 'none',
} as const satisfies Record<string, AuthMethod>;

export const OAuthFlavourEnum = {
  MICROSOFT: 'microsoft',
  GOOGLE: 'google',
  GENERIC: 'generic',
} as const satisfies Record<string, OAuthFlavour>;

registerEnumType(AuthMethodEnum, {
  name: 'AuthMethod',
  description:
    'PASSWORD: username and password (or API key); OAUTH2: sign in with Microsoft, Google or another OAuth2 server (XOAUTH2, SMTP only); NONE: a relay that needs no login.',
});
registerEnumType(OAuthFlavourEnum, {
  name: 'OAuthFlavour',
  description:
    'MICROSOFT: Microsoft 365 (Entra ID, needs the tenant); GOOGLE: Google Workspace or Gmail; GENERIC: any OAuth2 server by its authorize and token URLs.',
});
