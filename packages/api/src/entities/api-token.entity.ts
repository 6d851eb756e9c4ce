import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ApiTokenScope = 'SEND' | 'READ' | 'MANAGE';

export const API_TOKEN_SCOPES: readonly ApiTokenScope[] = ['SEND', 'READ', 'MANAGE'];

/** A token for scripts (`Authorization: Bearer`). Stored as its SHA-256; shown to its creator once. */
@Entity({ name: 'api_tokens' })
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  /** The first characters of the token, so people can tell their tokens apart. */
  @Column({ type: 'text' })
  prefix: string;

  @Column({ type: 'text', array: true })
  scopes: ApiTokenScope[];

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
