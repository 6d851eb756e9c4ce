import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery events reported by the API vendors (inbound webhooks).
 *
 * - `providers.webhook_secret_*`: the secret each vendor's webhook is verified with (a signing key, a
 *   verification key or a password), sealed like the provider's password; null when none is set.
 * - `vendor_events`: every event received, matched to its delivery or not (`delivery_id` null), with the
 *   vendor's own name for it and what it maps to (`event_type`, null for opens, clicks and the like).
 *   `vendor_event_id` is unique per provider: a vendor's retry of an event is stored (and applied) once.
 * - `vendor_webhook_requests`: the signed requests seen lately (signed id or timestamp with the
 *   signature), so the same signed request sent again is refused as a replay. Rows older than the
 *   signature tolerance are useless (such requests are refused as stale anyway) and are deleted.
 * - Indexes to find a delivery by the vendor's message id and by its Message-ID header.
 */
export class VendorEvents1763702700000 implements MigrationInterface {
  name = 'VendorEvents1763702700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE providers
        ADD COLUMN webhook_secret_ciphertext text,
        ADD COLUMN webhook_secret_key_id text,
        ADD CONSTRAINT providers_webhook_secret_sealed
          CHECK ((webhook_secret_ciphertext IS NULL) = (webhook_secret_key_id IS NULL))
    `);
    await queryRunner.query(`
      CREATE TABLE vendor_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        vendor text NOT NULL,
        provider_id uuid NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
        vendor_event_id text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        delivery_id uuid REFERENCES deliveries (id) ON DELETE SET NULL,
        matched boolean NOT NULL,
        vendor_event_type text NOT NULL,
        event_type text,
        bounce_type text CHECK (bounce_type IN ('HARD', 'SOFT')),
        recipient text,
        vendor_message_id text,
        reason text,
        occurred_at timestamptz,
        CONSTRAINT vendor_events_dedupe UNIQUE (provider_id, vendor_event_id)
      )
    `);
    await queryRunner.query(
      `CREATE INDEX vendor_events_unmatched ON vendor_events (seq DESC) WHERE NOT matched`,
    );
    await queryRunner.query(
      `CREATE INDEX vendor_events_delivery ON vendor_events (delivery_id) WHERE delivery_id IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE vendor_webhook_requests (
        provider_id uuid NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
        replay_key text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (provider_id, replay_key)
      )
    `);
    await queryRunner.query(
      `CREATE INDEX vendor_webhook_requests_received ON vendor_webhook_requests (received_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX delivery_attempts_provider_message_id ON delivery_attempts (provider_message_id)
         WHERE provider_message_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX deliveries_message_id ON deliveries (message_id) WHERE message_id IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX deliveries_message_id`);
    await queryRunner.query(`DROP INDEX delivery_attempts_provider_message_id`);
    await queryRunner.query(`DROP TABLE vendor_webhook_requests`);
    await queryRunner.query(`DROP TABLE vendor_events`);
    await queryRunner.query(`
      ALTER TABLE providers
        DROP CONSTRAINT providers_webhook_secret_sealed,
        DROP COLUMN webhook_secret_key_id,
        DROP COLUMN webhook_secret_ciphertext
    `);
  }
}
