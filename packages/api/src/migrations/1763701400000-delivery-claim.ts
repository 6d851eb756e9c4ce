import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The delivery row becomes its own work item: workers claim due deliveries from `deliveries` itself
 * instead of taking jobs from a queue's tables.
 *
 * A waiting delivery (QUEUED, RETRYING) is due at `next_attempt_at`, which a new row now gets by default.
 * A claimed one (SENDING) holds a lease: `claimed_by` is the worker sending it, `lease_expires_at` when
 * another worker may take it over (the first worker died or lost the database), and `lease_expiries` how
 * many leases in a row expired since the delivery's last recorded outcome (too many and it is given up).
 *
 * What was waiting stays due: QUEUED and RETRYING rows without a next attempt time are due now (a RETRYING
 * one keeps the time its next round was planned for), and a SENDING row's lease expires now, so the next
 * claim records its round as cut and sends it again, as a round whose job expired was before. Crash counts
 * start again from zero. The jobs of the former queue (the `pgboss` schema) are no longer read, written or
 * removed; `job_id` and `sending_worker` are only written by processes of the earlier release that may
 * still run during a rolling upgrade (see the lease sweep, which adopts what they leave).
 */
export class DeliveryClaim1763701400000 implements MigrationInterface {
  name = 'DeliveryClaim1763701400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE deliveries
        ADD COLUMN claimed_by text,
        ADD COLUMN lease_expires_at timestamptz,
        ADD COLUMN lease_expiries integer NOT NULL DEFAULT 0,
        ALTER COLUMN next_attempt_at SET DEFAULT now()
    `);
    await queryRunner.query(
      `UPDATE deliveries SET next_attempt_at = now()
       WHERE status IN ('QUEUED', 'RETRYING') AND next_attempt_at IS NULL`,
    );
    await queryRunner.query(
      `UPDATE deliveries SET lease_expires_at = now(), claimed_by = sending_worker, next_attempt_at = NULL
       WHERE status = 'SENDING'`,
    );
    // The claim reads each in order of the time it waits for, and stops after a batch.
    await queryRunner.query(
      `CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status IN ('QUEUED', 'RETRYING')`,
    );
    await queryRunner.query(
      `CREATE INDEX deliveries_lease ON deliveries (lease_expires_at) WHERE status = 'SENDING'`,
    );
  }

  /**
   * Takes the columns away again. Deliveries accepted since have no job of the former queue, so the earlier
   * release would not send them until they are retried.
   */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX deliveries_lease`);
    await queryRunner.query(`DROP INDEX deliveries_due`);
    await queryRunner.query(`
      ALTER TABLE deliveries
        ALTER COLUMN next_attempt_at DROP DEFAULT,
        DROP COLUMN lease_expiries,
        DROP COLUMN lease_expires_at,
        DROP COLUMN claimed_by
    `);
  }
}
