import { newPasswordProblem, repeatProblem, type PasswordProblem } from '../../src/lib/password-rules';

describe('a new password, by the API’s rules', () => {
  it.each<[string, string, string | undefined, PasswordProblem | null]>([
    ['7 characters', 'abcdefg', undefined, 'tooShort'],
    ['8 characters', 'abcdefgh', undefined, null],
    ['256 characters', 'a'.repeat(256), undefined, null],
    ['257 characters', 'a'.repeat(257), undefined, 'tooLong'],
    ['only spaces', ' '.repeat(12), undefined, 'onlySpaces'],
    ['spaces around words', '  correct horse  ', undefined, null],
    ['the current one again', 'one-time-123456', 'one-time-123456', 'sameAsCurrent'],
    ['another than the current one', 'chosen-password', 'one-time-123456', null],
    ['too short and the same: length first', 'short', 'short', 'tooShort'],
  ])('%s', (_case, password, current, problem) => {
    expect(newPasswordProblem(password, current)).toBe(problem);
  });

  it.each<[string, string, PasswordProblem | null]>([
    ['chosen-password', 'chosen-password', null],
    ['chosen-password', 'chosen-passwort', 'mismatch'],
    ['chosen-password', '', 'mismatch'],
  ])('typed twice: %s / %s', (password, repeat, problem) => {
    expect(repeatProblem(password, repeat)).toBe(problem);
  });
});
