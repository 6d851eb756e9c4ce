// Pure helpers for reordering the provider list; the page keeps the state and talks to the API.

/** A copy of `list` with the item at `from` moved to `to`; out-of-range moves return an unchanged copy. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  if (from === to || from < 0 || to < 0 || from >= next.length || to >= next.length) return next;
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

export function sameOrder(a: readonly { id: string }[], b: readonly { id: string }[]): boolean {
  return a.length === b.length && a.every((item, index) => item.id === b[index]?.id);
}

export function idsOf(list: readonly { id: string }[]): string[] {
  return list.map((item) => item.id);
}
