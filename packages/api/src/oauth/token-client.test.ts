import { accountOfIdToken } from './token-client';

const idToken = (claims: Record<string, unknown>): string =>
  ['{"alg":"none"}', JSON.stringify(claims)]
    .map((part) => Buffer.from(part).toString('base64url'))
    .join('.') + '.';

describe('the account an ID token names', () => {
  it.each<[string, string | undefined, string | undefined]>([
    ['its email', idToken({ email: 'ann@contoso.com', preferred_username: 'ann@other' }), 'ann@contoso.com'],
    ['else its preferred_username', idToken({ preferred_username: 'bob@contoso.com' }), 'bob@contoso.com'],
    ['nothing without either claim', idToken({ sub: '123' }), undefined],
    ['nothing for a token that is not a JWT', 'not-a-token', undefined],
    ['nothing for claims that are not JSON', 'eyJ9.bm90IGpzb24.', undefined],
    ['nothing without a token', undefined, undefined],
  ])('%s', (_name, token, account) => {
    expect(accountOfIdToken(token)).toBe(account);
  });
});
