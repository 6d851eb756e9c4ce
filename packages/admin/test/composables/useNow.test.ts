import { effectScope } from 'vue';
import { NOW_TICK_MS, useNow } from '../../src/composables/useNow';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('the ticking clock', () => {
  it('moves on every tick while a user lives, on one timer for all, and stops with the last', () => {
    const first = effectScope();
    const second = effectScope();
    const now = first.run(() => useNow());
    second.run(() => useNow());
    expect(jest.getTimerCount()).toBe(1);
    const before = now?.value ?? 0;
    jest.advanceTimersByTime(NOW_TICK_MS);
    expect(now?.value).toBe(before + NOW_TICK_MS);
    first.stop();
    expect(jest.getTimerCount()).toBe(1);
    second.stop();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('starts from the current time when a user comes back', () => {
    const scope = effectScope();
    scope.run(() => useNow());
    scope.stop();
    jest.advanceTimersByTime(5 * NOW_TICK_MS);
    const again = effectScope();
    expect(again.run(() => useNow())?.value).toBe(Date.now());
    again.stop();
  });

  it('starts no timer outside a component or effect scope', () => {
    useNow();
    expect(jest.getTimerCount()).toBe(0);
  });
});
