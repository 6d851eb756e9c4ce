import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pending messages of a disabled endpoint (kept until their retry window closes, to be sent if it is
 * enabled again) no longer slow down everything else. The fan-out trigger notifies the webhook senders
 * only when no message is already waiting for them; its first check scanned every due message from the
 * oldest and joined each with its endpoint, so each statement writing events read all of those. Now it
 * asks each enabled endpoint in turn through an index of the pending messages by (endpoint_id,
 * next_attempt_at, event_seq), which the senders' claim (claimDue) walks the same way: a few index probes
 * however many messages wait. It replaces the index by due time alone, which only those scans read.
 */
const BY_ENDPOINT = `EXISTS (
  SELECT 1 FROM webhook_endpoints w
  WHERE w.enabled AND EXISTS (
    SELECT 1 FROM webhook_messages m
    WHERE m.endpoint_id = w.id AND m.status = 'PENDING' AND m.next_attempt_at <= now()
      AND m.claimed_by IS NULL))`;

const BY_JOIN = `EXISTS (SELECT 1 FROM webhook_messages m JOIN webhook_endpoints w ON w.id = m.endpoint_id
  WHERE m.status = 'PENDING' AND m.next_attempt_at <= now() AND m.claimed_by IS NULL AND w.enabled)`;

/** The trigger function with `waitingCheck` deciding whether a sender is already at work on the queue. */
function fanOutFunction(waitingCheck: string): string {
  return `
    CREATE OR REPLACE FUNCTION webhook_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      waiting boolean := ${waitingCheck};
    BEGIN
      INSERT INTO webhook_messages (event_id, event_seq, endpoint_id, delivery_id)
      SELECT e.id, e.seq, w.id, e.delivery_id
      FROM new_events e JOIN webhook_endpoints w ON w.enabled AND e.type = ANY (w.event_types);
      IF FOUND AND NOT waiting THEN
        PERFORM pg_notify('mail_webhook_queued', '');
      END IF;
      RETURN NULL;
    END
    $$`;
}

export class WebhookWaitingCheck1763702800000 implements MigrationInterface {
  name = 'WebhookWaitingCheck1763702800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX webhook_messages_endpoint_due ON webhook_messages (endpoint_id, next_attempt_at, event_seq)
       WHERE status = 'PENDING'`,
    );
    // The global index by due time served the scans this replaces; nothing reads it any more.
    await queryRunner.query(`DROP INDEX webhook_messages_due`);
    await queryRunner.query(fanOutFunction(BY_ENDPOINT));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(fanOutFunction(BY_JOIN));
    await queryRunner.query(
      `CREATE INDEX webhook_messages_due ON webhook_messages (next_attempt_at) WHERE status = 'PENDING'`,
    );
    await queryRunner.query(`DROP INDEX webhook_messages_endpoint_due`);
  }
}
