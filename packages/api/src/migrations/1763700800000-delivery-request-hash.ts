import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hash of each delivery's normalised request, so a repeated idempotency key with a different message is
 * told apart from a retry of the same one. Deliveries accepted before have none, and match any repeat.
 */
export class DeliveryRequestHash1763700800000 implements MigrationInterface {
  name = 'DeliveryRequestHash1763700800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE deliveries ADD COLUMN request_hash text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE deliveries DROP COLUMN request_hash`);
  }
}
