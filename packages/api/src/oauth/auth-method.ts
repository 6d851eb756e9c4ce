/** How a provider logs in, as mailer-core's provider config says it. */
export type AuthMethod = 'password' | 'oauth2' | 'none';

/** The method a stored provider logs in with: as saved, else inferred (a username means a password). */
export function authMethodOfEntity(provider: {
  authMethod: AuthMethod | null;
  username: string;
}): AuthMethod {
  return provider.authMethod ?? (provider.username !== '' ? 'password' : 'none');
}
