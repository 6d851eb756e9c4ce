import type { LoginLimits } from '../config';
import { blockSecondsAfter } from './login-guard';

const DEFAULTS: LoginLimits = {
  failuresBeforeBlock: 5,
  blockSeconds: 60,
  maxBlockSeconds: 900,
  ipFailuresPerDay: 100,
};

describe('blockSecondsAfter', () => {
  it.each([
    [0, 0],
    [1, 0],
    [4, 0],
    [5, 60],
    [6, 120],
    [7, 240],
    [8, 480],
    [9, 900],
    [10, 900],
    [1000, 900],
  ])('makes a pair wait, after %i failures in a row, %i seconds (defaults)', (failures, seconds) => {
    expect(blockSecondsAfter(failures, DEFAULTS)).toBe(seconds);
  });

  it.each([
    [{ failuresBeforeBlock: 1, blockSeconds: 1, maxBlockSeconds: 4 }, [1, 2, 4, 4]],
    [{ failuresBeforeBlock: 3, blockSeconds: 10, maxBlockSeconds: 10 }, [0, 0, 10, 10]],
    [{ failuresBeforeBlock: 2, blockSeconds: 30, maxBlockSeconds: 100 }, [0, 30, 60, 100]],
  ])('follows the configured limits %j for failures 1 to 4', (limits, seconds) => {
    const configured = { ...DEFAULTS, ...limits };
    expect([1, 2, 3, 4].map((failures) => blockSecondsAfter(failures, configured))).toEqual(seconds);
  });
});
