import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys belong to the caller that used them: two callers (API tokens or users) may use the same
 * key, and neither ever gets the other's delivery back. Also drops the index on the delivering provider,
 * which no query uses and which every finished delivery had to update.
 */
export class DeliveryKeysPerCaller1763700300000 implements MigrationInterface {
  name = 'DeliveryKeysPerCaller1763700300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNIQUE INDEX deliveries_idempotency_per_caller
         ON deliveries ((coalesce(requested_by, '')), idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await queryRunner.query(`DROP INDEX deliveries_idempotency_key_unique`);
    await queryRunner.query(`DROP INDEX deliveries_delivered_by`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX deliveries_delivered_by ON deliveries (delivered_by_provider_id, seq DESC)`,
    );
    // Fails when two callers have used the same key since: such rows cannot go back to one key space.
    await queryRunner.query(
      `CREATE UNIQUE INDEX deliveries_idempotency_key_unique ON deliveries (idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await queryRunner.query(`DROP INDEX deliveries_idempotency_per_caller`);
  }
}
