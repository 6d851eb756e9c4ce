import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Suppressed recipients and the SUPPRESSED status.
 *
 * - `deliveries.suppressed_recipients`: the recipients (to, cc, bcc, as given) that acceptance dropped
 *   because they are on the suppression list; the remaining ones stay in the address columns.
 * - `deliveries.status` admits SUPPRESSED: every recipient was suppressed, so the delivery is finished at
 *   acceptance without a round or an attempt.
 * - `suppressions_email_pattern`: the suppression list is searched by any part of an address (trigram,
 *   like the delivery search; a server that refuses pg_trgm still searches, only slower).
 */
export class SuppressedDeliveries1763702600000 implements MigrationInterface {
  name = 'SuppressedDeliveries1763702600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE deliveries ADD COLUMN suppressed_recipients text[] NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(`ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check`);
    await queryRunner.query(
      `ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
         CHECK (status IN ('QUEUED', 'SENDING', 'RETRYING', 'SENT', 'FAILED', 'SUPPRESSED'))`,
    );
    await queryRunner.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
          CREATE INDEX suppressions_email_pattern ON suppressions USING gin (email gin_trgm_ops);
        END IF;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS suppressions_email_pattern`);
    await queryRunner.query(`DELETE FROM deliveries WHERE status = 'SUPPRESSED'`);
    await queryRunner.query(`ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check`);
    await queryRunner.query(
      `ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
         CHECK (status IN ('QUEUED', 'SENDING', 'RETRYING', 'SENT', 'FAILED'))`,
    );
    await queryRunner.query(`ALTER TABLE deliveries DROP COLUMN suppressed_recipients`);
  }
}
