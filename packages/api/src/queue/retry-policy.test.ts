import { planRetry, retryDelayMs, type RetryPolicy } from './retry-policy';

const policy: RetryPolicy = { baseDelayMs: 30_000, maxDelayMs: 3_600_000, windowMs: 24 * 3_600_000 };
const accepted = new Date('2025-01-01T00:00:00Z');
const at = (ms: number) => new Date(accepted.getTime() + ms);

describe('retryDelayMs', () => {
  it.each([
    [1, 30_000],
    [2, 60_000],
    [3, 120_000],
    [7, 1_920_000],
    [8, 3_600_000],
    [40, 3_600_000],
    [5000, 3_600_000],
  ])('after %i failed round(s) waits %i ms', (rounds, expected) => {
    expect(retryDelayMs(rounds, policy)).toBe(expected);
  });
});

describe('planRetry', () => {
  it.each<[string, number, number, { retry: boolean; delayMs?: number }]>([
    ['first failure', 1, 0, { retry: true, delayMs: 30_000 }],
    ['third failure', 3, 200_000, { retry: true, delayMs: 120_000 }],
    ['capped wait', 12, 3_600_000, { retry: true, delayMs: 3_600_000 }],
    [
      'wait shortened to the end of the window',
      20,
      24 * 3_600_000 - 10_000,
      { retry: true, delayMs: 10_000 },
    ],
    ['the round at the end of the window is the last', 21, 24 * 3_600_000, { retry: false }],
    ['past the window', 22, 25 * 3_600_000, { retry: false }],
  ])('%s', (_name, rounds, elapsedMs, expected) => {
    const now = at(elapsedMs);
    const decision = planRetry(accepted, rounds, now, policy);
    expect(decision.retry).toBe(expected.retry);
    if (decision.retry && expected.retry) {
      expect(decision.delayMs).toBe(expected.delayMs);
      expect(decision.at.getTime()).toBe(now.getTime() + (expected.delayMs ?? 0));
    }
  });

  it('never schedules a round after the window and never gives up before it', () => {
    const short: RetryPolicy = { baseDelayMs: 1000, maxDelayMs: 7000, windowMs: 60_000 };
    let now = accepted;
    let rounds = 0;
    const starts: number[] = [];
    for (;;) {
      rounds++;
      starts.push(now.getTime() - accepted.getTime());
      const decision = planRetry(accepted, rounds, now, short);
      if (!decision.retry) break;
      now = decision.at;
    }
    expect(starts[starts.length - 1]).toBe(60_000);
    expect(starts.every((ms) => ms <= 60_000)).toBe(true);
    expect(starts.slice(0, 4)).toEqual([0, 1000, 3000, 7000]);
  });
});
