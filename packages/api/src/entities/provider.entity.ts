import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type {
  ApiVendor,
  Encryption,
  ProviderStatus,
  ProviderType,
  ServiceType,
} from '@mail-providers/mailer-core';
import type { VerifyResult } from '@mail-providers/mailer-core';
import type { AuthMethod } from '../oauth/auth-method';
import {
  testEmailTransformer,
  verificationTransformer,
  type TestEmailRecord,
} from '../services/provider-records';

/**
 * One account mail is sent through. The password is kept only as ciphertext with the id of the key that
 * sealed it; the plain value exists in memory while a transport needs it and nowhere else.
 */
@Entity({ name: 'providers' })
export class ProviderEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  type: ProviderType;

  /** Unique case-insensitively through the index on lower(name) (see the migration). */
  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'api_vendor', type: 'text', nullable: true })
  apiVendor: ApiVendor | null;

  @Column({ type: 'text' })
  host: string;

  @Column({ type: 'integer' })
  port: number;

  @Column({ type: 'text' })
  username: string;

  @Column({ name: 'password_ciphertext', type: 'text' })
  passwordCiphertext: string;

  @Column({ name: 'password_key_id', type: 'text' })
  passwordKeyId: string;

  /** The secret its vendor's delivery-event webhook is verified with, sealed like the password; null when none. */
  @Column({ name: 'webhook_secret_ciphertext', type: 'text', nullable: true })
  webhookSecretCiphertext: string | null;

  @Column({ name: 'webhook_secret_key_id', type: 'text', nullable: true })
  webhookSecretKeyId: string | null;

  /** How it logs in; null for providers saved before the choice existed (inferred: see authMethodOf). */
  @Column({ name: 'auth_method', type: 'text', nullable: true })
  authMethod: AuthMethod | null;

  @Column({ type: 'text' })
  encryption: Encryption;

  @Column({ name: 'from_email', type: 'text' })
  fromEmail: string;

  @Column({ name: 'from_name', type: 'text' })
  fromName: string;

  @Column({ name: 'service_type', type: 'text' })
  serviceType: ServiceType;

  @Column({ type: 'text' })
  status: ProviderStatus;

  /** Dense 1..N over all providers; the unique constraint is deferrable so a reorder can swap places. */
  @Column({ type: 'integer' })
  priority: number;

  /**
   * Bumped by every change of type, vendor, host, port, username, password or encryption. A verification
   * is recorded only if the version it checked is still current when it finishes.
   */
  @Column({ name: 'credentials_version', type: 'integer', default: 1 })
  credentialsVersion: number;

  /** When the current credentials last passed a verification; null once they change. */
  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt: Date | null;

  @Column({ name: 'last_verification', type: 'jsonb', nullable: true, transformer: verificationTransformer })
  lastVerification: VerifyResult | null;

  @Column({ name: 'last_test_email', type: 'jsonb', nullable: true, transformer: testEmailTransformer })
  lastTestEmail: TestEmailRecord | null;

  /** Last change of anything that affects sending (every field but status and priority). */
  @Column({ name: 'settings_changed_at', type: 'timestamptz' })
  settingsChangedAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
