import { LessThan, Not, type EntityManager } from 'typeorm';
import type { AuthUser } from '../context';
import { SessionEntity } from '../entities/session.entity';
import { UserEntity } from '../entities/user.entity';
import type { ServiceContainer } from '../service-container';
import { hashToken, randomToken } from './token-hash';

export interface NewSession {
  /** The cookie value; only its hash is stored. */
  token: string;
  expiresAt: Date;
}

export interface ResolvedSession {
  user: AuthUser;
  tokenHash: string;
}

/**
 * Sessions of signed-in users, stored by the hash of the cookie value, with a fixed expiry. A session is
 * read from the database on every request and never remembered by a process, so deleting its row (`revoke`,
 * `revokeAllOf`) ends it in every process at once: no request that starts after the deletion has committed
 * gets through with it. Keep it so, or tell every process as API tokens do (ApiTokenService).
 */
export class SessionService {
  constructor(private readonly services: ServiceContainer) {}

  private get repo() {
    return this.services.dataSource.getRepository(SessionEntity);
  }

  async create(userId: string): Promise<NewSession> {
    const token = randomToken();
    const expiresAt = new Date(Date.now() + this.services.config.sessionTtlHours * 3_600_000);
    await this.repo.insert({ tokenHash: hashToken(token), userId, expiresAt });
    // Expired sessions of this user are of no use to anyone; this keeps the table small without a job.
    await this.repo.delete({ userId, expiresAt: LessThan(new Date()) });
    return { token, expiresAt };
  }

  async resolve(token: string): Promise<ResolvedSession | null> {
    if (token.length === 0 || token.length > 128) return null;
    const tokenHash = hashToken(token);
    const row = await this.services.dataSource
      .getRepository(SessionEntity)
      .createQueryBuilder('s')
      .innerJoinAndMapOne('s.user', UserEntity, 'u', 'u.id = s.user_id')
      .where('s.token_hash = :tokenHash', { tokenHash })
      .andWhere('s.expires_at > now()')
      .getOne();
    if (!row?.user) return null;
    const { id, email, role, locale } = row.user;
    return { user: { id, email, role, locale }, tokenHash };
  }

  async revoke(tokenHash: string): Promise<void> {
    await this.repo.delete({ tokenHash });
  }

  /**
   * Ends every session of a user, except `keep` (a session's hash: the caller's own) when given; inside
   * `manager`'s transaction when given, so the sessions end only if the change that ends them commits.
   * Returns how many ended.
   */
  async revokeAllOf(
    userId: string,
    options: { keep?: string; manager?: EntityManager } = {},
  ): Promise<number> {
    const repo = (options.manager ?? this.services.dataSource.manager).getRepository(SessionEntity);
    const ended = await repo.delete(
      options.keep === undefined ? { userId } : { userId, tokenHash: Not(options.keep) },
    );
    return ended.affected ?? 0;
  }
}
