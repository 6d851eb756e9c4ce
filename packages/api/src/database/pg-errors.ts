import { QueryFailedError } from 'typeorm';

function pgErrorFields(error: unknown): { code?: unknown; constraint?: unknown } | undefined {
  const driverError: unknown = error instanceof QueryFailedError ? error.driverError : error;
  if (typeof driverError !== 'object' || driverError === null) return undefined;
  return driverError;
}

/** True when PostgreSQL refused a write for a duplicate key (optionally: of this constraint or index). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const fields = pgErrorFields(error);
  if (!fields || fields.code !== '23505') return false;
  return constraint === undefined || fields.constraint === constraint;
}

/** Socket failures of the way to PostgreSQL (refused, reset, timed out, no route, no such host). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL's own "not now": the server shuts down or crashed (57P01, 57P02), is starting or recovering
 * (57P03), or has no connection slot left (53300); and every connection exception (class 08).
 */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

/** What node-postgres and its pool say, with no code, when a connection dies or cannot be made. */
const CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /is not queryable$/,
  /^timeout exceeded when trying to connect$/,
  /^timeout expired$/,
];

/**
 * True when a statement failed because the database could not be reached (down, restarting, the network
 * cut, no connection to be had), as opposed to PostgreSQL refusing the statement itself.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause !== undefined && depth < 3; depth++) {
    const fields = pgErrorFields(cause);
    const code = typeof fields?.code === 'string' ? fields.code : undefined;
    if (code !== undefined && (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08')))
      return true;
    const driverError = cause instanceof QueryFailedError ? (cause.driverError as unknown) : cause;
    if (driverError instanceof Error) {
      if (CONNECTION_MESSAGES.some((pattern) => pattern.test(driverError.message))) return true;
      cause = driverError.cause;
    } else {
      cause = undefined;
    }
  }
  return false;
}
