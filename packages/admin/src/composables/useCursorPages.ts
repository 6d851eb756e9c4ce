// Cursor paging over a GraphQL connection: forward with a page's end cursor, back by dropping it.

import { computed, ref, watch, type WatchSource } from 'vue';
import type { PageInfo } from '../graphql/types';

/**
 * The `after` cursor of the current page and its number; `next` takes the current page's info from the
 * query that `after` feeds. A change of any of `resetOn` (filters, page size) goes back to the first page.
 */
export function useCursorPages(resetOn: WatchSource[]) {
  /** Cursor before each page seen so far; the last one is the current page's. */
  const cursors = ref<Array<string | null>>([null]);
  const after = computed(() => cursors.value[cursors.value.length - 1] ?? null);
  const page = computed(() => cursors.value.length);

  watch(resetOn, () => {
    cursors.value = [null];
  });

  function next(pageInfo: PageInfo | undefined): void {
    const cursor = pageInfo?.endCursor;
    if (pageInfo?.hasNextPage && cursor) cursors.value = [...cursors.value, cursor];
  }

  function previous(): void {
    if (cursors.value.length > 1) cursors.value = cursors.value.slice(0, -1);
  }

  return { after, page, next, previous };
}
