import type { Channel, Failure, RejectedRecipient } from '@mail-providers/mailer-core';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type DeliveryStatus = 'QUEUED' | 'SENDING' | 'RETRYING' | 'SENT' | 'FAILED';

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

  /** The one queue job allowed to work on this delivery; any other job for it is stale and does nothing. */
  @Column({ name: 'job_id', type: 'uuid', nullable: true })
  jobId!: string | null;

  /** Rounds started (one round walks the chain once). */
  @Column({ type: 'integer', default: 0 })
  rounds!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  /** Set while a worker is handing the message to providers; found set by a later round = that worker died. */
  @Column({ name: 'sending_since', type: 'timestamptz', nullable: true })
  sendingSince!: Date | null;

  @Column({ name: 'sending_worker', type: 'text', nullable: true })
  sendingWorker!: string | null;

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
}
