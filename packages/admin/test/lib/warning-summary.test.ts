import type { SetupWarning } from '../../src/graphql/types';
import { summariseWarnings } from '../../src/lib/warning-summary';

const warning = (code: string, severity: string, providerId: string | null = null): SetupWarning => ({
  code,
  severity,
  providerId,
  message: `${code} ${providerId ?? ''}`,
});

describe('summariseWarnings', () => {
  it.each([
    ['nothing', [], []],
    [
      'one line per kind, most serious first, each as serious as its worst warning',
      [
        warning('NOT_TESTED_SINCE_CHANGE', 'WARNING', 'a'),
        warning('NO_ACTIVE_FALLBACK', 'INFO'),
        warning('NOT_TESTED_SINCE_CHANGE', 'WARNING', 'b'),
        warning('NO_ACTIVE_PRIMARY', 'ERROR'),
        warning('NOT_TESTED_SINCE_CHANGE', 'WARNING', 'a'),
        warning('NO_ACTIVE_PRIMARY', 'WARNING'),
      ],
      [
        ['NO_ACTIVE_PRIMARY', 'error', 2, []],
        ['NOT_TESTED_SINCE_CHANGE', 'warning', 3, ['a', 'b']],
        ['NO_ACTIVE_FALLBACK', 'info', 1, []],
      ],
    ],
  ])('%s', (_what, warnings, expected) => {
    expect(
      summariseWarnings(warnings).map((group) => [
        group.code,
        group.severity,
        group.warnings.length,
        group.providerIds,
      ]),
    ).toEqual(expected);
  });
});
