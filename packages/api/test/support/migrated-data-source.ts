import { DataSource } from 'typeorm';
import { entities } from '../../src/entities';
import { migrations } from '../../src/migrations';

/**
 * A data source (not yet initialized) on `url` that knows the first `upTo` migrations: a migration test runs
 * the ones before its migration, writes rows as the earlier release left them, then runs or undoes its own.
 */
export function dataSourceWith(url: string, upTo: number): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations: migrations.slice(0, upTo),
    migrationsTransactionMode: 'each',
  });
}

/** How many migrations come before `migration`. */
export function migrationsBefore(migration: new () => object): number {
  const index = migrations.indexOf(migration);
  if (index < 0) throw new Error(`${migration.name} is not in the migrations list.`);
  return index;
}
