import { IsNull, type EntityManager } from 'typeorm';
import { ApiTokenService } from '../auth/api-token.service';
import { LoginGuard } from '../auth/login-guard';
import { hashPassword } from '../auth/password-hashing';
import { SessionService } from '../auth/session.service';
import { generatePassword, isRole, UserService } from '../auth/user.service';
import { AuditService } from '../audit/audit.service';
import type { Auth } from '../context';
import { isUuid } from '../database/ids';
import { ApiTokenEntity } from '../entities/api-token.entity';
import { UserEntity, type UserRole } from '../entities/user.entity';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import type { ServiceContainer } from '../service-container';

/**
 * Held (per transaction) by every change that can take the ADMIN role from someone, so two administrators
 * demoting or removing each other at the same moment cannot leave the installation without one.
 */
const ADMIN_ROLE_LOCK_KEY = 7_163_701_000;

export interface NewUser {
  email: string;
  role: string;
  locale?: string | null;
  /** Absent: a one-time password is generated, returned once, and must be replaced at first sign-in. */
  password?: string | null;
}

export interface UserCreated {
  user: UserEntity;
  /** Set only when the password was generated now; shown this once and stored only as a hash. */
  oneTimePassword: string | null;
}

export interface UserPasswordReset {
  user: UserEntity;
  oneTimePassword: string;
  sessionsEnded: number;
}

export interface UserRemoved {
  id: string;
  email: string;
  sessionsEnded: number;
  /** The live API tokens the user had created, now revoked. */
  apiTokensRevoked: number;
}

/**
 * What administrators do to other people's accounts (the resolver lets only them in): create, change the
 * role, reset the password, sign out, remove. Each change is written to the audit log with its transaction.
 * The last administrator can be neither demoted nor removed.
 */
export class UserManagementService {
  constructor(private readonly services: ServiceContainer) {}

  private get audit(): AuditService {
    return this.services.get(AuditService);
  }

  private get sessions(): SessionService {
    return this.services.get(SessionService);
  }

  async create(input: NewUser, actor: Auth): Promise<UserCreated> {
    const generated = input.password === undefined || input.password === null;
    const password = input.password ?? generatePassword();
    const user = await this.services.get(UserService).create(
      {
        email: input.email,
        password,
        role: input.role,
        ...(input.locale ? { locale: input.locale } : {}),
        mustChangePassword: generated,
      },
      actor,
    );
    return { user, oneTimePassword: generated ? password : null };
  }

  async setRole(id: string, role: string, actor: Auth): Promise<UserEntity> {
    if (!isRole(role)) {
      throw new BadUserInputError([{ field: 'role', message: 'Choose the role ADMIN or VIEWER.' }]);
    }
    return this.underAdminLock(async (m) => {
      const user = await this.lockedUser(m, id);
      if (user.role === role) return user;
      if (user.role === 'ADMIN') await this.keepAnotherAdmin(m, user, 'demote');
      await m.getRepository(UserEntity).update({ id: user.id }, { role });
      await this.audit.record(
        { actor, action: 'user.update', entityType: 'user', entityId: user.id, fields: ['role'] },
        m,
      );
      return m.getRepository(UserEntity).findOneByOrFail({ id: user.id });
    });
  }

  /**
   * Gives the user a generated password, returned this once, that they must replace at their next sign-in;
   * ends their sessions and clears the failed logins counted against the account.
   */
  async resetPassword(id: string, actor: Auth): Promise<UserPasswordReset> {
    const oneTimePassword = generatePassword();
    const passwordHash = await hashPassword(oneTimePassword);
    return this.services.dataSource.transaction(async (m) => {
      const user = await this.lockedUser(m, id);
      // Before the change commits, as a reset that cannot clear them must fail whole.
      await this.services.get(LoginGuard).forgetAccount(user.email);
      await m.getRepository(UserEntity).update({ id: user.id }, { passwordHash, mustChangePassword: true });
      const sessionsEnded = await this.sessions.revokeAllOf(user.id, { manager: m });
      await this.audit.record(
        {
          actor,
          action: 'user.reset-password',
          entityType: 'user',
          entityId: user.id,
          fields: ['password', 'mustChangePassword', 'sessions'],
        },
        m,
      );
      const saved = await m.getRepository(UserEntity).findOneByOrFail({ id: user.id });
      return { user: saved, oneTimePassword, sessionsEnded };
    });
  }

  /** Signs the user out everywhere; returns how many sessions ended. */
  async endSessions(id: string, actor: Auth): Promise<number> {
    return this.services.dataSource.transaction(async (m) => {
      const user = await this.lockedUser(m, id);
      const ended = await this.sessions.revokeAllOf(user.id, { manager: m });
      await this.audit.record(
        { actor, action: 'user.end-sessions', entityType: 'user', entityId: user.id, fields: ['sessions'] },
        m,
      );
      return ended;
    });
  }

  /**
   * Removes the user, ends their sessions and revokes the API tokens they created: a person who leaves
   * keeps no way in, including the token values they were shown.
   */
  async remove(id: string, actor: Auth): Promise<UserRemoved> {
    const removed = await this.underAdminLock(async (m) => {
      const user = await this.lockedUser(m, id);
      if (user.role === 'ADMIN') await this.keepAnotherAdmin(m, user, 'remove');
      // Read before the delete, which clears created_by.
      const tokens = await m
        .getRepository(ApiTokenEntity)
        .find({ select: { id: true }, where: { createdBy: user.id, revokedAt: IsNull() } });
      const sessionsEnded = await this.sessions.revokeAllOf(user.id, { manager: m });
      await m.getRepository(UserEntity).delete({ id: user.id });
      await this.audit.record(
        {
          actor,
          action: 'user.delete',
          entityType: 'user',
          entityId: user.id,
          fields: ['sessions', ...(tokens.length > 0 ? ['apiTokens'] : [])],
        },
        m,
      );
      return { id: user.id, email: user.email, sessionsEnded, tokenIds: tokens.map((token) => token.id) };
    });
    // Through the token service, which audits each revocation and forgets the token at once.
    const apiTokens = this.services.get(ApiTokenService);
    for (const tokenId of removed.tokenIds) await apiTokens.revoke(tokenId, actor);
    return {
      id: removed.id,
      email: removed.email,
      sessionsEnded: removed.sessionsEnded,
      apiTokensRevoked: removed.tokenIds.length,
    };
  }

  private underAdminLock<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.services.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_ROLE_LOCK_KEY]);
      return work(m);
    });
  }

  private async lockedUser(m: EntityManager, id: string): Promise<UserEntity> {
    const user = isUuid(id)
      ? await m.getRepository(UserEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!user) throw new NotFoundError('There is no user with this id; reload the list of users.');
    return user;
  }

  /** Refuses to take the ADMIN role from `user` when nobody else has it. Call under the admin lock. */
  private async keepAnotherAdmin(
    m: EntityManager,
    user: UserEntity,
    change: 'demote' | 'remove',
  ): Promise<void> {
    const others = await m
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('u.role = :role', { role: 'ADMIN' satisfies UserRole })
      .andWhere('u.id <> :id', { id: user.id })
      .getCount();
    if (others > 0) return;
    const what = change === 'demote' ? 'lose the ADMIN role' : 'be removed';
    throw new ConflictError(
      `${user.email} is the last administrator and cannot ${what}; make another user an administrator first.`,
    );
  }
}
