import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditService, type Actor } from '../audit/audit.service';
import type { AppConfig } from '../config';
import type { Auth } from '../context';
import { isUniqueViolation } from '../database/pg-errors';
import { SessionEntity } from '../entities/session.entity';
import { LOCALES, USER_ROLES, UserEntity, type Locale, type UserRole } from '../entities/user.entity';
import { BadUserInputError, ConflictError, NotFoundError, type FieldError } from '../errors';
import { isUuid } from '../database/ids';
import type { ServiceContainer } from '../service-container';
import { LoginGuard } from './login-guard';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password-hashing';
import { SessionService } from './session.service';

export interface CreateUserInput {
  email: string;
  password: string;
  role: string;
  locale?: string;
  /** The password was generated for the user, who must choose their own at first sign-in. */
  mustChangePassword?: boolean;
}

/** What the first start did about the administrator account. */
export interface FirstAdmin {
  created: boolean;
  email: string;
  /** Set only when the password was generated now; it is shown once and stored only as a hash. */
  generatedPassword?: string;
  /**
   * ADMIN_PASSWORD was set and changed nothing: `admin-exists` when ADMIN_EMAIL already has an account
   * with another password, `other-users` when the database has users but none with ADMIN_EMAIL.
   */
  adminPasswordIgnored?: 'admin-exists' | 'other-users';
}

/** What resetting an administrator's password did, or why it did nothing. */
export type AdminPasswordReset =
  | {
      outcome: 'reset';
      userId: string;
      email: string;
      /** Set only when the password was generated now; the caller shows it once. */
      generatedPassword?: string;
      sessionsEnded: number;
    }
  | { outcome: 'unknown-email'; administrators: string[] }
  | { outcome: 'not-an-administrator'; role: UserRole };

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
const EMAIL = /^[^\s@"<>(),;:\\]+@[^\s@"<>(),;:\\]+$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function emailProblem(email: string): string | undefined {
  if (email === '') return 'Enter an email address, e.g. jane@example.com.';
  if (email.length > 254) return 'Use an email address of at most 254 characters.';
  if (!EMAIL.test(email) || /\p{Cc}/u.test(email))
    return 'Enter a valid email address, e.g. jane@example.com.';
  return undefined;
}

/** Why `password` cannot be a user's password, or undefined when it can. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN) return `Use a password of at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `Use a password of at most ${PASSWORD_MAX} characters.`;
  if (password.trim() === '') return 'Use a password that is not only spaces.';
  return undefined;
}

export function isRole(value: string): value is UserRole {
  return (USER_ROLES as readonly string[]).includes(value);
}

/** 144 random bits, 24 characters a person can copy without quoting. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Held by the transaction that creates the first administrator, so API processes starting together
 * on one database create it once.
 */
const FIRST_ADMIN_LOCK_KEY = 7_163_700_001;

/** How to set a new password for `email` from the server's command line (the reset-admin script). */
export function resetAdminCommand(email: string): string {
  const shown = /^[A-Za-z0-9@._+-]+$/.test(email) ? email : `'${email.replace(/'/g, `'\\''`)}'`;
  return `npx -y pnpm@10.34.9 --filter @mail-providers/api run reset-admin -- --email ${shown}`;
}

/** The warning for a start whose ADMIN_PASSWORD changed nothing; undefined when it was used or unset. */
export function adminPasswordIgnoredWarning(firstAdmin: FirstAdmin): string | undefined {
  switch (firstAdmin.adminPasswordIgnored) {
    case 'admin-exists':
      return (
        `ADMIN_PASSWORD is ignored: ${firstAdmin.email} already exists and keeps its password. ` +
        `To set a new one, run: ${resetAdminCommand(firstAdmin.email)}`
      );
    case 'other-users':
      return (
        `ADMIN_EMAIL and ADMIN_PASSWORD are ignored: the database already has users, and the first ` +
        `administrator is created only on an empty one. Sign in as an existing administrator, or set a ` +
        `new password for one with: ${resetAdminCommand('<their email>')}`
      );
    case undefined:
      return undefined;
  }
}

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

/** People who sign in: creation (admins only, checked by the resolver), lookup, credentials, locale. */
export class UserService {
  constructor(private readonly services: ServiceContainer) {}

  private repo(manager?: EntityManager) {
    return (manager ?? this.services.dataSource.manager).getRepository(UserEntity);
  }

  async create(input: CreateUserInput, actor: Auth | Actor, manager?: EntityManager): Promise<UserEntity> {
    const email = normalizeEmail(input.email);
    const problems: FieldError[] = [];
    const emailIssue = emailProblem(email);
    if (emailIssue) problems.push({ field: 'email', message: emailIssue });
    const passwordIssue = passwordProblem(input.password);
    if (passwordIssue) problems.push({ field: 'password', message: passwordIssue });
    if (!isRole(input.role)) problems.push({ field: 'role', message: 'Choose the role ADMIN or VIEWER.' });
    const locale = input.locale ?? 'en';
    if (!isLocale(locale)) problems.push({ field: 'locale', message: 'Choose the language en or tr.' });
    const role = input.role;
    if (problems.length > 0 || !isRole(role) || !isLocale(locale)) throw new BadUserInputError(problems);

    const passwordHash = await hashPassword(input.password);
    const mustChangePassword = input.mustChangePassword ?? false;
    const run = async (m: EntityManager) => {
      const user = await this.repo(m).save(
        this.repo(m).create({ email, passwordHash, role, locale, mustChangePassword }),
      );
      await this.services.get(AuditService).record(
        {
          actor,
          action: 'user.create',
          entityType: 'user',
          entityId: user.id,
          fields: [
            'email',
            'password',
            'role',
            'locale',
            ...(mustChangePassword ? ['mustChangePassword'] : []),
          ],
        },
        m,
      );
      return user;
    };
    try {
      return manager ? await run(manager) : await this.services.dataSource.transaction(run);
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) {
        throw new ConflictError('A user with this email already exists; use another email address.', [
          { field: 'email', message: 'This email already has an account.' },
        ]);
      }
      throw error;
    }
  }

  list(): Promise<UserEntity[]> {
    return this.repo().find({ order: { createdAt: 'ASC', email: 'ASC' } });
  }

  findById(id: string): Promise<UserEntity | null> {
    return isUuid(id) ? this.repo().findOneBy({ id }) : Promise.resolve(null);
  }

  /**
   * The user when email and password match, with this sign-in kept as their last; null otherwise, in about
   * the same time either way.
   */
  async checkCredentials(email: string, password: string): Promise<UserEntity | null> {
    const normalized = normalizeEmail(email);
    const user =
      emailProblem(normalized) === undefined ? await this.repo().findOneBy({ email: normalized }) : null;
    if (!user) return verifyAgainstDummy(password).then(() => null);
    if (!(await verifyPassword(user.passwordHash, password))) return null;
    user.lastLoginAt = new Date();
    await this.repo().update({ id: user.id }, { lastLoginAt: user.lastLoginAt });
    return user;
  }

  /** Whether the user must choose a new password before anything else; false for a user who is gone. */
  async mustChangePassword(userId: string): Promise<boolean> {
    const user = await this.repo().findOne({
      select: { id: true, mustChangePassword: true },
      where: { id: userId },
    });
    return user?.mustChangePassword ?? false;
  }

  /**
   * The signed-in user's own change of password: the current one must match (each wrong guess counts as a
   * failed login), the new one must follow the rules and differ from it. Lifts the obligation to change it,
   * and ends the user's other sessions (whoever else knew the old password is signed out).
   */
  async changeOwnPassword(
    session: Extract<Auth, { kind: 'session' }>,
    passwords: { current: string; new: string },
    ip: string,
  ): Promise<UserEntity> {
    const problem = passwordProblem(passwords.new);
    if (problem) throw new BadUserInputError([{ field: 'newPassword', message: problem }]);
    const guard = this.services.get(LoginGuard);
    const account = session.user.email;
    await guard.beginAttempt(account, ip);
    const user = await this.repo().findOneBy({ id: session.user.id });
    if (!user) throw new NotFoundError('Your account no longer exists; sign in again.');
    if (
      passwords.current.length > PASSWORD_MAX ||
      !(await verifyPassword(user.passwordHash, passwords.current))
    ) {
      throw new BadUserInputError(
        [{ field: 'currentPassword', message: 'This is not your current password; enter it again.' }],
        'The current password is not right; enter it again.',
      );
    }
    await guard.succeeded(account, ip);
    if (passwords.new === passwords.current) {
      throw new BadUserInputError([
        { field: 'newPassword', message: 'Choose a new password that differs from the current one.' },
      ]);
    }
    const passwordHash = await hashPassword(passwords.new);
    return this.services.dataSource.transaction(async (m) => {
      const changed = await this.repo(m).update(
        { id: user.id, passwordHash: user.passwordHash },
        { passwordHash, mustChangePassword: false },
      );
      // Someone reset or changed it between the check and now: the current password no longer holds.
      if (!changed.affected) {
        throw new ConflictError('Your password was changed meanwhile; sign in again with the new one.');
      }
      const ended = await this.services
        .get(SessionService)
        .revokeAllOf(user.id, { keep: session.sessionTokenHash, manager: m });
      await this.services.get(AuditService).record(
        {
          actor: session,
          action: 'user.change-password',
          entityType: 'user',
          entityId: user.id,
          fields: [
            'password',
            ...(user.mustChangePassword ? ['mustChangePassword'] : []),
            ...(ended > 0 ? ['sessions'] : []),
          ],
        },
        m,
      );
      return this.repo(m).findOneByOrFail({ id: user.id });
    });
  }

  async setLocale(userId: string, locale: string, actor: Auth | Actor): Promise<UserEntity> {
    if (!isLocale(locale)) {
      throw new BadUserInputError([{ field: 'locale', message: 'Choose the language en or tr.' }]);
    }
    return this.services.dataSource.transaction(async (m) => {
      const user = await this.repo(m).findOneBy({ id: userId });
      if (!user) throw new NotFoundError('Your account no longer exists; sign in again.');
      user.locale = locale;
      const saved = await this.repo(m).save(user);
      await this.services
        .get(AuditService)
        .record(
          { actor, action: 'user.update', entityType: 'user', entityId: user.id, fields: ['locale'] },
          m,
        );
      return saved;
    });
  }

  /**
   * On an empty users table, creates the administrator from ADMIN_EMAIL/ADMIN_PASSWORD, or with a
   * generated password that the caller prints once. Never touches an existing installation's users;
   * says when an ADMIN_PASSWORD was therefore ignored (one that is already the password of ADMIN_EMAIL
   * is not: a deployment that keeps it set sees no warning).
   */
  async ensureFirstAdmin(config: Pick<AppConfig, 'adminEmail' | 'adminPassword'>): Promise<FirstAdmin> {
    const email = normalizeEmail(config.adminEmail);
    const created = await this.services.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [FIRST_ADMIN_LOCK_KEY]);
      if ((await this.repo(manager).count()) > 0) return undefined;
      const password = config.adminPassword ?? generatePassword();
      await this.create({ email, password, role: 'ADMIN' }, { kind: 'system' }, manager);
      return config.adminPassword === undefined ? { generatedPassword: password } : {};
    });
    if (created) return { created: true, email, ...created };
    if (config.adminPassword === undefined) return { created: false, email };
    const existing = await this.repo().findOneBy({ email });
    if (!existing) return { created: false, email, adminPasswordIgnored: 'other-users' };
    if (await verifyPassword(existing.passwordHash, config.adminPassword)) return { created: false, email };
    return { created: false, email, adminPasswordIgnored: 'admin-exists' };
  }

  /**
   * Gives the administrator `email` a new password (`password`, or a generated one returned once), ends
   * all their sessions, clears the failed logins counted against the account and records it in the audit
   * log. Changes nothing else about the user.
   */
  async resetAdminPassword(
    email: string,
    password: string | undefined,
    actor: Actor,
  ): Promise<AdminPasswordReset> {
    const account = normalizeEmail(email);
    const newPassword = password ?? generatePassword();
    const problem = passwordProblem(newPassword);
    if (problem) throw new BadUserInputError([{ field: 'password', message: problem }]);
    const passwordHash = await hashPassword(newPassword);
    return this.services.dataSource.transaction(async (m): Promise<AdminPasswordReset> => {
      const user = await this.repo(m).findOne({
        where: { email: account },
        lock: { mode: 'pessimistic_write' },
      });
      if (!user) {
        const admins = await this.repo(m).find({ where: { role: 'ADMIN' }, order: { email: 'ASC' } });
        return { outcome: 'unknown-email', administrators: admins.map((admin) => admin.email) };
      }
      if (user.role !== 'ADMIN') return { outcome: 'not-an-administrator', role: user.role };
      // Before the change commits: a reset that cannot clear them fails whole. Clearing them for a
      // reset that then rolls back costs nothing but a few allowed guesses.
      await this.services.get(LoginGuard).forgetAccount(account);
      await this.repo(m).update({ id: user.id }, { passwordHash });
      const ended = await m.getRepository(SessionEntity).delete({ userId: user.id });
      await this.services.get(AuditService).record(
        {
          actor,
          action: 'user.reset-password',
          entityType: 'user',
          entityId: user.id,
          fields: ['password', 'sessions'],
        },
        m,
      );
      return {
        outcome: 'reset',
        userId: user.id,
        email: user.email,
        ...(password === undefined ? { generatedPassword: newPassword } : {}),
        sessionsEnded: ended.affected ?? 0,
      };
    });
  }
}
