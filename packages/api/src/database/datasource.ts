import { DataSource, type EntityManager } from 'typeorm';
import { entities } from '../entities';
import { migrations } from '../migrations';

/** Advisory lock key held while one process migrates and bootstraps, so parallel starts do not race. */
const BOOTSTRAP_LOCK_KEY = 7_163_700_000;

export interface DataSourceOptions {
  url: string;
  poolSize?: number;
  applicationName?: string;
}

/** The TypeORM data source: migrations only, never `synchronize`. */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    // The migrations create what they use (ids come from the built-in gen_random_uuid()); without this,
    // every connection would try CREATE EXTENSION "uuid-ossp", which a runtime role may not do.
    installExtensions: false,
    logging: false,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? 'mail-providers-api',
    extra: { connectionTimeoutMillis: 10_000 },
  });
}

/**
 * Runs pending migrations, then `bootstrap` (first admin, re-encryption…), under a database-wide
 * lock: with several processes on one PostgreSQL exactly one migrates at a time.
 */
export async function migrateAndBootstrap<T>(
  dataSource: DataSource,
  bootstrap: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [BOOTSTRAP_LOCK_KEY]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      return await bootstrap(dataSource.manager);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [BOOTSTRAP_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
