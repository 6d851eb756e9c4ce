import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditService, type Actor } from '../audit/audit.service';
import type { AppConfig } from '../config';
import type { Auth } from '../context';
import { isUniqueViolation } from '../database/pg-errors';
import { LOCALES, USER_ROLES, UserEntity, type Locale, type UserRole } from '../entities/user.entity';
import { BadUserInputError, ConflictError, NotFoundError, type FieldError } from '../errors';
import { isUuid } from '../database/ids';
import type { ServiceContainer } from '../service-container';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password-hashing';

export interface CreateUserInput {
  email: string;
  password: string;
  role: string;
  locale?: string;
}

/** What the first start did about the administrator account. */
export interface FirstAdmin {
  created: boolean;
  email: string;
  /** Set only when the password was generated now; it is shown once and stored only as a hash. */
  generatedPassword?: string;
}

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

function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN) return `Use a password of at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `Use a password of at most ${PASSWORD_MAX} characters.`;
  if (password.trim() === '') return 'Use a password that is not only spaces.';
  return undefined;
}

function isRole(value: string): value is UserRole {
  return (USER_ROLES as readonly string[]).includes(value);
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
    const run = async (m: EntityManager) => {
      const user = await this.repo(m).save(this.repo(m).create({ email, passwordHash, role, locale }));
      await this.services.get(AuditService).record(
        {
          actor,
          action: 'user.create',
          entityType: 'user',
          entityId: user.id,
          fields: ['email', 'password', 'role', 'locale'],
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

  /** The user when email and password match; null otherwise, in about the same time either way. */
  async checkCredentials(email: string, password: string): Promise<UserEntity | null> {
    const normalized = normalizeEmail(email);
    const user =
      emailProblem(normalized) === undefined ? await this.repo().findOneBy({ email: normalized }) : null;
    if (!user) return verifyAgainstDummy(password).then(() => null);
    return (await verifyPassword(user.passwordHash, password)) ? user : null;
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
   * generated password that the caller prints once. Never touches an existing installation's users.
   */
  async ensureFirstAdmin(
    config: Pick<AppConfig, 'adminEmail' | 'adminPassword'>,
    manager?: EntityManager,
  ): Promise<FirstAdmin> {
    const count = await this.repo(manager).count();
    if (count > 0) return { created: false, email: config.adminEmail };
    const admin = (password: string) =>
      this.create({ email: config.adminEmail, password, role: 'ADMIN' }, { kind: 'system' }, manager);
    if (config.adminPassword !== undefined) {
      await admin(config.adminPassword);
      return { created: true, email: config.adminEmail };
    }
    const generatedPassword = randomBytes(18).toString('base64url');
    await admin(generatedPassword);
    return { created: true, email: config.adminEmail, generatedPassword };
  }
}
