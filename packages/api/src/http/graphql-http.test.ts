import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer } from '@apollo/server';
import type { Context } from '../context';
import { INTERNAL_ERROR_MESSAGE } from '../errors';
import { createLogger } from '../logger';
import { graphqlHttpHandler, isGraphqlUrl } from './graphql-http';

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

describe('graphqlHttpHandler', () => {
  it('answers a failure of its own with a generic 500 in GraphQL error shape and logs it', async () => {
    const lines: string[] = [];
    const logger = createLogger({ logLevel: 'error' }, { write: (line: string) => lines.push(line) });
    const apollo = {
      executeHTTPGraphQLRequest: () => Promise.reject(new Error('the engine broke')),
    } as unknown as ApolloServer<Context>;
    const handler = graphqlHttpHandler({
      apollo,
      context: () => Promise.reject(new Error('not reached')),
      track: () => 'request-1',
      trust: () => false,
      bodyLimit: '1kb',
      logger,
    });
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/graphql?x=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({
        errors: [{ message: INTERNAL_ERROR_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      });
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const logged = lines.map((line) => JSON.parse(line) as { msg: string; path: string });
      expect(logged).toEqual([
        expect.objectContaining({ msg: 'unexpected error in an HTTP handler', path: '/graphql' }),
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
