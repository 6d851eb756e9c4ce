import type { QueryRunner } from 'typeorm';

/**
 * Replaces the CHECK of `table.column` (PostgreSQL's default name for a column's CHECK,
 * `<table>_<column>_check`) with one admitting exactly `values`: how a migration adds (or, undone, removes)
 * a value of a text column that stands for an enum.
 */
export async function allowOnly(
  queryRunner: QueryRunner,
  table: string,
  column: string,
  values: readonly string[],
): Promise<void> {
  const constraint = `${table}_${column}_check`;
  await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${constraint}`);
  await queryRunner.query(
    `ALTER TABLE ${table} ADD CONSTRAINT ${constraint} CHECK (${column} IN (${values
      .map((value) => `'${value}'`)
      .join(', ')}))`,
  );
}
