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
