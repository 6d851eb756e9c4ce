import { isGraphqlUrl } from './graphql-http';

describe('isGraphqlUrl', () => {
  it.each([
    ['/graphql', true],
    ['/graphql?query=%7B%20me%20%7B%20id%20%7D%20%7D', true],
    ['/graphql/', true],
    ['/GraphQL', true],
    ['/graphql/anything', true],
    ['/graphqlx', false],
    ['/graphq', false],
    ['/', false],
    ['/healthz', false],
    ['/assets/graphql', false],
    [undefined, false],
  ])('%s -> %s', (url, expected) => {
    expect(isGraphqlUrl(url)).toBe(expected);
  });
});
