import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type UserRole = 'ADMIN' | 'VIEWER';
export type Locale = 'en' | 'tr';

export const USER_ROLES: readonly UserRole[] = ['ADMIN', 'VIEWER'];
export const LOCALES: readonly Locale[] = ['en', 'tr'];

/** A person who signs in to the panel. The email is stored lower-case and is unique. */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  email: string;

  /** argon2id hash (PHC string); the password itself is never stored. */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ type: 'text' })
  role: UserRole;

  @Column({ type: 'text', default: 'en' })
  locale: Locale;

  /** Set when an administrator generated the password: the user must choose their own before anything else. */
  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword: boolean;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
