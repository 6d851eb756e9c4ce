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
