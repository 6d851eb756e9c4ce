import { createApiStatus } from '../../src/composables/useApiStatus';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

/** A probe whose answers the test decides: true for an answer, false for none. */
function scriptedProbe(answers: boolean[]) {
  const probe = jest.fn(async () => {
    if (!answers.shift()) throw new TypeError('Failed to fetch');
  });
  return probe;
}

async function advance(ms: number): Promise<void> {
  await jest.advanceTimersByTimeAsync(ms);
}

describe('waiting for the API', () => {
  it('tries again after 1, 2 and 4 s, and lets what waits go on once it answers', async () => {
    const probe = scriptedProbe([false, false, true]);
    const onRecovered = jest.fn();
    const status = createApiStatus({ probe, onRecovered });
    const start = Date.now();

    status.reportUnreachable();
    expect(status.reachable.value).toBe(false);
    expect(status.nextTryAt.value).toBe(start + 1000);
    let resumed = false;
    void status.whenReachable().then(() => (resumed = true));

    await advance(999);
    expect(probe).not.toHaveBeenCalled();
    await advance(1);
    expect(probe).toHaveBeenCalledTimes(1);
    expect(status.nextTryAt.value).toBe(start + 1000 + 2000);
    await advance(2000);
    expect(probe).toHaveBeenCalledTimes(2);
    expect(status.nextTryAt.value).toBe(start + 3000 + 4000);
    expect(resumed).toBe(false);

    await advance(4000);
    expect(probe).toHaveBeenCalledTimes(3);
    expect(status.reachable.value).toBe(true);
    expect(status.nextTryAt.value).toBeNull();
    expect(resumed).toBe(true);
    expect(onRecovered).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('tries at once on "Retry now", and starts again from 1 s the next time the API goes away', async () => {
    const probe = scriptedProbe([false, true]);
    const status = createApiStatus({ probe });
    status.reportUnreachable();
    status.retryNow();
    await advance(0);
    expect(probe).toHaveBeenCalledTimes(1);
    expect(status.nextTryAt.value).toBe(Date.now() + 2000);
    status.retryNow();
    await advance(0);
    expect(status.reachable.value).toBe(true);

    status.reportUnreachable();
    expect(status.nextTryAt.value).toBe(Date.now() + 1000);
  });

  it('goes on when another call gets an answer before the next try', async () => {
    const probe = scriptedProbe([]);
    const status = createApiStatus({ probe });
    status.reportUnreachable();
    const waiting = status.whenReachable();
    status.reportAnswered();
    await expect(waiting).resolves.toBeUndefined();
    expect(status.reachable.value).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
    expect(probe).not.toHaveBeenCalled();
  });

  it('does nothing while the API answers', async () => {
    const probe = scriptedProbe([]);
    const status = createApiStatus({ probe });
    status.retryNow();
    status.reportAnswered();
    await expect(status.whenReachable()).resolves.toBeUndefined();
    expect(probe).not.toHaveBeenCalled();
    expect(jest.getTimerCount()).toBe(0);
  });
});
