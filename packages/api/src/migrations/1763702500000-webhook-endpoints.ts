import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound webhooks: the endpoints, the queue of what each one is owed, and every attempt.
 *
 * - `webhook_endpoints`: where events go (`url`: http(s), or `mailto:` for EMAIL), which types, in which
 *   format and language. The signing secret is sealed with SecretBox (context `webhook:<id>:secret`).
 *   `failing_since` is the first failure of the current run of failures; an endpoint failing for too long
 *   is disabled with `disabled_reason`.
 * - `webhook_messages`: one row per event per subscribed endpoint, written by a trigger on `events` in
 *   the transaction that writes the event, so no event is lost and fan-out needs no writer to remember it.
 *   `event_seq` orders one delivery's events for one endpoint; a worker holds a row by its lease.
 * - `webhook_attempts`: each try, with what the receiver answered (the first 200 characters), kept for
 *   the panel. Test sends have no message.
 */
export class WebhookEndpoints1763702500000 implements MigrationInterface {
  name = 'WebhookEndpoints1763702500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL,
        description text,
        event_types text[] NOT NULL CHECK (cardinality(event_types) > 0),
        format text NOT NULL DEFAULT 'STANDARD' CHECK (format IN ('STANDARD', 'SLACK', 'EMAIL')),
        language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'tr')),
        enabled boolean NOT NULL DEFAULT true,
        secret_ciphertext text NOT NULL,
        secret_key_id text NOT NULL,
        failing_since timestamptz,
        disabled_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        created_by text
      )
    `);
    // The endpoint ALERT_WEBHOOK_URL stands for is created once, however many processes start together.
    await queryRunner.query(
      `CREATE UNIQUE INDEX webhook_endpoints_alert_url ON webhook_endpoints (url)
       WHERE created_by = 'ALERT_WEBHOOK_URL'`,
    );
    await queryRunner.query(`
      CREATE TABLE webhook_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_id uuid REFERENCES events (id) ON DELETE CASCADE,
        event_seq bigint NOT NULL,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        delivery_id uuid,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'GIVEN_UP')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        claimed_by text,
        lease_expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        given_up_at timestamptz
      )
    `);
    await queryRunner.query(
      `CREATE INDEX webhook_messages_due ON webhook_messages (next_attempt_at) WHERE status = 'PENDING'`,
    );
    await queryRunner.query(
      `CREATE INDEX webhook_messages_order ON webhook_messages (endpoint_id, delivery_id, event_seq)
       WHERE status = 'PENDING' AND delivery_id IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX webhook_messages_event ON webhook_messages (event_id)`);
    await queryRunner.query(`
      CREATE TABLE webhook_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_id uuid REFERENCES webhook_messages (id) ON DELETE CASCADE,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        event_id uuid,
        event_type text NOT NULL,
        attempt integer NOT NULL,
        status text NOT NULL CHECK (status IN ('SUCCEEDED', 'FAILED')),
        attempted_at timestamptz NOT NULL DEFAULT now(),
        duration_ms integer NOT NULL,
        response_status integer,
        response_body text,
        error text,
        next_attempt_at timestamptz
      )
    `);
    await queryRunner.query(
      `CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, attempted_at DESC, id DESC)`,
    );
    await queryRunner.query(`CREATE INDEX webhook_attempts_message ON webhook_attempts (message_id)`);
    // Fan-out: one statement-level trigger, so a statement writing many events joins them with the
    // endpoints once, and a database without subscribed endpoints pays one empty join.
    await queryRunner.query(`
      CREATE FUNCTION webhook_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO webhook_messages (event_id, event_seq, endpoint_id, delivery_id)
        SELECT e.id, e.seq, w.id, e.delivery_id
        FROM new_events e JOIN webhook_endpoints w ON w.enabled AND e.type = ANY (w.event_types);
        IF FOUND THEN
          PERFORM pg_notify('mail_webhook_queued', '');
        END IF;
        RETURN NULL;
      END
      $$
    `);
    await queryRunner.query(`
      CREATE TRIGGER events_webhook_fan_out AFTER INSERT ON events
      REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION webhook_fan_out()
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER events_webhook_fan_out ON events`);
    await queryRunner.query(`DROP FUNCTION webhook_fan_out()`);
    await queryRunner.query(`DROP TABLE webhook_attempts`);
    await queryRunner.query(`DROP TABLE webhook_messages`);
    await queryRunner.query(`DROP TABLE webhook_endpoints`);
  }
}
