import type { DataSource } from 'typeorm';
import { DeliverySearch1763700400000 } from '../../src/migrations/1763700400000-delivery-search';
import { dataSourceWith, migrationsBefore } from '../support/migrated-data-source';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const BEFORE = migrationsBefore(DeliverySearch1763700400000);

describe('the delivery search migration', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    const before = await dataSourceWith(database.url, BEFORE).initialize();
    await before.runMigrations();
    await before.query(
      `INSERT INTO deliveries (status, channel, to_addresses, subject, text_body, size_bytes, search_text)
       VALUES ('SENT', 'DEFAULT', ARRAY['ann@example.com'], 'Invoice 7', 'x', 1, 'ann@example.com invoice 7')`,
    );
    await before.destroy();
    // Up to this migration only, so that undoing the last migration undoes this one.
    dataSource = await dataSourceWith(database.url, BEFORE + 1).initialize();
    await dataSource.runMigrations();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  const searchIndexes = async (): Promise<string[]> =>
    (
      await dataSource.query<Array<{ name: string }>>(
        `SELECT indexname AS name FROM pg_indexes WHERE indexname LIKE '%search_trgm' ORDER BY 1`,
      )
    ).map((row) => row.name);

  it('moves the search text of logged deliveries, with its trigram index, out of the deliveries row', async () => {
    expect(
      await dataSource.query(
        `SELECT d.subject FROM deliveries d JOIN delivery_search s ON s.delivery_id = d.id
         WHERE s.search_text LIKE '%invoice 7%'`,
      ),
    ).toEqual([{ subject: 'Invoice 7' }]);
    expect(
      await dataSource.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'deliveries' AND column_name = 'search_text'`,
      ),
    ).toEqual([]);
    expect(await searchIndexes()).toEqual(['delivery_search_trgm']);
  });

  it('removes a purged delivery with its search text', async () => {
    await dataSource.query(`DELETE FROM deliveries WHERE subject = 'Invoice 7'`);
    expect(await dataSource.query(`SELECT * FROM delivery_search`)).toEqual([]);
  });

  it('is undone by putting the text and the index back on deliveries', async () => {
    await dataSource.query(
      `WITH d AS (
         INSERT INTO deliveries (status, channel, to_addresses, subject, text_body, size_bytes)
         VALUES ('SENT', 'DEFAULT', ARRAY['bob@example.com'], 'Receipt', 'x', 1) RETURNING id
       ) INSERT INTO delivery_search SELECT id, 'bob@example.com receipt' FROM d`,
    );
    await dataSource.undoLastMigration();
    expect(
      await dataSource.query(`SELECT subject, search_text FROM deliveries WHERE subject = 'Receipt'`),
    ).toEqual([{ subject: 'Receipt', search_text: 'bob@example.com receipt' }]);
    expect(await searchIndexes()).toEqual(['deliveries_search_trgm']);
    expect(await dataSource.query(`SELECT to_regclass('delivery_search') IS NULL AS gone`)).toEqual([
      { gone: true },
    ]);
  });
});
