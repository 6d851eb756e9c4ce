import type { AuthChecker } from 'type-graphql';
import type { Auth, Context, Permission } from '../context';
import { ForbiddenError, PasswordChangeRequiredError, UnauthenticatedError } from '../errors';
import { mustChangePassword } from './password-change-gate';

/** True when `auth` holds `permission`. ADMIN sessions hold all; VIEWERs READ; tokens their scopes. */
export function hasPermission(auth: Auth, permission: Permission): boolean {
  switch (auth.kind) {
    case 'anonymous':
      return false;
    case 'session':
      return auth.user.role === 'ADMIN' || permission === 'READ';
    case 'token':
      return permission !== 'ADMIN' && auth.token.scopes.includes(permission);
  }
}

/**
 * The one authChecker behind `@Authorized(...)`: nobody signed in -> UNAUTHENTICATED; signed in with a
 * password an administrator generated -> PASSWORD_CHANGE_REQUIRED; signed in without any of the listed
 * permissions -> FORBIDDEN. `@Authorized()` with no list only needs a caller.
 */
export const authChecker: AuthChecker<Context, Permission> = async ({ context }, permissions) => {
  if (context.auth.kind === 'anonymous') throw new UnauthenticatedError();
  if (await mustChangePassword(context)) throw new PasswordChangeRequiredError();
  if (permissions.length === 0 || permissions.some((p) => hasPermission(context.auth, p))) return true;
  throw new ForbiddenError(forbiddenMessage(context.auth, permissions));
};

function forbiddenMessage(auth: Auth, permissions: readonly Permission[]): string {
  if (auth.kind === 'token') {
    return permissions.includes('ADMIN')
      ? 'API tokens cannot do this; sign in as an administrator.'
      : `This API token lacks the ${permissions.join(' or ')} scope; create a token with that scope.`;
  }
  return 'Your role may only read; ask an administrator to do this.';
}
