import {
  buildChain,
  describeHealth,
  initialHealthRecord,
  type Channel,
  type Failure,
  type HealthRecord,
  type ProviderHealth,
} from '@mail-providers/mailer-core';
import { setupWarnings, type WarningProvider } from './chain-warnings';

const NOW = Date.parse('2026-01-10T12:00:00Z');
const CHANGED = new Date(NOW - 3_600_000);

interface Spec {
  type?: WarningProvider['type'];
  serviceType?: WarningProvider['serviceType'];
  status?: WarningProvider['status'];
  host?: string;
  /** 'ok' (tested after the last change), 'stale' (before it), 'failed', or never. */
  tested?: 'ok' | 'stale' | 'failed';
}

function providers(specs: Record<string, Spec>): WarningProvider[] {
  return Object.entries(specs).map(([name, spec], index) => ({
    id: `id-${name}`,
    name,
    type: spec.type ?? 'smtp',
    host: spec.host ?? `${name}.example.com`,
    serviceType: spec.serviceType ?? 'primary',
    status: spec.status ?? 'active',
    priority: index + 1,
    settingsChangedAt: CHANGED,
    lastTestEmail:
      spec.tested === undefined
        ? null
        : {
            ok: spec.tested !== 'failed',
            providerId: `id-${name}`,
            channel: null,
            deliveredBy: spec.tested === 'failed' ? null : `id-${name}`,
            messageId: '<m@example.com>',
            attempts: [],
            failure: null,
            sentAt: new Date(spec.tested === 'stale' ? CHANGED.getTime() - 1000 : CHANGED.getTime() + 1000),
          },
  }));
}

const AUTH_FAILURE: Failure = {
  category: 'AUTH',
  fallback: true,
  countsAgainstHealth: true,
  retryable: true,
  message: '535 5.7.8 authentication failed',
  hint: { en: 'Check Username and Password.', tr: 'Kullanıcı adını ve parolayı kontrol edin.' },
};

function health(records: Record<string, Partial<HealthRecord>>): Map<string, ProviderHealth> {
  return new Map(
    Object.entries(records).map(([name, record]) => [
      `id-${name}`,
      describeHealth(`id-${name}`, { ...initialHealthRecord(), ...record }, NOW),
    ]),
  );
}

const open = {
  state: 'OPEN' as const,
  openUntil: NOW + 30_000,
  openMs: 30_000,
  lastFailure: AUTH_FAILURE,
  lastFailureAt: NOW,
};

/** Each setup and the warnings it must raise: [code, severity, provider it is about]. */
const CASES: Array<{
  case: string;
  channel?: Channel;
  specs: Record<string, Spec>;
  health?: Record<string, Partial<HealthRecord>>;
  expected: Array<[string, string, string | null]>;
}> = [
  {
    case: 'nothing active',
    specs: { a: { status: 'inactive', tested: 'ok' } },
    expected: [['NO_ACTIVE_PRIMARY', 'error', null]],
  },
  {
    case: 'a healthy primary and fallback on two hosts',
    specs: { a: { tested: 'ok' }, b: { serviceType: 'fallback', tested: 'ok' } },
    expected: [],
  },
  {
    case: 'one active provider',
    specs: { a: { tested: 'ok' } },
    expected: [['NO_ACTIVE_FALLBACK', 'warning', null]],
  },
  {
    case: 'only fallbacks active',
    specs: { a: { serviceType: 'fallback', tested: 'ok' }, b: { serviceType: 'fallback', tested: 'ok' } },
    expected: [['NO_ACTIVE_PRIMARY', 'warning', null]],
  },
  {
    case: 'two primaries and no fallback',
    specs: { a: { tested: 'ok' }, b: { tested: 'ok' } },
    expected: [
      ['NO_ACTIVE_FALLBACK', 'info', null],
      ['SEVERAL_PRIMARIES', 'info', null],
    ],
  },
  {
    case: 'a fallback ordered before the primary',
    specs: { b: { serviceType: 'fallback', tested: 'ok' }, a: { tested: 'ok' } },
    expected: [['FALLBACK_BEFORE_PRIMARY', 'warning', 'b']],
  },
  {
    case: 'an inactive primary after the fallback does not count',
    specs: { a: { tested: 'ok' }, b: { serviceType: 'fallback', tested: 'ok' }, c: { status: 'inactive' } },
    expected: [],
  },
  {
    case: 'every active provider on one host',
    specs: {
      a: { host: 'smtp.example.com', tested: 'ok' },
      b: { host: 'SMTP.example.com', serviceType: 'fallback', tested: 'ok' },
    },
    expected: [['SINGLE_HOST', 'warning', null]],
  },
  {
    case: 'providers never tested, tested before their last change, or whose test failed',
    specs: {
      a: {},
      b: { serviceType: 'fallback', tested: 'stale' },
      c: { serviceType: 'fallback', tested: 'failed' },
    },
    expected: [
      ['NOT_TESTED_SINCE_CHANGE', 'warning', 'a'],
      ['NOT_TESTED_SINCE_CHANGE', 'warning', 'b'],
      ['NOT_TESTED_SINCE_CHANGE', 'warning', 'c'],
    ],
  },
  {
    case: 'an inactive untested provider',
    specs: { a: { tested: 'ok' }, b: { serviceType: 'fallback', tested: 'ok' }, c: { status: 'inactive' } },
    expected: [],
  },
  {
    case: 'an open circuit, a probe due, a rate-limit cooldown',
    specs: {
      a: { tested: 'ok' },
      b: { serviceType: 'fallback', tested: 'ok' },
      c: { serviceType: 'fallback', tested: 'ok' },
    },
    health: {
      a: open,
      b: { ...open, openUntil: NOW - 1 },
      c: { cooldownUntil: NOW + 60_000, lastFailure: { ...AUTH_FAILURE, category: 'RATE_LIMITED' } },
    },
    expected: [
      ['CIRCUIT_OPEN', 'warning', 'a'],
      ['CIRCUIT_OPEN', 'warning', 'b'],
      ['COOLING_DOWN', 'info', 'c'],
    ],
  },
  {
    case: 'CRM with no CRM provider rides on the DEFAULT chain',
    channel: 'CRM',
    specs: { a: { tested: 'ok' }, b: { serviceType: 'fallback', tested: 'ok' } },
    expected: [['NO_ACTIVE_PRIMARY', 'info', null]],
  },
  {
    case: 'CRM with a primary of its own and the DEFAULT chain behind it',
    channel: 'CRM',
    specs: { crm: { type: 'crm_api_smtp', tested: 'ok' }, a: { tested: 'ok' } },
    expected: [['NO_ACTIVE_FALLBACK', 'info', null]],
  },
  {
    case: 'CRM with nothing active anywhere',
    channel: 'CRM',
    specs: { crm: { type: 'crm_api_smtp', status: 'inactive' } },
    expected: [['NO_ACTIVE_PRIMARY', 'error', null]],
  },
  {
    case: 'DEFAULT ignores CRM providers',
    specs: {
      crm: { type: 'crm_api_smtp' },
      a: { tested: 'ok' },
      b: { serviceType: 'fallback', tested: 'ok' },
    },
    expected: [],
  },
];

describe('setupWarnings', () => {
  it.each(CASES)('$case', ({ channel = 'DEFAULT', specs, health: records = {}, expected }) => {
    const all = providers(specs);
    const warnings = setupWarnings({
      channel,
      providers: all,
      chain: buildChain(all, channel),
      health: health(records),
      locale: 'en',
    });
    expect(warnings.map((w) => [w.code, w.severity, w.providerId?.replace(/^id-/, '') ?? null])).toEqual(
      expected,
    );
    for (const warning of warnings) expect(warning.message).toMatch(/\.$/);
  });

  it('speaks Turkish to Turkish readers, hints included', () => {
    const all = providers({ a: { tested: 'ok' }, b: { serviceType: 'fallback', tested: 'ok' } });
    const warnings = setupWarnings({
      channel: 'DEFAULT',
      providers: all,
      chain: buildChain(all, 'DEFAULT'),
      health: health({ a: open }),
      locale: 'tr',
    });
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'CIRCUIT_OPEN',
        message: expect.stringContaining('Kullanıcı adını ve parolayı'),
      }),
    ]);
    expect(warnings[0]?.message).toContain('atlanıyor');
  });

  /** Words of the API's enums and types that must not appear in prose, in either language. */
  const INTERNAL_CODES =
    /\b(DEFAULT|PRIMARY|FALLBACK|BİRİNCİL|YEDEK|CRM_API_SMTP|API_SMTP|SMTP_|[A-Z]+_[A-Z_]+)\b/;

  it.each(CASES.flatMap((one) => (['en', 'tr'] as const).map((locale) => ({ ...one, locale }))))(
    '$case ($locale): plain words, no internal codes',
    ({ channel = 'DEFAULT', specs, health: records = {}, locale }) => {
      const all = providers(specs);
      const warnings = setupWarnings({
        channel,
        providers: all,
        chain: buildChain(all, channel),
        health: health(records),
        locale,
      });
      for (const warning of warnings) expect(warning.message).not.toMatch(INTERNAL_CODES);
    },
  );

  it.each<[Channel, 'en' | 'tr', string]>([
    ['DEFAULT', 'en', 'Default mail'],
    ['CRM', 'en', 'CRM mail'],
    ['DEFAULT', 'tr', 'Varsayılan e-posta'],
    ['CRM', 'tr', 'CRM e-postası'],
  ])('names the %s channel in %s as "%s"', (channel, locale, name) => {
    const all = providers({ only: { type: channel === 'CRM' ? 'crm_api_smtp' : 'smtp', tested: 'ok' } });
    const warnings = setupWarnings({
      channel,
      providers: all,
      chain: buildChain(all, channel),
      health: health({}),
      locale,
    });
    expect(warnings.find((w) => w.code === 'NO_ACTIVE_FALLBACK')?.message).toContain(name);
  });
});
