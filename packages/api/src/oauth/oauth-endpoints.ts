import { isLoopbackHost } from '@mail-providers/mailer-core/rules';
import type { OAuthEndpointOverrides } from '../config';

/** Who issues the tokens: Microsoft Entra ID (v2), Google, or any OAuth2 server the admin names. */
export type OAuthFlavour = 'microsoft' | 'google' | 'generic';

/** An app registration as saved on a provider (the client secret aside). */
export interface OAuthAppSettings {
  flavour: OAuthFlavour;
  clientId: string;
  /** MICROSOFT: the directory (tenant) id or domain, or `organizations`. */
  tenant: string | null;
  /** GENERIC only; the other flavours have theirs from the environment. */
  authorizeUrl: string | null;
  tokenUrl: string | null;
  /** Empty: the flavour's default scopes. */
  scopes: string[];
}

/** Where a sign-in goes and what it asks for. */
export interface OAuthEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
  scopes: string[];
  /** Added to the authorize URL (Google needs them to hand out a refresh token every time). */
  authorizeParams: Record<string, string>;
}

export const DEFAULT_OAUTH_ENDPOINTS: OAuthEndpointOverrides = {
  microsoftAuthority: 'https://login.microsoftonline.com',
  googleAuthorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  googleTokenUrl: 'https://oauth2.googleapis.com/token',
};

/** SMTP.Send for Exchange Online, a refresh token, and the account's address in the ID token. */
export const MICROSOFT_SCOPES = ['https://outlook.office.com/SMTP.Send', 'offline_access', 'openid', 'email'];
/** Full mail access is the only Google scope SMTP accepts; the ID token names the account. */
export const GOOGLE_SCOPES = ['https://mail.google.com/', 'openid', 'email'];

/** The endpoints and scopes of a saved registration. */
export function endpointsOf(
  app: OAuthAppSettings,
  overrides: OAuthEndpointOverrides = DEFAULT_OAUTH_ENDPOINTS,
): OAuthEndpoints {
  const scopes = app.scopes.length > 0 ? app.scopes : undefined;
  switch (app.flavour) {
    case 'microsoft': {
      const base = `${overrides.microsoftAuthority}/${encodeURIComponent(app.tenant ?? '')}/oauth2/v2.0`;
      return {
        authorizeUrl: `${base}/authorize`,
        tokenUrl: `${base}/token`,
        scopes: scopes ?? MICROSOFT_SCOPES,
        authorizeParams: {},
      };
    }
    case 'google':
      return {
        authorizeUrl: overrides.googleAuthorizeUrl,
        tokenUrl: overrides.googleTokenUrl,
        scopes: scopes ?? GOOGLE_SCOPES,
        authorizeParams: { access_type: 'offline', prompt: 'consent' },
      };
    case 'generic':
      return {
        authorizeUrl: app.authorizeUrl ?? '',
        tokenUrl: app.tokenUrl ?? '',
        scopes: scopes ?? [],
        authorizeParams: {},
      };
  }
}

/**
 * Why an authorize or token URL cannot be used, or undefined: it must be an absolute https URL without
 * credentials or fragment (plain http toward loopback only, for local test servers), because the client
 * secret and the tokens travel to it.
 */
export function oauthUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter an absolute URL such as https://login.example.com/oauth2/token.';
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(host))) {
    return 'Use an https:// URL: the client secret and the tokens travel to it (plain http only toward this machine).';
  }
  if (url.username !== '' || url.password !== '') {
    return 'Leave the user name and password out of the URL; the client id and secret have fields of their own.';
  }
  if (url.hash !== '') return 'Remove the #fragment from the URL.';
  return undefined;
}

/** The host of a URL that passed {@link oauthUrlProblem}, brackets of an IPv6 literal removed. */
export function hostOf(value: string): string {
  return new URL(value).hostname.replace(/^\[|\]$/g, '');
}
