import { IsNull } from 'typeorm';
import { AuditService, type Actor } from '../audit/audit.service';
import type { Auth, AuthToken } from '../context';
import { API_TOKEN_SCOPES, ApiTokenEntity, type ApiTokenScope } from '../entities/api-token.entity';
import { BadUserInputError, NotFoundError, type FieldError } from '../errors';
import { isUuid } from '../database/ids';
import type { ServiceContainer } from '../service-container';
import { hashToken, randomToken } from './token-hash';

export const TOKEN_PREFIX = 'mpt_';
const PREFIX_SHOWN = TOKEN_PREFIX.length + 6;
/** Writing last_used_at on every request would turn each read into a write; once a minute is enough. */
const LAST_USED_RESOLUTION_MS = 60_000;
export interface CreatedApiToken {
  /** The token itself: returned once, never stored. */
  token: string;
  record: ApiTokenEntity;
}

function isScope(value: string): value is ApiTokenScope {
  return (API_TOKEN_SCOPES as readonly string[]).includes(value);
}

/**
 * API tokens for scripts: created by admins, stored as SHA-256, revocable. Every request reads its token's
 * row (by the indexed hash), so a revocation holds in every process the moment its transaction commits:
 * no process keeps a copy that another's revocation would have to reach.
 */
export class ApiTokenService {
  constructor(private readonly services: ServiceContainer) {}

  private get repo() {
    return this.services.dataSource.getRepository(ApiTokenEntity);
  }

  async create(name: string, scopes: readonly string[], actor: Auth | Actor): Promise<CreatedApiToken> {
    const trimmed = name.trim();
    const problems: FieldError[] = [];
    if (trimmed.length < 1 || trimmed.length > 64) {
      problems.push({
        field: 'name',
        message: 'Give the token a name of 1 to 64 characters, e.g. "cms-sender".',
      });
    } else if (/\p{Cc}/u.test(trimmed)) {
      problems.push({ field: 'name', message: 'Use a name without control characters or line breaks.' });
    }
    const unique = [...new Set(scopes)];
    if (unique.length === 0) {
      problems.push({ field: 'scopes', message: 'Choose at least one scope: SEND, READ or MANAGE.' });
    } else if (!unique.every(isScope)) {
      problems.push({ field: 'scopes', message: 'Scopes can only be SEND, READ and MANAGE.' });
    }
    if (problems.length > 0) throw new BadUserInputError(problems);

    const token = randomToken(TOKEN_PREFIX);
    const createdBy = actor.kind === 'session' ? actor.user.id : actor.kind === 'user' ? actor.id : null;
    const record = await this.services.dataSource.transaction(async (m) => {
      const repo = m.getRepository(ApiTokenEntity);
      const saved = await repo.save(
        repo.create({
          name: trimmed,
          tokenHash: hashToken(token),
          prefix: token.slice(0, PREFIX_SHOWN),
          scopes: unique.filter(isScope),
          createdBy,
          lastUsedAt: null,
          revokedAt: null,
        }),
      );
      await this.services.get(AuditService).record(
        {
          actor,
          action: 'api-token.create',
          entityType: 'apiToken',
          entityId: saved.id,
          fields: ['name', 'scopes'],
        },
        m,
      );
      return saved;
    });
    return { token, record };
  }

  list(): Promise<ApiTokenEntity[]> {
    return this.repo.find({ order: { createdAt: 'DESC' } });
  }

  async revoke(id: string, actor: Auth | Actor): Promise<ApiTokenEntity> {
    const revoked = await this.services.dataSource.transaction(async (m) => {
      const repo = m.getRepository(ApiTokenEntity);
      const token = isUuid(id) ? await repo.findOneBy({ id }) : null;
      if (!token) throw new NotFoundError('There is no API token with this id; reload the list.');
      if (token.revokedAt === null) {
        token.revokedAt = new Date();
        await repo.save(token);
        await this.services.get(AuditService).record(
          {
            actor,
            action: 'api-token.revoke',
            entityType: 'apiToken',
            entityId: id,
            fields: ['revokedAt'],
          },
          m,
        );
      }
      return token;
    });
    return revoked;
  }

  /** The live (not revoked) token matching a bearer value, or null. */
  async resolve(bearer: string): Promise<AuthToken | null> {
    if (!bearer.startsWith(TOKEN_PREFIX) || bearer.length > 128) return null;
    return this.lookUp(hashToken(bearer));
  }

  private async lookUp(tokenHash: string): Promise<AuthToken | null> {
    const now = Date.now();
    const row = await this.repo.findOneBy({ tokenHash, revokedAt: IsNull() });
    if (!row) return null;
    if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.repo.update({ id: row.id }, { lastUsedAt: new Date(now) });
    }
    return { id: row.id, name: row.name, scopes: row.scopes, createdBy: row.createdBy };
  }
}
