/**
 * "Not signed in" and "could not reach the API" are different answers: the first sends the admin to the
 * sign-in page, the second makes the panel wait and retry. Checked on the errors Apollo really produces,
 * by the panel's own client over a fetch that answers each way.
 */

import { ApolloError } from '@apollo/client/core';
import { createApolloClient } from '../../src/apollo';
import { PING } from '../../src/graphql/auth';
import {
  classifyFailure,
  isChunkLoadError,
  retryDelaySeconds,
  type FailureKind,
} from '../../src/lib/api-reachability';

type Answer = { status: number; contentType?: string; body: string } | { refused: true } | { timedOut: true };

const json = (body: unknown) => JSON.stringify(body);
const gqlError = (code: string) => json({ data: null, errors: [{ message: code, extensions: { code } }] });

function fakeFetch(answer: Answer): typeof fetch {
  return (async () => {
    if ('refused' in answer) throw new TypeError('Failed to fetch');
    if ('timedOut' in answer) throw new DOMException('The operation timed out.', 'TimeoutError');
    const headers = new Map([['content-type', answer.contentType ?? 'application/json']]);
    return { status: answer.status, ok: answer.status < 300, headers, text: async () => answer.body };
  }) as unknown as typeof fetch;
}

async function ask(answer: Answer) {
  const hooks = {
    onUnauthenticated: jest.fn(),
    onPasswordChangeRequired: jest.fn(),
    onUnreachable: jest.fn(),
    onAnswered: jest.fn(),
  };
  globalThis.fetch = fakeFetch(answer);
  const client = createApolloClient({ locale: () => 'en', uri: 'http://panel.test/graphql', ...hooks });
  const error = await client.query({ query: PING, fetchPolicy: 'no-cache' }).then(
    () => null,
    (caught: unknown) => caught,
  );
  return { error, hooks };
}

describe('what a failed call means', () => {
  it.each<[string, Answer, FailureKind | null, string[]]>([
    ['a refused or dropped connection', { refused: true }, 'unreachable', ['onUnreachable']],
    ['no answer in time', { timedOut: true }, 'unreachable', ['onUnreachable']],
    [
      'a proxy’s 503 page',
      { status: 503, contentType: 'text/html', body: '<h1>503</h1>' },
      'unreachable',
      ['onUnreachable'],
    ],
    [
      'a 502 from a gateway',
      { status: 502, contentType: 'text/plain', body: 'Bad Gateway' },
      'unreachable',
      ['onUnreachable'],
    ],
    [
      'the API’s own 503 (no database)',
      { status: 503, body: gqlError('INTERNAL_SERVER_ERROR') },
      'unreachable',
      ['onUnreachable'],
    ],
    ['a 500', { status: 500, body: gqlError('INTERNAL_SERVER_ERROR') }, 'unreachable', ['onUnreachable']],
    [
      'a 200 that is not JSON (a login page of a proxy)',
      { status: 200, contentType: 'text/html', body: '<html>' },
      'unreachable',
      ['onUnreachable'],
    ],
    [
      'an answer with data',
      { status: 200, body: json({ data: { __typename: 'Query' } }) },
      null,
      ['onAnswered'],
    ],
    [
      'no session',
      { status: 200, body: gqlError('UNAUTHENTICATED') },
      'answered',
      ['onAnswered', 'onUnauthenticated'],
    ],
    [
      'no session, as a 401',
      { status: 401, body: gqlError('UNAUTHENTICATED') },
      'answered',
      ['onAnswered', 'onUnauthenticated'],
    ],
    [
      'a password to change first',
      { status: 200, body: gqlError('PASSWORD_CHANGE_REQUIRED') },
      'answered',
      ['onAnswered', 'onPasswordChangeRequired'],
    ],
    ['a refused input', { status: 400, body: gqlError('BAD_USER_INPUT') }, 'answered', ['onAnswered']],
    ['a forbidden action', { status: 200, body: gqlError('FORBIDDEN') }, 'answered', ['onAnswered']],
  ])('%s', async (_case, answer, kind, called) => {
    const { error, hooks } = await ask(answer);
    if (kind === null) expect(error).toBeNull();
    else expect(classifyFailure(error)).toBe(kind);
    const calledHooks = Object.entries(hooks)
      .filter(([, hook]) => hook.mock.calls.length > 0)
      .map(([name]) => name);
    expect(calledHooks.sort()).toEqual([...called].sort());
  });

  it.each<[string, unknown, FailureKind]>([
    ['fetch’s own TypeError, outside Apollo', new TypeError('Failed to fetch'), 'unreachable'],
    ['an ApolloError with GraphQL errors only', new ApolloError({ graphQLErrors: [] }), 'answered'],
    ['a plain error of the panel', new Error('The login answer carried no user.'), 'answered'],
    ['nothing at all', undefined, 'answered'],
  ])('%s', (_case, error, kind) => {
    expect(classifyFailure(error)).toBe(kind);
  });
});

describe('when the next try starts', () => {
  it.each([
    [1, 1],
    [2, 2],
    [3, 4],
    [4, 8],
    [5, 16],
    [6, 30],
    [7, 30],
    [50, 30],
  ])('after %i failed tries in a row: %i s', (failures, seconds) => {
    expect(retryDelaySeconds(failures)).toBe(seconds);
  });
});

describe('a lazy page that could not be fetched', () => {
  it.each([
    [
      'Chromium',
      new TypeError('Failed to fetch dynamically imported module: http://x/assets/users-page.js'),
      true,
    ],
    [
      'Firefox',
      new TypeError('error loading dynamically imported module: http://x/assets/users-page.js'),
      true,
    ],
    ['Safari', new TypeError('Importing a module script failed.'), true],
    ['an error of the page itself', new TypeError('Cannot read properties of undefined'), false],
    ['a navigation guard’s refusal', { type: 4 }, false],
  ])('%s', (_case, error, chunk) => {
    expect(isChunkLoadError(error)).toBe(chunk);
  });
});
