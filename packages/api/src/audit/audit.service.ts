import type { EntityManager } from 'typeorm';
import type { Auth } from '../context';
import { cursorPage, type CursorPage } from '../database/cursor-page';
import { AuditEntryEntity } from '../entities/audit-entry.entity';
import { BadUserInputError } from '../errors';
import type { ServiceContainer } from '../service-container';

/** Who made a change, as the audit log records it. */
export type Actor =
  | { kind: 'user'; id: string; email: string }
  | { kind: 'apiToken'; id: string; name: string }
  | { kind: 'system' }
  /** The server's own command line (reset-admin), run by whoever operates the installation. */
  | { kind: 'commandLine' };

export interface AuditRecord {
  /** The request's auth (or an explicit actor for changes the server makes by itself). */
  actor: Auth | Actor;
  /** What happened, e.g. `provider.update`. */
  action: string;
  /** The kind of thing changed, e.g. `provider`. */
  entityType: string;
  entityId: string | null;
  /** NAMES of the fields that changed, e.g. ['host', 'password']; never their values. */
  fields: readonly string[];
}

export type AuditPage = CursorPage<AuditEntryEntity>;

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_.]{0,63}$/;
const ACTION = /^[a-z][a-zA-Z0-9_.-]{0,63}$/;

export function actorOf(who: Auth | Actor): Actor {
  switch (who.kind) {
    case 'session':
      return { kind: 'user', id: who.user.id, email: who.user.email };
    case 'token':
      return { kind: 'apiToken', id: who.token.id, name: who.token.name };
    case 'anonymous':
      return { kind: 'system' };
    default:
      return who;
  }
}

function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return `user:${actor.email}`;
    case 'apiToken':
      return `token:${actor.name}`;
    case 'system':
      return 'system';
    case 'commandLine':
      return 'cli';
  }
}

/** Cursor = the entry id, opaque to clients. */
export function encodeAuditCursor(id: string): string {
  return Buffer.from(`audit:${id}`).toString('base64url');
}

export function decodeAuditCursor(cursor: string): string | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^audit:(\d{1,19})$/.exec(text);
  return match?.[1];
}

/**
 * The audit log: append-only, newest first when read. `record` takes field names only and refuses
 * anything that does not look like a name, so a value (a password) cannot slip in by mistake.
 */
export class AuditService {
  constructor(private readonly services: ServiceContainer) {}

  /** Writes one entry; pass the transaction's manager so the entry commits or rolls back with the change. */
  async record(entry: AuditRecord, manager?: EntityManager): Promise<AuditEntryEntity> {
    if (!ACTION.test(entry.action)) throw new Error(`Audit action "${entry.action}" is not a valid name.`);
    for (const field of entry.fields) {
      if (!FIELD_NAME.test(field)) throw new Error('Audit fields must be field names, not values.');
    }
    const actor = actorOf(entry.actor);
    const repo = (manager ?? this.services.dataSource.manager).getRepository(AuditEntryEntity);
    return repo.save(
      repo.create({
        actor: actorLabel(actor),
        actorUserId: actor.kind === 'user' ? actor.id : null,
        actorTokenId: actor.kind === 'apiToken' ? actor.id : null,
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId,
        fields: [...new Set(entry.fields)],
      }),
    );
  }

  /** Newest first; `after` is the cursor of the last entry of the previous page. */
  async list(options: {
    first: number;
    after?: string | null;
    entityId?: string | null;
  }): Promise<AuditPage> {
    const repo = this.services.dataSource.getRepository(AuditEntryEntity);
    const base = repo.createQueryBuilder('a');
    if (options.entityId) base.where('a.entity_id = :entityId', { entityId: options.entityId });
    const totalCount = await base.clone().getCount();
    const page = base.clone();
    if (options.after) {
      const afterId = decodeAuditCursor(options.after);
      if (afterId === undefined) {
        throw new BadUserInputError([
          { field: 'after', message: 'This cursor is not valid; pass the endCursor of a previous page.' },
        ]);
      }
      page.andWhere('a.id < :afterId', { afterId });
    }
    const rows = await page
      .orderBy('a.id', 'DESC')
      .take(options.first + 1)
      .getMany();
    return cursorPage(rows, {
      first: options.first,
      totalCount,
      toNode: (entry) => entry,
      cursorOf: (entry) => encodeAuditCursor(entry.id),
    });
  }
}
