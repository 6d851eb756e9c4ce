import type { DataSource } from 'typeorm';
import { DeliveriesAutovacuum1763700500000 } from '../../src/migrations/1763700500000-deliveries-autovacuum';
import { dataSourceWith, migrationsBefore } from '../support/migrated-data-source';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('the deliveries autovacuum migration', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    // Up to this migration only, so that undoing the last migration undoes this one.
    dataSource = await dataSourceWith(
      database.url,
      migrationsBefore(DeliveriesAutovacuum1763700500000) + 1,
    ).initialize();
    await dataSource.runMigrations();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  const options = async (): Promise<string[] | null> => {
    const [row] = await dataSource.query<Array<{ reloptions: string[] | null }>>(
      `SELECT reloptions FROM pg_class WHERE oid = 'deliveries'::regclass`,
    );
    return row?.reloptions ?? null;
  };

  it('vacuums and analyses deliveries after a small share of changes, and undoes cleanly', async () => {
    expect(await options()).toEqual([
      'autovacuum_vacuum_scale_factor=0.02',
      'autovacuum_vacuum_threshold=1000',
      'autovacuum_analyze_scale_factor=0.05',
      'autovacuum_analyze_threshold=1000',
    ]);
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await options()).toBeNull();
    await dataSource.runMigrations();
    expect(await options()).toHaveLength(4);
  });
});
