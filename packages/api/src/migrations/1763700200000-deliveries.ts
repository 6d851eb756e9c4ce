import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable sending: the delivery log (one row per accepted message, one row per provider attempt), the
 * provider health shared by every process, and the alert events. The pg-boss job tables live in their own
 * schema and are installed by pg-boss itself when the queue starts.
 */
export class Deliveries1763700200000 implements MigrationInterface {
  name = 'Deliveries1763700200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        status text NOT NULL CHECK (status IN ('QUEUED', 'SENDING', 'RETRYING', 'SENT', 'FAILED')),
        channel text NOT NULL CHECK (channel IN ('DEFAULT', 'CRM')),
        to_addresses text[] NOT NULL,
        cc_addresses text[] NOT NULL DEFAULT '{}',
        bcc_addresses text[] NOT NULL DEFAULT '{}',
        reply_to text,
        subject text NOT NULL,
        text_body text,
        html_body text,
        size_bytes integer NOT NULL CHECK (size_bytes >= 0),
        search_text text NOT NULL,
        idempotency_key text,
        message_id text,
        job_id uuid,
        rounds integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        sending_since timestamptz,
        sending_worker text,
        delivered_by_provider_id uuid,
        delivered_by_provider_name text,
        provider_message_id text,
        rejected_recipients jsonb NOT NULL DEFAULT '[]',
        failure jsonb,
        failure_reason text,
        requested_by text,
        window_started_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        finished_at timestamptz,
        CONSTRAINT deliveries_text_or_html CHECK (text_body IS NOT NULL OR html_body IS NOT NULL)
      )
    `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX deliveries_idempotency_key_unique ON deliveries (idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX deliveries_status_seq ON deliveries (status, seq DESC)`);
    await queryRunner.query(`CREATE INDEX deliveries_created_at ON deliveries (created_at)`);
    await queryRunner.query(
      `CREATE INDEX deliveries_delivered_by ON deliveries (delivered_by_provider_id, seq DESC)`,
    );
    // The log's search box matches anywhere in recipients and subject. A trigram index keeps that fast on a
    // large log; pg_trgm is a trusted extension, but a server that refuses it still gets a working search.
    await queryRunner.query(`
      DO $$
      BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX deliveries_search_trgm ON deliveries USING gin (search_text gin_trgm_ops);
      EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm unavailable (%); delivery search runs without a trigram index', SQLERRM;
      END
      $$
    `);

    await queryRunner.query(`
      CREATE TABLE delivery_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
        round integer NOT NULL,
        seq integer NOT NULL,
        provider_id uuid,
        provider_name text NOT NULL,
        started_at timestamptz NOT NULL,
        duration_ms integer NOT NULL CHECK (duration_ms >= 0),
        outcome text NOT NULL CHECK (outcome IN ('SENT', 'FAILED', 'SKIPPED')),
        category text,
        skipped_reason text,
        failure jsonb,
        provider_message_id text,
        worker text,
        CONSTRAINT delivery_attempts_order_unique UNIQUE (delivery_id, round, seq)
      )
    `);
    await queryRunner.query(
      `CREATE INDEX delivery_attempts_provider ON delivery_attempts (provider_id, delivery_id) WHERE outcome <> 'SKIPPED'`,
    );
    await queryRunner.query(`CREATE INDEX delivery_attempts_started_at ON delivery_attempts (started_at)`);

    await queryRunner.query(`
      CREATE TABLE provider_health (
        provider_id text PRIMARY KEY,
        record jsonb NOT NULL,
        version bigint NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      )
    `);

    await queryRunner.query(`
      CREATE TABLE alert_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('CIRCUIT_OPENED', 'CIRCUIT_CLOSED', 'FALLBACK_USED')),
        provider_id text NOT NULL,
        provider_name text NOT NULL,
        message text NOT NULL,
        failure jsonb,
        occurrences integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        webhook_status text
      )
    `);
    // One open episode per provider and kind: the debounce that turns one outage into one alert.
    await queryRunner.query(
      `CREATE UNIQUE INDEX alert_events_open_episode ON alert_events (kind, provider_id) WHERE resolved_at IS NULL AND kind <> 'CIRCUIT_CLOSED'`,
    );
    await queryRunner.query(`CREATE INDEX alert_events_created_at ON alert_events (created_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE alert_events`);
    await queryRunner.query(`DROP TABLE provider_health`);
    await queryRunner.query(`DROP TABLE delivery_attempts`);
    await queryRunner.query(`DROP TABLE deliveries`);
  }
}
