// The provider order on screen: moved at once, saved through the API, and put back when refused.

import { ref, shallowRef, watch, type Ref } from 'vue';
import { toApiProblem, type ApiProblem } from '../lib/api-error';
import { idsOf, moveItem, sameOrder } from '../lib/reorder';

export interface ReorderEvent<T> {
  item: T;
  /** 1-based position after the move. */
  position: number;
}

export function useReorder<T extends { id: string }>(
  source: Ref<readonly T[]>,
  commit: (ids: string[]) => Promise<void>,
  onMoved?: (event: ReorderEvent<T>) => void,
) {
  const order = shallowRef<T[]>([...source.value]);
  const saving = ref(false);
  const problem = ref<ApiProblem | null>(null);

  // Fresh data from the API wins, except while a save is in flight (its answer will be fresher).
  watch(source, (next) => {
    if (!saving.value) order.value = [...next];
  });

  async function apply(previous: T[], next: T[], item: T | undefined): Promise<boolean> {
    if (sameOrder(previous, next)) return true;
    order.value = next;
    problem.value = null;
    saving.value = true;
    if (item !== undefined) onMoved?.({ item, position: next.indexOf(item) + 1 });
    try {
      await commit(idsOf(next));
      return true;
    } catch (error) {
      order.value = previous;
      problem.value = toApiProblem(error);
      return false;
    } finally {
      saving.value = false;
    }
  }

  /** The keyboard way: one step up (-1) or down (+1). */
  function move(index: number, delta: -1 | 1): Promise<boolean> {
    if (saving.value) return Promise.resolve(false);
    const previous = [...order.value];
    return apply(previous, moveItem(previous, index, index + delta), previous[index]);
  }

  /** The pointer way: the drag-and-drop library already moved the row from `from` to `to`. */
  function dropped(from: number, to: number): Promise<boolean> {
    const next = [...order.value];
    const previous = moveItem(next, to, from);
    return apply(previous, next, next[to]);
  }

  return { order, saving, problem, move, dropped };
}
