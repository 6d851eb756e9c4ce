import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A delivery sent again from the log (resendDelivery) names the delivery it copies. No foreign key: the
 * original may be purged before the copy, and the copy keeps the id it was made from.
 */
export class DeliveryResend1763701800000 implements MigrationInterface {
  name = 'DeliveryResend1763701800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE deliveries ADD COLUMN resent_from_id uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE deliveries DROP COLUMN resent_from_id`);
  }
}
