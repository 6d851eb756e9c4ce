import { authMethodOf, type AuthMethod } from '@mail-providers/mailer-core';

export type { AuthMethod };

/**
 * The method a stored provider logs in with: as saved, else inferred as mailer-core does (a username
 * means a password, none means no login).
 */
export function authMethodOfEntity(provider: {
  authMethod: AuthMethod | null;
  username: string;
}): AuthMethod {
  return authMethodOf({ authMethod: provider.authMethod ?? undefined, username: provider.username });
}
