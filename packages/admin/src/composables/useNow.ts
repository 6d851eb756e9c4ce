// The current time as a ref that moves on by itself, for relative times ("3 minutes ago") and for states
// that end at a known time (a cooldown). One timer serves every component, and runs only while one is shown.

import { getCurrentScope, onScopeDispose, readonly, ref } from 'vue';

/** Often enough for "20 seconds ago" to stay roughly right; relative times past a minute change less often. */
export const NOW_TICK_MS = 10_000;

const now = ref(Date.now());
let users = 0;
let timer: ReturnType<typeof setInterval> | undefined;

function release(): void {
  users--;
  if (users === 0 && timer !== undefined) {
    clearInterval(timer);
    timer = undefined;
  }
}

/**
 * Epoch milliseconds, refreshed every NOW_TICK_MS while the calling component (or effect scope) lives;
 * called outside of one, the time does not move.
 */
export function useNow() {
  if (getCurrentScope()) {
    if (users === 0) {
      now.value = Date.now();
      timer = setInterval(() => {
        now.value = Date.now();
      }, NOW_TICK_MS);
    }
    users++;
    onScopeDispose(release);
  }
  return readonly(now);
}
