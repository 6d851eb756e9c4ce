import { isAddrSpec } from '@mail-providers/mailer-core/rules';
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import {
  normaliseSuppressedEmail,
  type NewSuppression,
  type SuppressionScope,
  type SuppressionSource,
} from './suppression-store';

/** The columns of the suppression list's CSV, in order; the export writes them as its header line. */
export const SUPPRESSION_CSV_COLUMNS = ['email', 'channel', 'source', 'reason', 'created_at'] as const;
type Column = (typeof SUPPRESSION_CSV_COLUMNS)[number];

/** The most entries one import takes. */
export const MAX_IMPORT_LINES = 50_000;
/** The largest CSV text one import takes (the request body limit, BODY_LIMIT, may be lower). */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;
/** The longest reason kept with an entry. */
export const MAX_REASON_LENGTH = 500;

const SOURCES: readonly SuppressionSource[] = ['HARD_BOUNCE', 'COMPLAINT', 'MANUAL', 'IMPORT'];

/** An entry as the export writes it. */
export interface SuppressionCsvRow {
  email: string;
  scope: SuppressionScope;
  source: SuppressionSource;
  reason: string | null;
  createdAt: Date;
}

/** An entry read from a line of an import: the entry, and the time it keeps when the file gives one. */
export interface ImportedSuppression extends NewSuppression {
  createdAt: Date | null;
  line: number;
}

export interface SuppressionCsvError {
  line: number;
  message: string;
}

/**
 * The export: the header line, then one line per entry. `channel` is empty for an entry that applies to
 * all mail; `created_at` is an ISO 8601 time in UTC.
 */
export function formatSuppressionCsv(rows: readonly SuppressionCsvRow[]): string {
  return stringify(
    rows.map((row) => [
      row.email,
      row.scope === 'ALL' ? '' : row.scope,
      row.source,
      row.reason ?? '',
      row.createdAt.toISOString(),
    ]),
    { header: true, columns: [...SUPPRESSION_CSV_COLUMNS], record_delimiter: 'unix' },
  );
}

/**
 * Reads an import. A first line with a cell `email` is the header and names the columns (in any order,
 * unknown names refused); without it the columns are in the export's order.
 * Each line is checked on its own: a bad line is reported with its number and what to fix, and the good
 * lines are still taken. Only text that is not CSV at all (an unclosed quote) refuses the whole import.
 */
export function parseSuppressionCsv(text: string): {
  entries: ImportedSuppression[];
  errors: SuppressionCsvError[];
} {
  if (Buffer.byteLength(text, 'utf8') > MAX_IMPORT_BYTES) {
    return { entries: [], errors: [{ line: 0, message: tooLarge() }] };
  }
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // The line on which each record ends (a quoted cell may span lines), to name it in errors.
    const lines: number[] = [];
    const parsed = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      on_record: (record, context) => {
        lines.push(context.lines);
        return record;
      },
    });
    records = parsed.map((record, index) => ({ record, info: { lines: lines[index] ?? 0 } }));
  } catch (error) {
    const line = error instanceof CsvError && typeof error.lines === 'number' ? error.lines : 0;
    return {
      entries: [],
      errors: [
        {
          line,
          message: `This is not valid CSV (${error instanceof Error ? error.message : String(error)}); fix the quoting and import again.`,
        },
      ],
    };
  }
  const first = records[0];
  let columns: Column[] = [...SUPPRESSION_CSV_COLUMNS];
  if (first?.record.some((cell) => cell.trim().toLowerCase() === 'email')) {
    const named = first.record.map((name) => name.trim().toLowerCase());
    const unknown = named.filter((name) => !(SUPPRESSION_CSV_COLUMNS as readonly string[]).includes(name));
    if (unknown.length > 0) {
      return {
        entries: [],
        errors: [
          {
            line: first.info.lines,
            message: `Unknown column ${unknown.map((name) => `"${name}"`).join(', ')}; use only ${SUPPRESSION_CSV_COLUMNS.join(', ')}.`,
          },
        ],
      };
    }
    columns = named as Column[];
    records = records.slice(1);
  }
  if (records.length > MAX_IMPORT_LINES) {
    return { entries: [], errors: [{ line: 0, message: tooLarge() }] };
  }
  const entries: ImportedSuppression[] = [];
  const errors: SuppressionCsvError[] = [];
  for (const { record, info } of records) {
    const cells = new Map<Column, string>();
    columns.forEach((column, index) => cells.set(column, record[index]?.trim() ?? ''));
    const checked = checkLine(cells);
    if (typeof checked === 'string') errors.push({ line: info.lines, message: checked });
    else entries.push({ ...checked, line: info.lines });
  }
  return { entries, errors };
}

/** One line's entry, or what is wrong with it. */
function checkLine(cells: Map<Column, string>): Omit<ImportedSuppression, 'line'> | string {
  const email = cells.get('email') ?? '';
  if (email === '') return 'Give an email address in the first column.';
  if (!isAddrSpec(email)) return `"${email}" is not an email address; write it as name@example.com.`;
  const scope = scopeOf(cells.get('channel') ?? '');
  if (scope === null) return 'Leave channel empty (all mail) or write DEFAULT or CRM.';
  const sourceText = (cells.get('source') ?? '').toUpperCase();
  const source = sourceText === '' ? 'IMPORT' : SOURCES.find((known) => known === sourceText);
  if (source === undefined) return `Leave source empty or write one of ${SOURCES.join(', ')}.`;
  const reason = cells.get('reason') ?? '';
  if (reason.length > MAX_REASON_LENGTH)
    return `Shorten the reason to at most ${MAX_REASON_LENGTH} characters.`;
  const createdText = cells.get('created_at') ?? '';
  const createdAt = createdText === '' ? null : new Date(createdText);
  if (createdAt !== null && Number.isNaN(createdAt.getTime())) {
    return 'Leave created_at empty or write a time such as 2026-01-31T09:00:00Z.';
  }
  return {
    email: normaliseSuppressedEmail(email),
    scope,
    source,
    reason: reason === '' ? null : reason,
    createdAt,
  };
}

/** The scope a channel cell names: empty or ALL is all mail. */
export function scopeOf(channel: string): SuppressionScope | null {
  const upper = channel.trim().toUpperCase();
  if (upper === '' || upper === 'ALL') return 'ALL';
  if (upper === 'DEFAULT' || upper === 'CRM') return upper;
  return null;
}

function tooLarge(): string {
  return `Import at most ${MAX_IMPORT_LINES} lines (${MAX_IMPORT_BYTES / 1024 / 1024} MB) at a time; split the file.`;
}
