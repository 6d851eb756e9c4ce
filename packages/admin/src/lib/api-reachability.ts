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

/** fetch's refusal, ANSWER_TIMEOUT_MS running out, and the HTTP link's errors for a bad answer. */
const TRANSPORT_ERRORS = new Set(['TypeError', 'TimeoutError', 'ServerError', 'ServerParseError']);

export function classifyFailure(error: unknown): FailureKind {
  if (!isObject(error)) return 'answered';
  if (isObject(error.networkError)) return networkKind(error.networkError);
  // An ApolloError whose GraphQL errors came back in a 200 answer: the API is there.
  if (Array.isArray(error.graphQLErrors) && error.graphQLErrors.length > 0) return 'answered';
  // The transport's own error, as a link sees it before Apollo wraps it.
  if ((typeof error.name === 'string' && TRANSPORT_ERRORS.has(error.name)) || statusOf(error) !== undefined) {
    return networkKind(error);
  }
  return 'answered';
}

/**
 * How long the session check and the tries wait for an answer: a host that takes the connection and says
 * nothing would otherwise keep the first page blank for good. Other calls (a test through a slow chain)
 * may take longer and keep the browser's own limits.
 */
export const ANSWER_TIMEOUT_MS = 8_000;

/**
 * Apollo context that gives up on a call after ANSWER_TIMEOUT_MS (it then counts as unreachable); where
 * the browser has no AbortSignal.timeout (before 2022), its own limits stay.
 */
export function answerTimeout(): { fetchOptions?: { signal: AbortSignal } } {
  if (typeof AbortSignal.timeout !== 'function') return {};
  return { fetchOptions: { signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) } };
}

/** A lazy page's code could not be fetched: the server that serves the panel is away too. */
export function isChunkLoadError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /dynamically imported module|Importing a module script failed|error loading dynamically imported/i.test(
    message,
  );
}

/** Seconds before the next try after `failures` tries in a row failed: 1, 2, 4, 8, 16, then every 30. */
export function retryDelaySeconds(failures: number): number {
  const exponent = Math.max(0, failures - 1);
  return Math.min(30, 2 ** Math.min(exponent, 5));
}
