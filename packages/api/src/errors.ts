import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** The codes a client can see in `extensions.code` (SPEC §5), plus the generic one for our own faults. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PROVIDER_NOT_VERIFIED'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

/** One bad input field and what to do about it. `field` is the input path, e.g. `input.port`. */
export interface FieldError {
  field: string;
  message: string;
}

/** JSON-safe data carried in extensions (the failure of a verification, for instance). */
export type ExtensionValue =
  string | number | boolean | null | ExtensionValue[] | { [key: string]: ExtensionValue };

/** `extensions.fields`: every bad field with its advice, and nothing else. */
function fieldsExtension(fields: readonly FieldError[]): ExtensionValue {
  return fields.map((f) => ({ field: f.field, message: f.message }));
}

/**
 * Base of every error a client is meant to read. The message says what to do and never carries a
 * secret; the code is fixed per class so clients can branch on it.
 */
export abstract class AppError extends GraphQLError {
  protected constructor(
    message: string,
    readonly code: ErrorCode,
    extra: Record<string, ExtensionValue> = {},
  ) {
    super(message, { extensions: { ...extra, code } });
    this.name = new.target.name;
  }
}

export class UnauthenticatedError extends AppError {
  constructor(
    message = 'You are not signed in; log in or send an API token as "Authorization: Bearer <token>".',
  ) {
    super(message, 'UNAUTHENTICATED');
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have permission for this; ask an administrator.') {
    super(message, 'FORBIDDEN');
  }
}

export class BadUserInputError extends AppError {
  readonly fields: FieldError[];
  constructor(fields: FieldError[], message = 'Some fields are not valid; correct them and try again.') {
    super(message, 'BAD_USER_INPUT', { fields: fieldsExtension(fields) });
    this.fields = fields;
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Nothing was found with that id; reload and try again.') {
    super(message, 'NOT_FOUND');
  }
}

export class ConflictError extends AppError {
  constructor(message: string, fields: FieldError[] = []) {
    super(message, 'CONFLICT', fields.length > 0 ? { fields: fieldsExtension(fields) } : {});
  }
}

export class ProviderNotVerifiedError extends AppError {
  constructor(message: string, failure: { [key: string]: ExtensionValue } | null) {
    super(message, 'PROVIDER_NOT_VERIFIED', { failure });
  }
}

export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterMs: number, what = 'Too many attempts') {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super(`${what}; try again in ${seconds} seconds.`, 'RATE_LIMITED', { retryAfterSeconds: seconds });
    this.retryAfterSeconds = seconds;
  }
}

/**
 * A request refused before it runs (too deep, too complex). Answered with HTTP 400 like other
 * malformed requests.
 */
export class QueryRejectedError extends AppError {
  constructor(message: string, reason: string) {
    super(message, 'BAD_USER_INPUT', { reason, http: { status: 400 } });
  }
}

/** Apollo's own codes for a request the client got wrong (parse, validation, variable types). */
const CLIENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

export const INTERNAL_ERROR_MESSAGE =
  'Something went wrong on the server and it was logged; try again, and tell the operator if it keeps happening.';

/** The error a resolver threw, unwrapped from the GraphQLError that graphql-js puts around it. */
export function originalErrorOf(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError && current.originalError !== current) {
    current = current.originalError;
  }
  return current;
}

/**
 * True for errors that are meant for the client: ours; request errors (parse, validation, variable
 * types), which carry an Apollo client code and no execution path; and graphql-js's own argument
 * errors raised during execution (`Argument "first" of non-null type "Int!" must not be null.`), which
 * it wraps with the field's path.
 */
export function isClientError(error: unknown): boolean {
  const original = originalErrorOf(error);
  if (original instanceof AppError) return true;
  if (!(error instanceof GraphQLError)) return false;
  if (error.path) return original !== error && original instanceof GraphQLError;
  const code = error.extensions?.code;
  return typeof code === 'string' ? CLIENT_ERROR_CODES.has(code) : error.originalError === undefined;
}

/**
 * graphql-js echoes a bad literal or variable value inside its message; a mistyped password would
 * come back in an error. Keep the message's advice, drop the echoed value.
 */
export function stripEchoedValues(message: string): string {
  const variable = /^(Variable "\$[A-Za-z_][A-Za-z0-9_]*") got invalid value[\s\S]*$/.exec(message);
  if (variable) {
    const at = /at "([A-Za-z0-9_.[\]]+)"; /.exec(message);
    return `${variable[1]} has a value of the wrong type${at ? ` at "${at[1]}"` : ''}; check it against the schema.`;
  }
  return message
    .replace(/(cannot represent (?:a )?[\w -]*?value): [\s\S]*$/, '$1.')
    .replace(/(Expected value of type "[^"]+"), found [\s\S]*?([;.]|$)/, '$1, found another value$2')
    .replace(/(Enum "[^"]+" cannot represent )[\s\S]*?value: [\s\S]*$/, '$1this value.');
}

function withoutHttp(extensions: Record<string, unknown>): Record<string, unknown> {
  const { http: _http, ...rest } = extensions;
  return rest;
}

/**
 * Apollo `formatError`: our errors and request errors keep their message and code (without stack);
 * request errors take the SPEC code BAD_USER_INPUT (the Apollo code stays in `extensions.reason`);
 * anything else becomes a generic INTERNAL_SERVER_ERROR. Unexpected errors are logged elsewhere
 * (the error-logging plugin), with secrets redacted, before this runs.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = originalErrorOf(error);
  if (original instanceof AppError) {
    return {
      message: original.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: withoutHttp(original.extensions),
    };
  }
  if (isClientError(error)) {
    const apolloCode = formatted.extensions?.code;
    return {
      message: stripEchoedValues(formatted.message),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: {
        code: 'BAD_USER_INPUT',
        ...(typeof apolloCode === 'string' && apolloCode !== 'BAD_USER_INPUT' ? { reason: apolloCode } : {}),
      },
    };
  }
  return {
    message: INTERNAL_ERROR_MESSAGE,
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
