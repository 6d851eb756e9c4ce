import { BadUserInputError } from '../errors';
/** One page of a list, newest first, the way every connection of the API returns it. */
export interface CursorPage<T> {
  nodes: T[];
  totalCount: number;
  hasNextPage: boolean;
  /** The cursor of the last node, to pass as `after` for the next page; null on an empty page. */
  endCursor: string | null;
}

/**
 * The page from rows read with `LIMIT first + 1`: the extra row is not shown, it only says that
 * another page follows.
 */
export function cursorPage<Row, T>(
  rows: readonly Row[],
  options: {
    first: number;
    totalCount: number;
    toNode: (row: Row) => T;
    cursorOf: (row: Row) => string | null;
  },
): CursorPage<T> {
  const page = rows.slice(0, options.first);
  const last = page.at(-1);
  return {
    nodes: page.map(options.toNode),
    totalCount: options.totalCount,
    hasNextPage: rows.length > options.first,
    endCursor: last === undefined ? null : options.cursorOf(last),
  };
}

/**
 * A timestamp column as a cursor carries it (select it with the page's rows): UTC with microseconds, so no
 * page boundary falls between two rows of the same millisecond.
 */
export function cursorTimeSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** The patterns of the parts of a cursor's key. */
export const CURSOR_PART = {
  time: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/,
  uuid: /^[0-9a-f-]{36}$/i,
  seq: /^\d{1,19}$/,
  any: /^[^]{0,1000}$/,
} as const;

/** The `after` cursor of a page: the sort key of its last row, opaque to clients. */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * The sort key an `after` cursor from {@link encodeCursor} carries, each part checked against its pattern;
 * null without a cursor. A cursor this API did not hand out is a BAD_USER_INPUT on `after`.
 */
export function decodeCursor(cursor: string | null | undefined, parts: readonly RegExp[]): string[] | null {
  if (!cursor) return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = null;
  }
  if (
    Array.isArray(key) &&
    key.length === parts.length &&
    key.every((part, index) => typeof part === 'string' && parts[index]?.test(part))
  ) {
    return key as string[];
  }
  throw new BadUserInputError([
    { field: 'after', message: 'This cursor is not valid; pass the endCursor of a previous page.' },
  ]);
}
