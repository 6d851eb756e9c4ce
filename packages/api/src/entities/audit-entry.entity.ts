import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One change: who made it, when, to what, and the NAMES of the fields it touched (never their values). */
@Entity({ name: 'audit_log' })
export class AuditEntryEntity {
  /** bigint, read as a string so it never loses precision. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  /** `user:<email>`, `token:<name>`, `system` or `cli` (the server's command line). */
  @Column({ type: 'text' })
  actor: string;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ name: 'actor_token_id', type: 'uuid', nullable: true })
  actorTokenId: string | null;

  /** e.g. `provider.create`, `user.create`, `api-token.revoke`. */
  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'entity_type', type: 'text' })
  entityType: string;

  @Column({ name: 'entity_id', type: 'text', nullable: true })
  entityId: string | null;

  @Column({ type: 'text', array: true })
  fields: string[];
}
