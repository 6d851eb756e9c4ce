import type { Failure } from '@mail-providers/mailer-core';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AlertCode, AlertParams } from '../alerts/alert-text';

export type AlertKind =
  'CIRCUIT_OPENED' | 'CIRCUIT_CLOSED' | 'FALLBACK_USED' | 'OAUTH_REVOKED' | 'WEBHOOK_DISABLED';

/**
 * Something an operator should hear about. CIRCUIT_OPENED and FALLBACK_USED are episodes: while one is
 * open (not resolved) for a provider, repeats only bump `occurrences`, so one outage is one alert.
 * WEBHOOK_DISABLED is about a webhook endpoint: `providerId` and `providerName` hold the endpoint's.
 */
@Entity({ name: 'alert_events' })
export class AlertEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  kind!: AlertKind;

  /** What the alert says, rendered with `params` in the reader's language (alerts/alert-text.ts). */
  @Column({ type: 'text' })
  code!: AlertCode;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  params!: AlertParams;

  @Column({ name: 'provider_id', type: 'text' })
  providerId!: string;

  @Column({ name: 'provider_name', type: 'text' })
  providerName!: string;

  /** The English text, for readers that do not render `code` and `params`. */
  @Column({ type: 'text' })
  message!: string;

  @Column({ type: 'jsonb', nullable: true })
  failure!: Failure | null;

  @Column({ type: 'integer', default: 1 })
  occurrences!: number;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  /**
   * `sent` or `failed: <reason>` for alerts raised while alerts were POSTed to ALERT_WEBHOOK_URL directly;
   * null since, as provider events reach webhook endpoints through their own queue.
   */
  @Column({ name: 'webhook_status', type: 'text', nullable: true })
  webhookStatus!: string | null;
}
