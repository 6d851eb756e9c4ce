import type { ApiProblem } from '../../src/lib/api-error';
import { userErrorText, type UserAction, type UserErrorText } from '../../src/lib/user-errors';

function problem(code: string, fields: ApiProblem['fields'] = [], message = 'API words.'): ApiProblem {
  return { code, message, fields, failure: null };
}

describe('what the Users page says when the API refuses', () => {
  it.each<[UserAction, ApiProblem, UserErrorText]>([
    ['create', problem('CONFLICT'), { key: 'users.errors.emailTaken' }],
    ['role', problem('CONFLICT'), { key: 'users.errors.lastAdmin' }],
    ['remove', problem('CONFLICT'), { key: 'users.errors.lastAdmin' }],
    ['changePassword', problem('CONFLICT'), { key: 'password.problems.changedMeanwhile' }],
    ['endSessions', problem('CONFLICT'), { key: 'users.errors.unknown', message: 'API words.' }],
    ['reset', problem('NOT_FOUND'), { key: 'users.errors.notFound' }],
    ['remove', problem('FORBIDDEN'), { key: 'users.errors.forbidden' }],
    ['load', problem('PASSWORD_CHANGE_REQUIRED'), { key: 'users.errors.passwordChangeRequired' }],
    ['load', problem('UNAUTHENTICATED'), { key: 'login.expired' }],
    ['create', problem('NETWORK'), { key: 'errors.NETWORK' }],
    ['changePassword', problem('RATE_LIMITED'), { key: 'errors.RATE_LIMITED' }],
    [
      'changePassword',
      problem('BAD_USER_INPUT', [{ field: 'currentPassword', message: 'Not it.' }]),
      { key: 'password.problems.currentWrong' },
    ],
    [
      'create',
      problem('BAD_USER_INPUT', [{ field: 'input.email', message: 'Enter a valid email address.' }]),
      { key: 'users.errors.invalid', message: 'Enter a valid email address.' },
    ],
    ['create', problem('BAD_USER_INPUT'), { key: 'users.errors.invalid', message: 'API words.' }],
    [
      'role',
      problem('INTERNAL_SERVER_ERROR', [], ''),
      { key: 'users.errors.unknown', message: 'INTERNAL_SERVER_ERROR' },
    ],
  ])('%s, %j', (action, refusal, text) => {
    expect(userErrorText(action, refusal)).toEqual(text);
  });
});
