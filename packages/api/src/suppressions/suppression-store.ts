import type { Channel } from '@mail-providers/mailer-core';
import type { SqlExecutor } from '../queue/sql-executor';

/** Why an address is on the suppression list. */
export type SuppressionSource = 'HARD_BOUNCE' | 'COMPLAINT' | 'MANUAL' | 'IMPORT';

/** What mail an entry blocks: all of it, or one channel's. */
export type SuppressionScope = 'ALL' | Channel;

export interface NewSuppression {
  email: string;
  scope: SuppressionScope;
  source: SuppressionSource;
  /** In words: the vendor's diagnostic, or what the admin typed. */
  reason: string | null;
  /** The event that caused it (a bounce or a complaint). */
  sourceEventId?: string | null;
  /** The user who added it by hand or by import. */
  createdBy?: string | null;
}

/**
 * Where an entry applies by default: a hard bounce means the address does not exist, so no mail can reach
 * it; a complaint is about the mail of one channel (a newsletter from the CRM need not stop password resets).
 */
export function defaultScope(source: SuppressionSource, channel: Channel): SuppressionScope {
  return source === 'COMPLAINT' ? channel : 'ALL';
}

/** Addresses are compared without regard to case (what mail systems do in practice). */
export function normaliseSuppressedEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Adds entries; an address already suppressed for the same scope keeps its first entry. Returns how many
 * entries were new. Run it in the transaction of the event that causes it.
 */
export async function addSuppressions(sql: SqlExecutor, entries: NewSuppression[]): Promise<number> {
  if (entries.length === 0) return 0;
  const { rowCount } = await sql.executeSql(
    `INSERT INTO suppressions (email, scope, source, reason, source_event_id, created_by)
     SELECT x.email, x.scope, x.source, x.reason, x.source_event_id, x.created_by
     FROM jsonb_to_recordset($1::jsonb) AS x(email text, scope text, source text, reason text,
       source_event_id uuid, created_by text)
     ON CONFLICT (email, scope) DO NOTHING`,
    [
      JSON.stringify(
        entries.map((entry) => ({
          email: normaliseSuppressedEmail(entry.email),
          scope: entry.scope,
          source: entry.source,
          reason: entry.reason,
          source_event_id: entry.sourceEventId ?? null,
          created_by: entry.createdBy ?? null,
        })),
      ),
    ],
  );
  return rowCount;
}
