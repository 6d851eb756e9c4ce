import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Vacuums and analyses `deliveries` after a small share of changes instead of PostgreSQL's default fifth of
 * the table. Every message updates its delivery twice (SENDING, then the verdict): between two default
 * vacuums of a large log, the status index fills with entries for row versions that no longer exist, and the
 * worker's claims and writes, and the log's status filter, walk through them.
 */
export class DeliveriesAutovacuum1763700500000 implements MigrationInterface {
  name = 'DeliveriesAutovacuum1763700500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE deliveries SET (
        autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000,
        autovacuum_analyze_scale_factor = 0.05, autovacuum_analyze_threshold = 1000
      )
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE deliveries RESET (
        autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold,
        autovacuum_analyze_scale_factor, autovacuum_analyze_threshold
      )
    `);
  }
}
