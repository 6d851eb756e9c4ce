import type { AttemptOutcome, Failure, FailureCategory } from '@mail-providers/mailer-core';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One provider's part in one round of one delivery. Its own row (not a JSON list on the delivery) so the
 * log can be filtered by provider and charted per provider per hour through an index.
 */
@Entity({ name: 'delivery_attempts' })
export class DeliveryAttemptEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ name: 'delivery_id', type: 'uuid' })
  deliveryId!: string;

  @Column({ type: 'integer' })
  round!: number;

  /** Order within the round. */
  @Column({ type: 'integer' })
  seq!: number;

  /** Null when no provider can be named (a worker died mid-round). */
  @Column({ name: 'provider_id', type: 'uuid', nullable: true })
  providerId!: string | null;

  @Column({ name: 'provider_name', type: 'text' })
  providerName!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  @Column({ type: 'text' })
  outcome!: AttemptOutcome;

  @Column({ type: 'text', nullable: true })
  category!: FailureCategory | null;

  @Column({ name: 'skipped_reason', type: 'text', nullable: true })
  skippedReason!: 'circuit_open' | 'cooling_down' | null;

  @Column({ type: 'jsonb', nullable: true })
  failure!: Failure | null;

  @Column({ name: 'provider_message_id', type: 'text', nullable: true })
  providerMessageId!: string | null;

  /** The process that made the attempt (`host:pid`). */
  @Column({ type: 'text', nullable: true })
  worker!: string | null;

  /**
   * Set on the record of a cut round (its worker never wrote the outcome): who cut it, the next round's take
   * or the dead-letter sweep.
   */
  @Column({ name: 'cut_by', type: 'text', nullable: true })
  cutBy!: 'NEXT_ROUND' | 'DEAD_LETTER' | null;
}
