import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery and provider events, and the suppression list.
 *
 * - `events`: what became of each delivery and provider, written in the transaction of the change it
 *   reports. `seq` is the order of writing, which orders a delivery's events. A delivery's events go with it
 *   when the log is purged; provider events are kept with no foreign key (the provider may be deleted).
 * - `suppressions`: addresses no mail goes to, for all mail (`scope` ALL) or one channel's, with why
 *   (`source`: HARD_BOUNCE, COMPLAINT, MANUAL, IMPORT, and the reason in words) and the event that caused it.
 *   Addresses are stored in lower case.
 */
export class Events1763702400000 implements MigrationInterface {
  name = 'Events1763702400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        type text NOT NULL CHECK (type IN (
          'DELIVERY_QUEUED', 'DELIVERY_SENT', 'DELIVERY_FAILED', 'DELIVERY_DELIVERED', 'DELIVERY_BOUNCED',
          'DELIVERY_COMPLAINED', 'DELIVERY_SUPPRESSED', 'PROVIDER_PAUSED', 'PROVIDER_RECOVERED', 'FALLBACK_USED')),
        occurred_at timestamptz NOT NULL DEFAULT now(),
        delivery_id uuid REFERENCES deliveries (id) ON DELETE CASCADE,
        recipient text,
        provider_id uuid,
        payload jsonb NOT NULL DEFAULT '{}'::jsonb,
        CHECK (CASE WHEN left(type, 9) = 'DELIVERY_' THEN delivery_id IS NOT NULL ELSE provider_id IS NOT NULL END)
      )
    `);
    await queryRunner.query(
      `CREATE INDEX events_delivery ON events (delivery_id, seq) WHERE delivery_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX events_provider ON events (provider_id, seq) WHERE delivery_id IS NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE suppressions (
        email text NOT NULL CHECK (email = lower(email)),
        scope text NOT NULL CHECK (scope IN ('ALL', 'DEFAULT', 'CRM')),
        source text NOT NULL CHECK (source IN ('HARD_BOUNCE', 'COMPLAINT', 'MANUAL', 'IMPORT')),
        reason text,
        source_event_id uuid,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (email, scope)
      )
    `);
    await queryRunner.query(`CREATE INDEX suppressions_created ON suppressions (created_at DESC, email)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE suppressions`);
    await queryRunner.query(`DROP TABLE events`);
  }
}
