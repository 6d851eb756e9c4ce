// Whether the API can be reached. Once a call finds it unreachable, the panel tries again after 1, 2, 4 …
// up to 30 seconds (or at once on "Retry now"); what waits for it goes on as soon as it answers.

import { inject, readonly, ref, type InjectionKey, type Ref } from 'vue';
import { retryDelaySeconds } from '../lib/api-reachability';

export interface ApiStatus {
  /** False from the first unreachable call until a try gets an answer. */
  reachable: Readonly<Ref<boolean>>;
  /** When the next try starts (epoch ms), while unreachable. */
  nextTryAt: Readonly<Ref<number | null>>;
  /** A call could not reach the API: start trying again (a no-op while already trying). */
  reportUnreachable(): void;
  /** A call got an answer: whatever waits goes on. */
  reportAnswered(): void;
  /** Tries now instead of at nextTryAt. */
  retryNow(): void;
  /** Resolves once the API answers (at once while it is reachable). */
  whenReachable(): Promise<void>;
}

export const API_STATUS_KEY: InjectionKey<ApiStatus> = Symbol('api-status');

export interface ApiStatusSetup {
  /** One cheap call: resolves when the API answered, rejects when it could not be reached. */
  probe: () => Promise<void>;
  /** Called when the API answers again after being unreachable. */
  onRecovered?: () => void;
  now?: () => number;
}

export function createApiStatus(setup: ApiStatusSetup): ApiStatus {
  const now = setup.now ?? Date.now;
  const reachable = ref(true);
  const nextTryAt = ref<number | null>(null);
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let probing = false;
  let waiters: Array<() => void> = [];

  function schedule(): void {
    failures += 1;
    const delay = retryDelaySeconds(failures) * 1000;
    nextTryAt.value = now() + delay;
    clearTimeout(timer);
    timer = setTimeout(() => void tryNow(), delay);
  }

  function answered(): void {
    clearTimeout(timer);
    failures = 0;
    nextTryAt.value = null;
    if (reachable.value) return;
    reachable.value = true;
    const waiting = waiters;
    waiters = [];
    for (const resolve of waiting) resolve();
    setup.onRecovered?.();
  }

  async function tryNow(): Promise<void> {
    if (probing) return;
    probing = true;
    clearTimeout(timer);
    try {
      await setup.probe();
      answered();
    } catch {
      if (!reachable.value) schedule();
    } finally {
      probing = false;
    }
  }

  return {
    reachable: readonly(reachable),
    nextTryAt: readonly(nextTryAt),
    reportUnreachable() {
      if (!reachable.value) return;
      reachable.value = false;
      schedule();
    },
    reportAnswered() {
      if (!reachable.value && !probing) answered();
    },
    retryNow() {
      if (!reachable.value) void tryNow();
    },
    whenReachable() {
      if (reachable.value) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}

export function useApiStatus(): ApiStatus {
  const status = inject(API_STATUS_KEY);
  if (!status) throw new Error('useApiStatus() needs the API status provided by main.ts.');
  return status;
}
