import type { MigrationInterface, QueryRunner } from 'typeorm';
import { allowOnly } from './allowed-values';

/**
 * `alert_events.kind` admits WEBHOOK_DISABLED: a webhook endpoint the product disabled after it failed for
 * too long. Such an alert names the endpoint where other alerts name a provider (`provider_id` holds the
 * endpoint's id, `provider_name` its name), so every reader words it with the same columns. `code` has no
 * CHECK: its values are the application's.
 */
const KINDS = ['CIRCUIT_OPENED', 'CIRCUIT_CLOSED', 'FALLBACK_USED', 'OAUTH_REVOKED'];

export class WebhookDisabledAlert1763702550000 implements MigrationInterface {
  name = 'WebhookDisabledAlert1763702550000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await allowOnly(queryRunner, 'alert_events', 'kind', [...KINDS, 'WEBHOOK_DISABLED']);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM alert_events WHERE kind = 'WEBHOOK_DISABLED'`);
    await allowOnly(queryRunner, 'alert_events', 'kind', KINDS);
  }
}
