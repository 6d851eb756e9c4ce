import {
  apiWindow,
  emptyFilters,
  filtersFromQuery,
  isFiltered,
  parseDay,
  queryFromFilters,
  rangeReversed,
  shownDays,
  type DeliveryFilters,
} from '../../src/lib/delivery-filters';

const filters = (patch: Partial<DeliveryFilters>): DeliveryFilters => ({ ...emptyFilters(), ...patch });
/** Midnight of a calendar day in the time zone the test runs in, as the API receives it. */
const midnight = (year: number, month: number, day: number) => new Date(year, month - 1, day).toISOString();

describe('delivery log filters in the address bar', () => {
  it.each<[string, Record<string, string | string[]>, Partial<DeliveryFilters>]>([
    ['nothing', {}, {}],
    [
      'every filter',
      { status: 'FAILED', provider: 'p1', channel: 'CRM', q: 'order', from: '2026-12-01', to: '2026-12-07' },
      {
        status: 'FAILED',
        providerId: 'p1',
        channel: 'CRM',
        search: 'order',
        from: '2026-12-01',
        to: '2026-12-07',
      },
    ],
    ['a quick pick', { range: '7d' }, { range: '7d' }],
    ['a quick pick over days also given', { range: '24h', from: '2026-12-01' }, { range: '24h' }],
    ['an unknown status', { status: 'LOST' }, {}],
    ['an unknown channel', { channel: 'SMS' }, {}],
    ['an unknown quick pick', { range: '1y' }, {}],
    ['a day that does not exist', { from: '2026-02-30', to: 'yesterday' }, {}],
    ['the first of repeated values', { status: ['SENT', 'FAILED'] }, { status: 'SENT' }],
  ])('reads %s', (_case, query, expected) => {
    expect(filtersFromQuery(query)).toEqual(filters(expected));
  });

  it.each<[string, Partial<DeliveryFilters>]>([
    ['nothing', {}],
    ['a search and a status', { search: 'order', status: 'SENT' }],
    ['chosen days', { from: '2026-12-01', to: '2026-12-07', providerId: 'p1' }],
    ['a quick pick', { range: '30d', channel: 'DEFAULT' }],
  ])('writes %s so that reading it back gives the same filters', (_case, patch) => {
    const written = queryFromFilters(filters(patch));
    expect(Object.values(written).every((value) => value !== '')).toBe(true);
    expect(filtersFromQuery(written as Record<string, string>)).toEqual(filters(patch));
  });

  it('keeps a search without its surrounding spaces, and no empty one', () => {
    expect(queryFromFilters(filters({ search: '  order 7 ' }))).toEqual({ q: 'order 7' });
    expect(queryFromFilters(filters({ search: '   ' }))).toEqual({});
    expect(isFiltered(filters({ search: '   ' }))).toBe(false);
    expect(isFiltered(filters({ to: '2026-12-01' }))).toBe(true);
  });
});

describe('delivery log date range', () => {
  const now = new Date(2026, 11, 7, 15, 30);

  it.each<[string, Partial<DeliveryFilters>, { from: string | null; to: string | null }]>([
    ['no range', {}, { from: null, to: null }],
    [
      'last 24 h, open towards now',
      { range: '24h' },
      { from: new Date(2026, 11, 6, 15, 30).toISOString(), to: null },
    ],
    [
      'last 7 days',
      { range: '7d' },
      { from: new Date(now.getTime() - 7 * 86_400_000).toISOString(), to: null },
    ],
    [
      'last 30 days',
      { range: '30d' },
      { from: new Date(now.getTime() - 30 * 86_400_000).toISOString(), to: null },
    ],
    [
      'two days, both included',
      { from: '2026-12-01', to: '2026-12-02' },
      { from: midnight(2026, 12, 1), to: midnight(2026, 12, 3) },
    ],
    [
      'one day',
      { from: '2026-12-31', to: '2026-12-31' },
      { from: midnight(2026, 12, 31), to: midnight(2027, 1, 1) },
    ],
    ['from a day on', { from: '2026-12-01' }, { from: midnight(2026, 12, 1), to: null }],
    ['up to a day', { to: '2026-02-28' }, { from: null, to: midnight(2026, 3, 1) }],
    [
      'days in the wrong order: not applied',
      { from: '2026-12-07', to: '2026-12-01' },
      { from: null, to: null },
    ],
  ])('%s', (_case, patch, expected) => {
    expect(apiWindow(filters(patch), now)).toEqual(expected);
  });

  it.each<[Partial<DeliveryFilters>, boolean]>([
    [{ from: '2026-12-07', to: '2026-12-01' }, true],
    [{ from: '2026-12-01', to: '2026-12-01' }, false],
    [{ from: '2026-12-07' }, false],
    [{ range: '7d', from: '2026-12-07', to: '2026-12-01' }, false],
  ])('%j is reversed: %s', (patch, expected) => {
    expect(rangeReversed(filters(patch))).toBe(expected);
  });

  it('shows a quick pick as the days it covers, and chosen days as chosen', () => {
    expect(shownDays(filters({ range: '7d' }), now)).toEqual({ from: '2026-11-30', to: '2026-12-07' });
    expect(shownDays(filters({ range: '24h' }), now)).toEqual({ from: '2026-12-06', to: '2026-12-07' });
    expect(shownDays(filters({ from: '2026-01-02' }), now)).toEqual({ from: '2026-01-02', to: '' });
  });

  it.each([
    ['2026-12-07', true],
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['7.12.2026', false],
    ['', false],
  ])('%s is a calendar day: %s', (value, expected) => {
    expect(parseDay(value) !== null).toBe(expected);
  });
});
