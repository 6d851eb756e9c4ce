import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts are stored as a code and the facts they are rendered from (`params`), so every reader gets them in
 * their own language; `message` keeps the English text for the webhook and older readers.
 *
 * Existing rows get both from what they hold: the code from the kind (a circuit closed because the
 * provider's settings changed becomes HEALTH_RESET), the provider's name, the failure's category and codes
 * from the stored failure, and the failure count and the delivering provider from the English message
 * where it names them.
 */
export class AlertCodes1763701600000 implements MigrationInterface {
  name = 'AlertCodes1763701600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE alert_events
        ADD COLUMN code text,
        ADD COLUMN params jsonb NOT NULL DEFAULT '{}'::jsonb
    `);
    await queryRunner.query(`
      UPDATE alert_events SET
        code = CASE
          WHEN kind = 'CIRCUIT_CLOSED' AND message LIKE '%health reset after its settings changed%' THEN 'HEALTH_RESET'
          ELSE kind
        END,
        params = jsonb_strip_nulls(jsonb_build_object(
          'providerName', provider_name,
          'category', failure->>'category',
          'smtpCode', failure->'smtpCode',
          'enhancedCode', failure->>'enhancedCode',
          'httpStatus', failure->'httpStatus',
          'failures', CASE WHEN kind = 'CIRCUIT_OPENED'
            THEN (substring(message from 'circuit opened after ([0-9]{1,9}) failure'))::int END,
          'deliveredByName', CASE
            WHEN kind = 'FALLBACK_USED' AND position(' because ' || provider_name || ' failed (' in message) > 23
             AND starts_with(message, 'Mail went out through ')
            THEN substring(message, 23, position(' because ' || provider_name || ' failed (' in message) - 23)
          END
        ))
    `);
    await queryRunner.query(`ALTER TABLE alert_events ALTER COLUMN code SET NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE alert_events DROP COLUMN params, DROP COLUMN code`);
  }
}
