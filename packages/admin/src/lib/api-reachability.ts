// Whether a failed call means "the API answered, and said no" or "the API could not be reached": a
// refused connection, a proxy's 502/503/504, a server error, a body that is not GraphQL. Only the
// second kind makes the panel wait and retry; the first is the answer (no session, no right, bad input).

export type FailureKind = 'answered' | 'unreachable';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null;
}

function statusOf(error: Json): number | undefined {
  return typeof error.statusCode === 'number' ? error.statusCode : undefined;
}

/** A transport-level error as the HTTP link reports it (fetch's TypeError, ServerError, ServerParseError). */
function networkKind(network: Json): FailureKind {
  const status = statusOf(network);
  if (status !== undefined && status >= 500) return 'unreachable';
  // A body that is not JSON (an HTML error page of a proxy, a cut connection) is not the API speaking.
  if (network.name === 'ServerParseError') return 'unreachable';
  // No status at all: the request never got an HTTP answer (refused, reset, offline, CORS, DNS).
  if (status === undefined) return 'unreachable';
  return 'answered';
}

export function classifyFailure(error: unknown): FailureKind {
  if (!isObject(error)) return 'answered';
  if (isObject(error.networkError)) return networkKind(error.networkError);
  // An ApolloError whose GraphQL errors came back in a 200 answer: the API is there.
  if (Array.isArray(error.graphQLErrors) && error.graphQLErrors.length > 0) return 'answered';
  if (error.name === 'TypeError' || statusOf(error) !== undefined || error.name === 'ServerParseError') {
    return networkKind(error);
  }
  return 'answered';
}

/** Seconds before the next try after `failures` tries in a row failed: 1, 2, 4, 8, 16, then every 30. */
export function retryDelaySeconds(failures: number): number {
  const exponent = Math.max(0, failures - 1);
  return Math.min(30, 2 ** Math.min(exponent, 5));
}
