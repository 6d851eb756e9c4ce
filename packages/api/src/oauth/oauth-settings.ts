import type { ApiVendor, ProviderType } from '@mail-providers/mailer-core';
import { reachedOverHttp } from '@mail-providers/mailer-core/rules';
import type { FieldError } from '../errors';
import type { AuthMethod } from './auth-method';
import { oauthUrlProblem, type OAuthAppSettings } from './oauth-endpoints';

/** What the input says about logging in (the parts of ProviderInput this module reads). */
export interface AuthInput {
  type: ProviderType;
  apiVendor?: ApiVendor | null;
  username: string;
  password?: string | null;
  authMethod?: AuthMethod | null;
  oauth?: OAuthInput | null;
}

export interface OAuthInput {
  flavour: OAuthAppSettings['flavour'];
  clientId: string;
  clientSecret?: string | null;
  tenant?: string | null;
  authorizeUrl?: string | null;
  tokenUrl?: string | null;
  scopes?: string[] | null;
}

/** A saved registration, with whether a client secret is stored beside it. */
export interface StoredOAuthApp extends OAuthAppSettings {
  clientSecretSet: boolean;
}

/** The registration to save: `clientSecret` null keeps the stored one (or none). */
export interface OAuthAppWrite extends OAuthAppSettings {
  clientSecret: string | null;
}

const TENANT = /^[A-Za-z0-9][A-Za-z0-9.-]{0,253}$/;
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]{1,512}$/;
const MAX_CLIENT_ID = 512;
const MAX_SECRET = 4096;
const MAX_SCOPES = 32;

/**
 * The method the input asks for: as given; else OAUTH2 when it brings OAuth2 settings; else, on update,
 * the stored OAUTH2 (a client that does not know the field keeps the sign-in); else what mailer-core
 * infers: a username logs in with its password, no username means no login.
 */
export function resolveAuthMethod(input: AuthInput, stored: AuthMethod | null | undefined): AuthMethod {
  if (input.authMethod) return input.authMethod;
  if (input.oauth) return 'oauth2';
  if (stored === 'oauth2') return 'oauth2';
  return input.username.trim() !== '' ? 'password' : 'none';
}

function trimmed(value: string | null | undefined): string | null {
  const text = typeof value === 'string' ? value.trim() : '';
  return text === '' ? null : text;
}

/** The registration as it will be saved (flavour-specific fields of other flavours dropped). */
export function appSettingsOf(input: OAuthInput): OAuthAppSettings {
  const generic = input.flavour === 'generic';
  return {
    flavour: input.flavour,
    clientId: input.clientId.trim(),
    tenant: input.flavour === 'microsoft' ? trimmed(input.tenant) : null,
    authorizeUrl: generic ? trimmed(input.authorizeUrl) : null,
    tokenUrl: generic ? trimmed(input.tokenUrl) : null,
    scopes: (input.scopes ?? []).map((scope) => scope.trim()).filter((scope) => scope !== ''),
  };
}

/** Whether a stored client secret may stand in for an omitted one: it goes to the same registration only. */
export function sameRegistration(a: OAuthAppSettings, b: OAuthAppSettings): boolean {
  return (
    a.flavour === b.flavour &&
    a.clientId === b.clientId &&
    a.tenant === b.tenant &&
    a.authorizeUrl === b.authorizeUrl &&
    a.tokenUrl === b.tokenUrl
  );
}

/** Whether a connection made with `a` holds for `b` (same registration, same scopes). */
export function sameConsent(a: OAuthAppSettings, b: OAuthAppSettings): boolean {
  return sameRegistration(a, b) && a.scopes.join(' ') === b.scopes.join(' ');
}

/**
 * Every problem of the login part of a provider input, named by its field in ProviderInput (`authMethod`,
 * `oauth.tenant`, …). On update, omitted OAuth2 settings keep the stored ones. The outbound policy's
 * judgement of GENERIC URLs needs DNS and is made apart (OAuthConnectionService.vetUrls).
 */
export function authIssues(
  input: AuthInput,
  method: AuthMethod,
  stored: StoredOAuthApp | null,
): FieldError[] {
  const issues: FieldError[] = [];
  const add = (field: string, message: string) => issues.push({ field, message });
  const oauth = input.oauth ?? null;
  if (method !== 'oauth2') {
    if (oauth)
      add('oauth', 'OAuth2 settings apply only with authMethod OAUTH2; remove them or choose OAUTH2.');
    if (method === 'none' && input.username.trim() !== '' && !reachedOverHttp(input))
      add('username', 'A relay with no login sends no username; leave Username empty or choose Password.');
    return issues;
  }
  if (reachedOverHttp(input)) {
    add('authMethod', 'OAuth2 sign-in is for SMTP providers; an HTTP API provider logs in with its API key.');
    return issues;
  }
  if (typeof input.password === 'string' && input.password !== '')
    add('password', 'A provider that signs in with OAuth2 sends no password; leave Password empty.');
  if (!oauth) {
    if (!stored)
      add('oauth', 'Enter the app registration (flavour, client id and secret) to sign in with OAuth2.');
    return issues;
  }
  const app = appSettingsOf(oauth);
  if (app.clientId === '')
    add('oauth.clientId', 'Enter the application (client) id of the app registration.');
  else if (app.clientId.length > MAX_CLIENT_ID || !/^[\x21-\x7e]+$/.test(app.clientId))
    add(
      'oauth.clientId',
      'The client id is one word of at most 512 characters (letters, digits and punctuation); paste it again from the app registration.',
    );
  const secret = trimmed(oauth.clientSecret);
  if (secret !== null && (secret.length > MAX_SECRET || /[\r\n]/.test(secret) || secret.includes('\0')))
    add(
      'oauth.clientSecret',
      'The client secret is one line of at most 4096 characters; paste its value again.',
    );
  const secretKept = secret === null && stored !== null && stored.clientSecretSet;
  if (secretKept && !sameRegistration(stored, app))
    add(
      'oauth.clientSecret',
      'Enter the client secret again: the stored one is kept only while the flavour, client id, tenant and URLs stay the same.',
    );
  else if (secret === null && !secretKept && app.flavour !== 'generic')
    add('oauth.clientSecret', 'Enter the client secret (its value, not its id) of the app registration.');
  if (app.flavour === 'microsoft') {
    if (app.tenant === null)
      add(
        'oauth.tenant',
        'Enter the directory (tenant) id or domain of your Microsoft 365 organisation, such as contoso.onmicrosoft.com.',
      );
    else if (!TENANT.test(app.tenant))
      add(
        'oauth.tenant',
        'The tenant is a directory id (a GUID) or a domain such as contoso.onmicrosoft.com.',
      );
  }
  if (app.flavour === 'generic') {
    for (const field of ['authorizeUrl', 'tokenUrl'] as const) {
      const value = app[field];
      const label = field === 'authorizeUrl' ? 'authorization endpoint' : 'token endpoint';
      if (value === null) add(`oauth.${field}`, `Enter the ${label} URL of the OAuth2 server.`);
      else {
        const problem = oauthUrlProblem(value);
        if (problem) add(`oauth.${field}`, problem);
      }
    }
    if (app.scopes.length === 0)
      add(
        'oauth.scopes',
        'Enter the scopes the server needs for SMTP (and offline_access or its equivalent for a refresh token).',
      );
  }
  if (app.scopes.length > MAX_SCOPES || app.scopes.some((scope) => !SCOPE.test(scope)))
    add('oauth.scopes', 'Enter at most 32 scopes, each one word without spaces or quotes.');
  return issues;
}
