import { nextAttemptAt } from './webhook-retry';

const HOUR = 3_600_000;
const schedule = { baseMs: 10_000, windowMs: 24 * HOUR };
const created = new Date('2026-01-01T00:00:00Z');

describe('the webhook retry schedule', () => {
  it.each([
    [1, 0, 10_000],
    [2, 0, 60_000],
    [3, 0, 5 * 60_000],
    [4, 0, 30 * 60_000],
    [5, 0, HOUR],
    [6, 0, 2 * HOUR],
    [7, 0, 2 * HOUR],
    [40, 10 * HOUR, 2 * HOUR],
    [0, 0, 10_000],
  ])('after %i failures, %i ms after queueing: waits %i ms', (attempts, elapsed, wait) => {
    const now = new Date(created.getTime() + elapsed);
    expect(nextAttemptAt(attempts, created, now, schedule)?.getTime()).toBe(now.getTime() + wait);
  });

  it.each([
    [7, 23 * HOUR],
    [1, 24 * HOUR],
  ])('after %i failures, %i ms after queueing: past the window, gives up', (attempts, elapsed) => {
    expect(nextAttemptAt(attempts, created, new Date(created.getTime() + elapsed), schedule)).toBeNull();
  });
});
