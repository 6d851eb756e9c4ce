import type { MigrationInterface, QueryRunner } from 'typeorm';
import { allowOnly } from './allowed-values';

/**
 * PROVIDER_OAUTH_REVOKED: the provider event of an OAUTH_REVOKED alert (a provider's OAuth2 sign-in was
 * refused), so that it reaches webhook endpoints as the other provider alerts do. The endpoint standing for
 * ALERT_WEBHOOK_URL, which received every alert before events existed, is subscribed to it.
 */
const TYPES = [
  'DELIVERY_QUEUED',
  'DELIVERY_SENT',
  'DELIVERY_FAILED',
  'DELIVERY_DELIVERED',
  'DELIVERY_BOUNCED',
  'DELIVERY_COMPLAINED',
  'DELIVERY_SUPPRESSED',
  'PROVIDER_PAUSED',
  'PROVIDER_RECOVERED',
  'FALLBACK_USED',
];
const ADDED = 'PROVIDER_OAUTH_REVOKED';

export class OAuthRevokedEvent1763702900000 implements MigrationInterface {
  name = 'OAuthRevokedEvent1763702900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await allowOnly(queryRunner, 'events', 'type', [...TYPES, ADDED]);
    await queryRunner.query(
      `UPDATE webhook_endpoints SET event_types = array_append(event_types, $1), updated_at = now()
       WHERE created_by = 'ALERT_WEBHOOK_URL' AND NOT ($1 = ANY (event_types))`,
      [ADDED],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM events WHERE type = $1`, [ADDED]);
    await queryRunner.query(
      `UPDATE webhook_endpoints SET event_types = array_remove(event_types, $1)
       WHERE $1 = ANY (event_types) AND cardinality(event_types) > 1`,
      [ADDED],
    );
    await queryRunner.query(`DELETE FROM webhook_endpoints WHERE event_types = ARRAY[$1]::text[]`, [ADDED]);
    await allowOnly(queryRunner, 'events', 'type', TYPES);
  }
}
