const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID as PostgreSQL accepts it; anything else cannot be an id of ours (and would fail the query). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
