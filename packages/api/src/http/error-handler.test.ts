import type { AddressInfo } from 'node:net';
import express from 'express';
import { INTERNAL_ERROR_MESSAGE } from '../errors';
import { createLogger } from '../logger';
import { errorHandler } from './error-handler';
import { securityHeaders } from './security-headers';

describe('errorHandler', () => {
  const lines: string[] = [];
  const logger = createLogger({ logLevel: 'error' }, { write: (line: string) => lines.push(line) });
  let failWith: unknown;
  let url = '';
  let close: () => Promise<void> = () => Promise.resolve();

  beforeAll(async () => {
    // A mount like /graphql's, whose last handler hands over what failed, as the Apollo middleware does.
    const app = express();
    app.use(securityHeaders());
    app.use('/graphql', (_req, _res, next) => next(failWith));
    app.use(errorHandler(logger, '1kb'));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql?x=1`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());
  beforeEach(() => lines.splice(0));

  it.each([
    [
      'a body over the limit',
      413,
      'The request body is larger than 1kb; send less data.',
      'BAD_USER_INPUT',
      Object.assign(new Error('too large'), { status: 413, type: 'entity.too.large' }),
    ],
    [
      'broken JSON',
      400,
      'The request body is not valid JSON; fix it and send again.',
      'BAD_USER_INPUT',
      Object.assign(new Error('bad json'), { status: 400, type: 'entity.parse.failed' }),
    ],
    [
      'another client fault',
      415,
      'The request could not be read; check its headers and body.',
      'BAD_USER_INPUT',
      Object.assign(new Error('unsupported charset "latin9"'), { status: 415 }),
    ],
    [
      'a failure of our own',
      500,
      INTERNAL_ERROR_MESSAGE,
      'INTERNAL_SERVER_ERROR',
      new Error('the engine broke'),
    ],
    [
      'something thrown that is no Error',
      500,
      INTERNAL_ERROR_MESSAGE,
      'INTERNAL_SERVER_ERROR',
      'a bare string',
    ],
  ])('answers %s with %s in GraphQL error shape', async (_case, status, message, code, error) => {
    failWith = error;
    const response = await fetch(url, { method: 'POST' });
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ errors: [{ message, extensions: { code } }] });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; path: string });
    // Only our own faults are logged, with the path asked for and none of the query string.
    expect(logged).toEqual(
      status === 500
        ? [expect.objectContaining({ msg: 'unexpected error in an HTTP handler', path: '/graphql' })]
        : [],
    );
  });
});
