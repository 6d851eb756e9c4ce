import type { SetupWarning } from '../../src/graphql/types';
import type { ChannelWarning } from '../../src/lib/chain';
import { summariseWarnings, warningText } from '../../src/lib/warning-summary';

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

describe('warningText', () => {
  const WHEN = '2026-01-01T10:00:00.000Z';
  const health = (state: 'CLOSED' | 'OPEN' | 'HALF_OPEN', openUntil: string | null = null) => ({
    state,
    consecutiveFailures: 0,
    lastFailureAt: null,
    lastFailure: null,
    openUntil,
    cooldownUntil: WHEN,
  });
  const providers = [
    { id: 'z', name: 'zepto', lastTestEmail: null, health: health('OPEN', WHEN) },
    { id: 's', name: 'sendgrid', lastTestEmail: { ok: false } as never, health: health('HALF_OPEN') },
    { id: 'o', name: 'office', lastTestEmail: null, health: health('OPEN') },
  ];
  const chain = [
    { name: 'zepto', host: 'smtp.example.com', channel: 'DEFAULT' as const, serviceType: 'PRIMARY' as const },
    {
      name: 'office',
      host: 'smtp.example.com',
      channel: 'DEFAULT' as const,
      serviceType: 'PRIMARY' as const,
    },
    {
      name: 'sendgrid',
      host: 'smtp.example.com',
      channel: 'DEFAULT' as const,
      serviceType: 'FALLBACK' as const,
    },
  ];
  const at = (
    code: string,
    severity: string,
    channel: 'DEFAULT' | 'CRM' = 'DEFAULT',
    providerId: string | null = null,
  ) => ({ code, severity, channel, providerId, message: 'API text' }) satisfies ChannelWarning;

  it.each([
    [at('NO_ACTIVE_PRIMARY', 'ERROR'), { key: 'nothingActive', params: { channel: 'DEFAULT' } }],
    [at('NO_ACTIVE_PRIMARY', 'WARNING'), { key: 'noPrimary', params: { channel: 'DEFAULT' } }],
    [at('NO_ACTIVE_PRIMARY', 'INFO', 'CRM'), { key: 'noCrmPrimary', params: { channel: 'CRM' } }],
    [at('NO_ACTIVE_FALLBACK', 'WARNING'), { key: 'noFallback', params: { channel: 'DEFAULT' } }],
    [at('NO_ACTIVE_FALLBACK', 'INFO'), { key: 'noFallbackButOthers', params: { channel: 'DEFAULT' } }],
    [at('NO_ACTIVE_FALLBACK', 'INFO', 'CRM'), { key: 'noCrmFallback', params: {} }],
    [at('SINGLE_HOST', 'WARNING'), { key: 'singleHost', params: { host: 'smtp.example.com' } }],
    [
      at('SEVERAL_PRIMARIES', 'INFO'),
      { key: 'severalPrimaries', params: { names: 'zepto, office', first: 'zepto' } },
    ],
    [
      at('NOT_TESTED_SINCE_CHANGE', 'WARNING', 'DEFAULT', 'z'),
      { key: 'notTested', params: { name: 'zepto' } },
    ],
    [
      at('NOT_TESTED_SINCE_CHANGE', 'WARNING', 'DEFAULT', 's'),
      { key: 'lastTestFailed', params: { name: 'sendgrid' } },
    ],
    [
      at('FALLBACK_BEFORE_PRIMARY', 'WARNING', 'DEFAULT', 's'),
      { key: 'fallbackFirst', params: { name: 'sendgrid' } },
    ],
    [
      at('CIRCUIT_OPEN', 'WARNING', 'DEFAULT', 'z'),
      { key: 'circuitOpenUntil', params: { name: 'zepto', until: `at ${WHEN}` } },
    ],
    [at('CIRCUIT_OPEN', 'WARNING', 'DEFAULT', 'o'), { key: 'circuitOpen', params: { name: 'office' } }],
    [at('CIRCUIT_OPEN', 'WARNING', 'DEFAULT', 's'), { key: 'circuitProbing', params: { name: 'sendgrid' } }],
    [
      at('COOLING_DOWN', 'WARNING', 'DEFAULT', 'z'),
      { key: 'coolingDown', params: { name: 'zepto', until: `at ${WHEN}` } },
    ],
    // The API's words where the panel has none: an unknown code, or a provider the list does not have.
    [at('SOMETHING_NEW', 'WARNING'), null],
    [at('NOT_TESTED_SINCE_CHANGE', 'WARNING', 'DEFAULT', 'gone'), null],
  ])('%j', (warning, expected) => {
    expect(warningText(warning, providers, chain, (iso) => `at ${iso}`)).toEqual(expected);
  });
});
