import { DataSource } from 'typeorm';
import { entities } from '../../src/entities';
import { migrations } from '../../src/migrations';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('the deliveries autovacuum migration', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource({
      type: 'postgres',
      url: database.url,
      entities,
      migrations,
      migrationsTransactionMode: 'each',
    }).initialize();
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
