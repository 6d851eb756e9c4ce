import type { TestServer } from './test-server';

/** Every form a secret could take on the way out: as is, base64 (Basic, AUTH), and URI-encoded. */
export function formsOf(value: string): string[] {
  return [value, Buffer.from(value).toString('base64'), encodeURIComponent(value)];
}

/** The secrets (in any of their forms) that `text` contains. */
export function leakedIn(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((value) => formsOf(value).some((form) => text.includes(form)));
}

/** Every table of the server's database whose rows hold one of the secrets, with the secrets found. */
export async function tablesHolding(
  server: TestServer,
  secrets: readonly string[],
): Promise<Array<{ table: string; leaked: number }>> {
  const tables = await server.db.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
  );
  const found: Array<{ table: string; leaked: number }> = [];
  for (const table of tables.rows) {
    const rows = await server.db.query(`SELECT * FROM "${table.schema}"."${table.name}"`);
    const leaked = leakedIn(JSON.stringify(rows.rows), secrets).length;
    if (leaked > 0) found.push({ table: table.name, leaked });
  }
  return found;
}
