import type { Provider } from '../../src/graphql/types';
import { healthView, matchesSearch, type HealthView } from '../../src/lib/provider-state';

type Health = Provider['health'];
const CLOSED: Health = {
  state: 'CLOSED',
  consecutiveFailures: 0,
  lastFailureAt: null,
  lastFailure: null,
  openUntil: null,
  cooldownUntil: null,
};
const WHEN = '2026-01-01T10:00:00.000Z';
const TESTED = { ok: true } as Provider['lastTestEmail'];

describe('healthView', () => {
  it.each<[string, Partial<Omit<Provider, 'health'>> & { health?: Partial<Health> }, HealthView]>([
    ['inactive, even with a healthy circuit', { status: 'INACTIVE', verifiedAt: WHEN }, 'NONE'],
    ['inactive with an open circuit', { status: 'INACTIVE', health: { state: 'OPEN' } }, 'NONE'],
    ['active but never verified, tested or failed', {}, 'NONE'],
    ['active and verified', { verifiedAt: WHEN }, 'HEALTHY'],
    ['active and tested', { lastTestEmail: TESTED }, 'HEALTHY'],
    ['circuit open', { verifiedAt: WHEN, health: { state: 'OPEN', consecutiveFailures: 3 } }, 'OPEN'],
    ['circuit probing', { verifiedAt: WHEN, health: { state: 'HALF_OPEN' } }, 'HALF_OPEN'],
    [
      'failing below the threshold',
      { verifiedAt: WHEN, health: { consecutiveFailures: 1, lastFailureAt: WHEN } },
      'FAILING',
    ],
    ['closed again after a failure', { verifiedAt: WHEN, health: { lastFailureAt: WHEN } }, 'RECOVERED'],
  ])('%s', (_what, overrides, expected) => {
    const { health, ...rest } = overrides;
    const provider = {
      status: 'ACTIVE' as const,
      verifiedAt: null,
      lastTestEmail: null,
      ...rest,
      health: { ...CLOSED, ...health },
    };
    expect(healthView(provider)).toBe(expected);
  });
});

describe('matchesSearch', () => {
  const zepto = {
    name: 'zepto-eu',
    host: 'smtp.zeptomail.eu',
    type: 'API_SMTP' as const,
    apiVendor: 'ZEPTOMAIL' as const,
  };
  it.each([
    ['', true],
    ['   ', true],
    ['ZEPTO', true],
    ['zeptomail.eu', true],
    ['mail service', true],
    ['api_smtp', true],
    ['zepto eu', true],
    ['sendgrid', false],
    ['zepto us', false],
  ])('%j finds zepto-eu: %s', (query, expected) => {
    expect(matchesSearch(zepto, query, ['Mail service (API or SMTP relay)', 'ZeptoMail'])).toBe(expected);
  });
});
