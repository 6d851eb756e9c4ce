// The provider order on screen: every move shows at once; saves follow, one per gesture (quick keyboard
// steps coalesce into one), one at a time, and a refused save puts back the order the API last accepted.

import { onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import { toApiProblem, type ApiProblem } from '../lib/api-error';
import { bySection, orderChange, sameOrder, type OrderChange, type Placed } from '../lib/reorder';

/** Keyboard steps this close together are saved as one change. */
export const COALESCE_MS = 600;

export function useReorder<P extends Placed>(
  source: Ref<readonly P[]>,
  commit: (change: OrderChange) => Promise<void>,
  delayMs: number = COALESCE_MS,
) {
  const order = shallowRef<P[]>(bySection(source.value));
  /** The order the API has. */
  let saved: P[] = order.value;
  /** A save is running, or moves wait for one. */
  const saving = ref(false);
  const problem = ref<ApiProblem | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;

  // Fresh data from the API wins, except while moves are unsaved (their save will bring fresher data).
  watch(source, (next) => {
    if (saving.value) return;
    order.value = bySection(next);
    saved = order.value;
  });

  async function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    // A running save loops until the API has what the screen shows.
    if (running) return;
    running = true;
    saving.value = true;
    try {
      while (!sameOrder(saved, order.value)) {
        const target = order.value;
        try {
          await commit(orderChange(saved, target));
          saved = target;
        } catch (error) {
          order.value = saved;
          problem.value = toApiProblem(error);
          break;
        }
      }
    } finally {
      running = false;
      saving.value = timer !== undefined;
    }
    // The API's own copy of the rows (fresh health, timestamps) once it says the same as the screen.
    const fresh = bySection(source.value);
    if (!saving.value && sameOrder(fresh, saved)) order.value = saved = fresh;
  }

  /** Shows `next` and saves it: at once (a drop), or after a short pause that lets keyboard steps coalesce. */
  function change(next: P[], when: 'now' | 'soon'): void {
    if (sameOrder(order.value, next)) return;
    order.value = next;
    problem.value = null;
    saving.value = true;
    clearTimeout(timer);
    timer = undefined;
    if (when === 'now') void flush();
    else timer = setTimeout(() => void flush(), delayMs);
  }

  onScopeDispose(() => {
    if (timer !== undefined) void flush();
  });

  return { order, saving, problem, change, flush };
}
