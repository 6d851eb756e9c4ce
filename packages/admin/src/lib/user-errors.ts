// What the Users page says when the API refuses one of its actions, in the panel's language: the API's
// codes mapped to texts (its own messages are English and name internal details).

import type { ApiProblem } from './api-error';

export type UserAction = 'load' | 'create' | 'role' | 'reset' | 'endSessions' | 'remove' | 'changePassword';

/** An i18n key, and the API's own words for the few cases where nothing better can be said. */
export interface UserErrorText {
  key: string;
  message?: string;
}

export function userErrorText(action: UserAction, problem: ApiProblem): UserErrorText {
  switch (problem.code) {
    case 'NETWORK':
      return { key: 'errors.NETWORK' };
    case 'RATE_LIMITED':
      return { key: 'errors.RATE_LIMITED' };
    case 'UNAUTHENTICATED':
      return { key: 'login.expired' };
    case 'FORBIDDEN':
      return { key: 'users.errors.forbidden' };
    case 'PASSWORD_CHANGE_REQUIRED':
      return { key: 'users.errors.passwordChangeRequired' };
    case 'NOT_FOUND':
      return { key: 'users.errors.notFound' };
    case 'CONFLICT':
      if (action === 'create') return { key: 'users.errors.emailTaken' };
      if (action === 'role' || action === 'remove') return { key: 'users.errors.lastAdmin' };
      if (action === 'changePassword') return { key: 'password.problems.changedMeanwhile' };
      return { key: 'users.errors.unknown', message: problem.message };
    case 'BAD_USER_INPUT':
      if (action === 'changePassword' && problem.fields.some((field) => field.field === 'currentPassword')) {
        return { key: 'password.problems.currentWrong' };
      }
      return { key: 'users.errors.invalid', message: problem.fields[0]?.message ?? problem.message };
    default:
      return { key: 'users.errors.unknown', message: problem.message || problem.code };
  }
}
