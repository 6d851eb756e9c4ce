import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Settings an administrator changes at run time, one row per key with a JSON value (the log's retention
 * first). A key without a row has its default from the environment.
 */
export class Settings1763702000000 implements MigrationInterface {
  name = 'Settings1763702000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE settings (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE settings`);
  }
}
