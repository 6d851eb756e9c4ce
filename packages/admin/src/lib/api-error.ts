// Turns whatever a GraphQL call threw into what the panel explains: the API's code, its message, the
// fields it named (BAD_USER_INPUT) and the delivery failure behind a refusal (PROVIDER_NOT_VERIFIED).

import { FAILURE_CATEGORIES, type Failure } from '../graphql/types';

export interface FieldProblem {
  field: string;
  message: string;
}

export interface ApiProblem {
  /** `extensions.code`, or `NETWORK` when the API could not be reached. */
  code: string;
  message: string;
  fields: FieldProblem[];
  failure: Failure | null;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function int(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function readFields(value: unknown): FieldProblem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (!isObject(item)) return [];
    const field = text(item.field);
    const message = text(item.message);
    return field !== null && message !== null ? [{ field, message }] : [];
  });
}

function readFailure(value: unknown): Failure | null {
  if (!isObject(value)) return null;
  const message = text(value.message);
  if (message === null) return null;
  return {
    category: FAILURE_CATEGORIES.find((category) => category === value.category) ?? 'UNKNOWN',
    smtpCode: int(value.smtpCode),
    enhancedCode: text(value.enhancedCode),
    httpStatus: int(value.httpStatus),
    command: text(value.command),
    vendorCode: text(value.vendorCode),
    possibleDuplicate: typeof value.possibleDuplicate === 'boolean' ? value.possibleDuplicate : null,
    message,
    hint: text(value.hint) ?? '',
  };
}

/** GraphQL errors carried either in the ApolloError or in the body of a non-2xx answer. */
function graphqlErrorsOf(error: Json): Json[] {
  const direct = Array.isArray(error.graphQLErrors) ? error.graphQLErrors : [];
  const network = isObject(error.networkError) ? error.networkError : null;
  const body = network && isObject(network.result) ? network.result : null;
  const fromBody = body && Array.isArray(body.errors) ? body.errors : [];
  return [...direct, ...fromBody].filter(isObject);
}

export function toApiProblem(error: unknown): ApiProblem {
  if (!isObject(error)) return { code: 'UNKNOWN', message: String(error), fields: [], failure: null };
  const first = graphqlErrorsOf(error)[0];
  if (first) {
    const extensions = isObject(first.extensions) ? first.extensions : {};
    return {
      code: text(extensions.code) ?? 'UNKNOWN',
      message: text(first.message) ?? '',
      fields: readFields(extensions.fields),
      failure: readFailure(extensions.failure),
    };
  }
  if (isObject(error.networkError) || error.name === 'TypeError') {
    return { code: 'NETWORK', message: text(error.message) ?? '', fields: [], failure: null };
  }
  return { code: 'UNKNOWN', message: text(error.message) ?? '', fields: [], failure: null };
}

/** True when one of an answer's GraphQL errors carries `code` (UNAUTHENTICATED: the session is missing or over). */
export function hasErrorCode(errors: ReadonlyArray<unknown> | undefined, code: string): boolean {
  return (errors ?? []).some(
    (item) => isObject(item) && isObject(item.extensions) && item.extensions.code === code,
  );
}
