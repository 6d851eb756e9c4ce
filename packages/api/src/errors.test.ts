import { GraphQLError } from 'graphql';
import {
  BadUserInputError,
  formatError,
  INTERNAL_ERROR_MESSAGE,
  NotFoundError,
  QueryRejectedError,
  RateLimitedError,
  stripEchoedValues,
} from './errors';

describe('stripEchoedValues', () => {
  it.each([
    [
      'Variable "$p" got invalid value 12345; String cannot represent a non string value: 12345',
      'Variable "$p" has a value of the wrong type; check it against the schema.',
    ],
    [
      'Variable "$input" got invalid value "hunter2" at "input.port"; Int cannot represent non-integer value: "hunter2"',
      'Variable "$input" has a value of the wrong type at "input.port"; check it against the schema.',
    ],
    ['Int cannot represent non-integer value: "hunter2"', 'Int cannot represent non-integer value.'],
    ['String cannot represent a non string value: 12345', 'String cannot represent a non string value.'],
    [
      'Expected value of type "ApiTokenScope!", found "hunter2"; Did you mean the enum value "SEND"?',
      'Expected value of type "ApiTokenScope!", found another value; Did you mean the enum value "SEND"?',
    ],
    ['Cannot query field "nope" on type "Query".', 'Cannot query field "nope" on type "Query".'],
  ])('%s', (message, expected) => {
    expect(stripEchoedValues(message)).toBe(expected);
  });
});

describe('formatError', () => {
  const wrap = (error: Error, path: string[] = ['field']) =>
    new GraphQLError(error.message, { path, originalError: error });

  it.each([
    [
      'BadUserInputError',
      new BadUserInputError([{ field: 'email', message: 'Enter an email.' }]),
      'BAD_USER_INPUT',
    ],
    ['NotFoundError', new NotFoundError(), 'NOT_FOUND'],
    ['RateLimitedError', new RateLimitedError(1500, 'Too many tries'), 'RATE_LIMITED'],
  ])('keeps our %s with its code and extensions', (_name, error, code) => {
    const formatted = formatError({ message: error.message, path: ['field'] }, wrap(error));
    expect(formatted.message).toBe(error.message);
    expect(formatted.extensions?.code).toBe(code);
    expect(formatted.extensions).not.toHaveProperty('stacktrace');
  });

  it('drops the http hint of a rejected query from the extensions', () => {
    const error = new QueryRejectedError('Too expensive.', 'QUERY_TOO_COMPLEX');
    expect(formatError({ message: error.message }, error).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'QUERY_TOO_COMPLEX',
    });
  });

  it('turns an unexpected error into a generic one that says nothing of its cause', () => {
    const cause = new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');
    const formatted = formatError(
      {
        message: cause.message,
        path: ['providers'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['x'] },
      },
      wrap(cause, ['providers']),
    );
    expect(formatted).toEqual({
      message: INTERNAL_ERROR_MESSAGE,
      path: ['providers'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('treats an argument graphql-js refuses during execution as bad input, not a server fault', () => {
    const argument = new GraphQLError('Argument "first" of non-null type "Int!" must not be null.');
    const formatted = formatError(
      { message: argument.message, path: ['auditLog'] },
      new GraphQLError(argument.message, { path: ['auditLog'], originalError: argument }),
    );
    expect(formatted).toEqual({ message: argument.message, extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('gives request errors the BAD_USER_INPUT code and keeps the Apollo code as the reason', () => {
    const validation = new GraphQLError('Cannot query field "nope" on type "Query".', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(
      formatError(
        { message: validation.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
        validation,
      ),
    ).toEqual({
      message: validation.message,
      extensions: { code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});
