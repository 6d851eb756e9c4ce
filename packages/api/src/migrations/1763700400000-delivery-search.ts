import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moves the delivery log's search text (lower-cased recipients and subject) out of `deliveries` into
 * `delivery_search`, written once when a message is accepted.
 *
 * Every round changes a delivery's status twice (SENDING, then its verdict), and a status change writes a new
 * row version into each of the row's indexes. With the trigram index on the same row, each of those writes
 * also inserted every trigram of the recipients and subject into the GIN index again; apart, the search text
 * and its index are written once a delivery.
 */
export class DeliverySearch1763700400000 implements MigrationInterface {
  name = 'DeliverySearch1763700400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE delivery_search (
        delivery_id uuid PRIMARY KEY REFERENCES deliveries (id) ON DELETE CASCADE,
        search_text text NOT NULL
      )
    `);
    await queryRunner.query(
      `INSERT INTO delivery_search (delivery_id, search_text) SELECT id, search_text FROM deliveries`,
    );
    await queryRunner.query(trigramIndex('delivery_search_trgm', 'delivery_search'));
    await queryRunner.query(`DROP INDEX IF EXISTS deliveries_search_trgm`);
    await queryRunner.query(`ALTER TABLE deliveries DROP COLUMN search_text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE deliveries ADD COLUMN search_text text`);
    await queryRunner.query(
      `UPDATE deliveries d SET search_text = s.search_text FROM delivery_search s WHERE s.delivery_id = d.id`,
    );
    await queryRunner.query(`ALTER TABLE deliveries ALTER COLUMN search_text SET NOT NULL`);
    await queryRunner.query(trigramIndex('deliveries_search_trgm', 'deliveries'));
    await queryRunner.query(`DROP TABLE delivery_search`);
  }
}

/** A trigram index on the table's search_text; a server without pg_trgm keeps a working search, unindexed. */
function trigramIndex(name: string, table: string): string {
  return `
    DO $$
    BEGIN
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      CREATE INDEX ${name} ON ${table} USING gin (search_text gin_trgm_ops);
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'pg_trgm unavailable (%); delivery search runs without a trigram index', SQLERRM;
    END
    $$`;
}
