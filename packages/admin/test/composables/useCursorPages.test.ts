import { nextTick, ref } from 'vue';
import { useCursorPages } from '../../src/composables/useCursorPages';

const more = (endCursor: string | null) => ({ hasNextPage: true, endCursor });
const last = { hasNextPage: false, endCursor: 'z' };

describe('cursor paging', () => {
  it('moves forward with each page’s end cursor and back the same way', () => {
    const { after, page, next, previous } = useCursorPages([]);
    expect([page.value, after.value]).toEqual([1, null]);
    next(more('a'));
    next(more('b'));
    expect([page.value, after.value]).toEqual([3, 'b']);
    previous();
    expect([page.value, after.value]).toEqual([2, 'a']);
    previous();
    previous();
    expect([page.value, after.value]).toEqual([1, null]);
  });

  it.each([
    ['the last page', last],
    ['a page without an end cursor', more(null)],
    ['a page not loaded yet', undefined],
  ])('stays put after %s', (_case, pageInfo) => {
    const { after, page, next } = useCursorPages([]);
    next(more('a'));
    next(pageInfo);
    expect([page.value, after.value]).toEqual([2, 'a']);
  });

  it('goes back to the first page when a filter changes', async () => {
    const filter = ref('');
    const { after, page, next } = useCursorPages([filter]);
    next(more('a'));
    filter.value = 'provider-1';
    await nextTick();
    expect([page.value, after.value]).toEqual([1, null]);
  });
});
