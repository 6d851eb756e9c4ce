// The API's rules for a password a person chooses (packages/api/src/auth/user.service.ts passwordProblem,
// and changeMyPassword's "differs from the current one"), checked before asking it; the API stays the judge.

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

/** What is wrong with a new password, as i18n keys under `password.rules` / `password.problems`. */
export type PasswordProblem = 'tooShort' | 'tooLong' | 'onlySpaces' | 'sameAsCurrent' | 'mismatch';

/** The rules shown beside the form, in the order they are checked. */
export const PASSWORD_RULES = ['length', 'notOnlySpaces', 'differs'] as const;

export function newPasswordProblem(password: string, current?: string): PasswordProblem | null {
  if (password.length < PASSWORD_MIN) return 'tooShort';
  if (password.length > PASSWORD_MAX) return 'tooLong';
  if (password.trim() === '') return 'onlySpaces';
  if (current !== undefined && password === current) return 'sameAsCurrent';
  return null;
}

export function repeatProblem(password: string, repeat: string): PasswordProblem | null {
  return password === repeat ? null : 'mismatch';
}
