import { openMetricsWarning } from './metrics-access';

describe('openMetricsWarning', () => {
  it.each([
    ['production', undefined, true],
    ['production', 'a-token-of-16-chars', false],
    ['development', undefined, false],
    ['test', undefined, false],
  ])('NODE_ENV=%s, METRICS_TOKEN %s: warns %s', (nodeEnv, metricsToken, warns) => {
    expect(openMetricsWarning({ nodeEnv, metricsToken }) !== undefined).toBe(warns);
  });
});
