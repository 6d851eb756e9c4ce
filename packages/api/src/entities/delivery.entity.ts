import type { Channel, Failure, RejectedRecipient } from '@mail-providers/mailer-core';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type DeliveryStatus = 'QUEUED' | 'SENDING' | 'RETRYING' | 'SENT' | 'FAILED' | 'SUPPRESSED';

/**
 * One message accepted by sendEmail, from acceptance to SENT or FAILED. The body stays here until the
 * retention purge, so a retry (automatic or asked for) sends exactly what was accepted.
 */
@Entity({ name: 'deliveries' })
export class DeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Acceptance order: the log's sort key and the cursor of its pages. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column({ type: 'text' })
  status!: DeliveryStatus;

  @Column({ type: 'text' })
  channel!: Channel;

  @Column({ name: 'to_addresses', type: 'text', array: true })
  to!: string[];

  @Column({ name: 'cc_addresses', type: 'text', array: true })
  cc!: string[];

  @Column({ name: 'bcc_addresses', type: 'text', array: true })
  bcc!: string[];

  @Column({ name: 'reply_to', type: 'text', nullable: true })
  replyTo!: string | null;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ name: 'text_body', type: 'text', nullable: true })
  text!: string | null;

  @Column({ name: 'html_body', type: 'text', nullable: true })
  html!: string | null;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes!: number;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  /** Fixed before the first round, so every provider and every retry sends the same Message-ID. */
  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  /** Written only by processes of the release before the claim on this table (its queue job); cleared by a claim. */
  @Column({ name: 'job_id', type: 'uuid', nullable: true })
  jobId!: string | null;

  /** Rounds started (one round walks the chain once). */
  @Column({ type: 'integer', default: 0 })
  rounds!: number;

  /** When a waiting (QUEUED, RETRYING) delivery is due for its next round. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  /** When the round being sent (SENDING) was claimed. */
  @Column({ name: 'sending_since', type: 'timestamptz', nullable: true })
  sendingSince!: Date | null;

  /** Written only by processes of the release before the claim on this table; `claimedBy` replaces it. */
  @Column({ name: 'sending_worker', type: 'text', nullable: true })
  sendingWorker!: string | null;

  /** The worker a SENDING delivery is claimed by. */
  @Column({ name: 'claimed_by', type: 'text', nullable: true })
  claimedBy!: string | null;

  /** When the claim of a SENDING delivery runs out and another worker may take it over (its worker died). */
  @Column({ name: 'lease_expires_at', type: 'timestamptz', nullable: true })
  leaseExpiresAt!: Date | null;

  /** Leases that expired in a row since the last recorded outcome; too many and the delivery is given up. */
  @Column({ name: 'lease_expiries', type: 'integer', default: 0 })
  leaseExpiries!: number;

  @Column({ name: 'delivered_by_provider_id', type: 'uuid', nullable: true })
  deliveredByProviderId!: string | null;

  @Column({ name: 'delivered_by_provider_name', type: 'text', nullable: true })
  deliveredByProviderName!: string | null;

  @Column({ name: 'provider_message_id', type: 'text', nullable: true })
  providerMessageId!: string | null;

  @Column({ name: 'rejected_recipients', type: 'jsonb', default: () => `'[]'` })
  rejectedRecipients!: RejectedRecipient[];

  /** The failure that ended a FAILED delivery (the engine's own, with both hint languages). */
  @Column({ type: 'jsonb', nullable: true })
  failure!: Failure | null;

  /** One sentence saying why a FAILED delivery stopped. */
  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason!: string | null;

  /** `user:<id>` or `token:<id>`: who asked for it. */
  @Column({ name: 'requested_by', type: 'text', nullable: true })
  requestedBy!: string | null;

  /** Start of the retry window: acceptance, or the moment an operator asked to retry a FAILED delivery. */
  @Column({ name: 'window_started_at', type: 'timestamptz' })
  windowStartedAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** Recipients dropped at acceptance because they are on the suppression list. */
  @Column({ name: 'suppressed_recipients', type: 'text', array: true, default: () => `'{}'` })
  suppressedRecipients!: string[];
}
