import type { Channel } from '@mail-providers/mailer-core';
import type { EntityManager } from 'typeorm';
import { isAddrSpec } from '@mail-providers/mailer-core/rules';
import { actorOf, AuditService } from '../audit/audit.service';
import type { Auth } from '../context';
import { cursorPage, type CursorPage } from '../database/cursor-page';
import { containsPattern } from '../database/like-pattern';
import { BadUserInputError, type FieldError } from '../errors';
import { dataSourceExecutor, managerExecutor, type SqlExecutor } from '../queue/sql-executor';
import type { ServiceContainer } from '../service-container';
import {
  formatSuppressionCsv,
  MAX_REASON_LENGTH,
  parseSuppressionCsv,
  type SuppressionCsvError,
} from './suppression-csv';
import { normaliseSuppressedEmail, type SuppressionScope, type SuppressionSource } from './suppression-store';

/** An entry of the suppression list as the API shows it. */
export interface SuppressionView {
  email: string;
  scope: SuppressionScope;
  source: SuppressionSource;
  reason: string | null;
  /** The delivery whose bounce or complaint caused the entry, while its event is kept. */
  deliveryId: string | null;
  createdBy: string | null;
  createdAt: Date;
}

export interface SuppressionImportResult {
  added: number;
  alreadyListed: number;
  errors: SuppressionCsvError[];
}

/** An entry as read, with created_at at full precision for the cursor. */
type SuppressionRow = SuppressionView & { createdText: string };

const COLUMNS = `s.email, s.scope, s.source, s.reason, e.delivery_id AS "deliveryId", s.created_by AS "createdBy",
  s.created_at AS "createdAt", s.created_at::text AS "createdText"`;
const FROM = `suppressions s LEFT JOIN events e ON e.id = s.source_event_id`;

/**
 * The suppression list: addresses no mail goes to, for all mail or one channel's. Bounces and complaints
 * add entries by themselves (in the transaction of their event); admins list, add, remove, import and
 * export them here, and each change is audited (an address is not a secret, so the entry names it).
 */
export class SuppressionService {
  private readonly sql: SqlExecutor;

  constructor(private readonly services: ServiceContainer) {
    this.sql = dataSourceExecutor(services.dataSource);
  }

  /** Entries, newest first; `search` matches any part of the address, case-insensitively. */
  async list(filter: {
    first: number;
    after?: string | null;
    search?: string | null;
  }): Promise<CursorPage<SuppressionView>> {
    const where: string[] = [];
    const values: unknown[] = [];
    const search = filter.search?.trim();
    if (search) {
      values.push(containsPattern(search));
      where.push(`s.email LIKE $${values.length}`);
    }
    const whereSql = () => (where.length > 0 ? `WHERE ${where.join(' AND ')}` : '');
    const { rows: counted } = await this.sql.executeSql<{ count: number }>(
      `SELECT count(*)::int AS count FROM suppressions s ${whereSql()}`,
      values,
    );
    const after = decodeCursor(filter.after);
    if (after) {
      values.push(after.createdAt, after.email, after.scope);
      const n = values.length;
      where.push(`(s.created_at, s.email, s.scope) < ($${n - 2}::timestamptz, $${n - 1}, $${n})`);
    }
    values.push(filter.first + 1);
    const { rows } = await this.sql.executeSql<SuppressionRow>(
      `SELECT ${COLUMNS} FROM ${FROM} ${whereSql()}
       ORDER BY s.created_at DESC, s.email DESC, s.scope DESC LIMIT $${values.length}`,
      values,
    );
    return cursorPage(rows, {
      first: filter.first,
      totalCount: counted[0]?.count ?? 0,
      toNode: toView,
      cursorOf: (row) => encodeCursor(row),
    });
  }

  /** The entries that stop mail of `channel` to `email` (for all mail, or for that channel), newest first. */
  async blocking(email: string, channel: Channel): Promise<SuppressionView[]> {
    const { rows } = await this.sql.executeSql<SuppressionRow>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE s.email = $1 AND s.scope IN ('ALL', $2) ORDER BY s.created_at DESC`,
      [normaliseSuppressedEmail(email), channel],
    );
    return rows.map(toView);
  }

  /**
   * Adds an entry by hand (MANUAL). An address already listed for the same scope keeps its entry, which
   * is returned as it is: adding is idempotent, and only a new entry is audited.
   */
  async add(
    input: { email: string; reason: string | null; channel: Channel | null },
    auth: Auth,
  ): Promise<SuppressionView> {
    const email = input.email.trim();
    const reason = input.reason?.trim() || null;
    const problems: FieldError[] = [];
    if (!isAddrSpec(email)) {
      problems.push({ field: 'email', message: 'Enter one plain address such as name@example.com.' });
    }
    if (reason !== null && reason.length > MAX_REASON_LENGTH) {
      problems.push({
        field: 'reason',
        message: `Shorten the reason to at most ${MAX_REASON_LENGTH} characters.`,
      });
    }
    if (problems.length > 0) throw new BadUserInputError(problems);
    const scope: SuppressionScope = input.channel ?? 'ALL';
    const key = normaliseSuppressedEmail(email);
    return this.services.dataSource.transaction(async (manager) => {
      const sql = managerExecutor(manager);
      const { rows: added } = await sql.executeSql<{ email: string }>(
        `INSERT INTO suppressions (email, scope, source, reason, created_by) VALUES ($1, $2, 'MANUAL', $3, $4)
         ON CONFLICT (email, scope) DO NOTHING RETURNING email`,
        [key, scope, reason, createdByOf(auth)],
      );
      if (added.length > 0) {
        await this.audit(manager, auth, 'suppression.add', key, ['email', 'channel', 'reason']);
      }
      const { rows } = await sql.executeSql<SuppressionRow>(
        `SELECT ${COLUMNS} FROM ${FROM} WHERE s.email = $1 AND s.scope = $2`,
        [key, scope],
      );
      const row = rows[0];
      if (!row) throw new Error('A suppression entry was written but could not be read back.');
      return toView(row);
    });
  }

  /**
   * Removes the entries of an address: the one for `channel` (null: for all mail) or, with `channel`
   * undefined, every entry of the address. Returns how many were removed; a removal is audited.
   */
  async remove(email: string, channel: Channel | 'ALL' | undefined, auth: Auth): Promise<number> {
    const key = normaliseSuppressedEmail(email);
    if (key === '')
      throw new BadUserInputError([{ field: 'email', message: 'Enter the address to remove.' }]);
    return this.services.dataSource.transaction(async (manager) => {
      const { rowCount } = await managerExecutor(manager).executeSql(
        `DELETE FROM suppressions WHERE email = $1 AND ($2::text IS NULL OR scope = $2)`,
        [key, channel ?? null],
      );
      if (rowCount > 0) {
        await this.audit(
          manager,
          auth,
          'suppression.remove',
          key,
          channel === undefined ? ['email'] : ['email', 'channel'],
        );
      }
      return rowCount;
    });
  }

  /**
   * Imports CSV in the export's columns. Good lines are added (an address already listed for the same scope
   * keeps its entry and counts as already listed), bad lines are reported with their number; one audit
   * entry says that an import added entries.
   */
  async importCsv(csv: string, auth: Auth): Promise<SuppressionImportResult> {
    const { entries, errors } = parseSuppressionCsv(csv);
    if (entries.length === 0) return { added: 0, alreadyListed: 0, errors };
    const createdBy = createdByOf(auth);
    const added = await this.services.dataSource.transaction(async (manager) => {
      const { rowCount } = await managerExecutor(manager).executeSql(
        `INSERT INTO suppressions (email, scope, source, reason, created_by, created_at)
         SELECT DISTINCT ON (x.email, x.scope) x.email, x.scope, x.source, x.reason, $2, coalesce(x.created_at, now())
         FROM jsonb_to_recordset($1::jsonb) AS x(email text, scope text, source text, reason text,
           created_at timestamptz, line int)
         ORDER BY x.email, x.scope, x.line
         ON CONFLICT (email, scope) DO NOTHING`,
        [
          JSON.stringify(
            entries.map((entry) => ({
              email: entry.email,
              scope: entry.scope,
              source: entry.source,
              reason: entry.reason,
              created_at: entry.createdAt?.toISOString() ?? null,
              line: entry.line,
            })),
          ),
          createdBy,
        ],
      );
      if (rowCount > 0) {
        await this.audit(manager, auth, 'suppression.import', null, ['entries']);
      }
      return rowCount;
    });
    return { added, alreadyListed: entries.length - added, errors };
  }

  /** Records a change in the audit log, in the change's transaction; the address is the entity's id. */
  private async audit(
    manager: EntityManager,
    auth: Auth,
    action: string,
    email: string | null,
    fields: string[],
  ): Promise<void> {
    await this.services
      .get(AuditService)
      .record({ actor: auth, action, entityType: 'suppression', entityId: email, fields }, manager);
  }

  /** The whole list as CSV (header line first), newest first. */
  async exportCsv(): Promise<string> {
    const { rows } = await this.sql.executeSql<SuppressionRow>(
      `SELECT ${COLUMNS} FROM ${FROM} ORDER BY s.created_at DESC, s.email DESC, s.scope DESC`,
    );
    return formatSuppressionCsv(rows);
  }
}

/** Who added an entry: the user's email, or the API token's name. */
function createdByOf(auth: Auth): string | null {
  const actor = actorOf(auth);
  if (actor.kind === 'user') return actor.email;
  if (actor.kind === 'apiToken') return `token:${actor.name}`;
  return null;
}

function toView({ createdText: _cursor, ...view }: SuppressionRow): SuppressionView {
  return view;
}

/** created_at as PostgreSQL writes it as text, which the cursor carries back. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;

function encodeCursor(row: SuppressionRow): string {
  return Buffer.from(JSON.stringify([row.createdText, row.email, row.scope])).toString('base64url');
}

function decodeCursor(
  cursor: string | null | undefined,
): { createdAt: string; email: string; scope: string } | null {
  if (!cursor) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  if (
    Array.isArray(decoded) &&
    decoded.length === 3 &&
    decoded.every((part) => typeof part === 'string') &&
    TIMESTAMP.test(String(decoded[0]))
  ) {
    const [createdAt, email, scope] = decoded.map(String);
    if (createdAt !== undefined && email !== undefined && scope !== undefined)
      return { createdAt, email, scope };
  }
  throw new BadUserInputError([
    { field: 'after', message: 'Use the endCursor of a previous page as "after".' },
  ]);
}
