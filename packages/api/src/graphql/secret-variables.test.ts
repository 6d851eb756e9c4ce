import { secretVariablesOf } from './secret-variables';

describe('secretVariablesOf', () => {
  it.each([
    [
      'an argument named for a secret',
      'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { id } }',
      ['p'],
    ],
    [
      'input fields named for secrets, at any depth',
      'mutation ($k: String, $s: String, $n: String) { createProvider(input: { password: $k, tls: { clientSecret: $s }, name: $n }) { id } }',
      ['k', 's'],
    ],
    [
      'a variable named for a secret',
      'mutation ($newPassword: String!) { a(b: $newPassword) }',
      ['newPassword'],
    ],
    [
      'a whole input object: its own fields are judged by path',
      'mutation ($in: ProviderInput!) { createProvider(input: $in) { id } }',
      [],
    ],
  ])('%s', (_case, operation, expected) => {
    expect([...(secretVariablesOf(operation) ?? [])].sort()).toEqual(expected);
  });

  it('gives nothing for text that does not parse, so the caller assumes the worst', () => {
    expect(secretVariablesOf('mutation ($p: String!) { login(password: $p')).toBeUndefined();
  });
});
