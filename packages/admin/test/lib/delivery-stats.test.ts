import { statsFromBuckets, statsTotals, statsWindow } from '../../src/lib/delivery-stats';

describe('delivery stats', () => {
  const now = new Date('2026-03-10T14:25:00Z');

  it('covers the last 24 hours by hour, ending with the current hour', () => {
    const window = statsWindow('day', now);
    expect(window.buckets).toHaveLength(24);
    expect(window.buckets[0]).toBe('2026-03-09T15:00:00.000Z');
    expect(window.buckets[23]).toBe('2026-03-10T14:00:00.000Z');
    expect(window.to.toISOString()).toBe('2026-03-10T15:00:00.000Z');
  });

  it('covers the last 7 days by day', () => {
    const window = statsWindow('week', now);
    expect(window.buckets).toEqual([
      '2026-03-04T00:00:00.000Z',
      '2026-03-05T00:00:00.000Z',
      '2026-03-06T00:00:00.000Z',
      '2026-03-07T00:00:00.000Z',
      '2026-03-08T00:00:00.000Z',
      '2026-03-09T00:00:00.000Z',
      '2026-03-10T00:00:00.000Z',
    ]);
  });

  it('places hourly counts per provider and sums them into days', () => {
    const rows = [
      { hour: '2026-03-10T13:00:00.000Z', providerId: 'a', providerName: 'primary', sent: 3, failed: 1 },
      { hour: '2026-03-10T14:00:00.000Z', providerId: 'a', providerName: 'primary', sent: 2, failed: 0 },
      { hour: '2026-03-10T14:00:00.000Z', providerId: 'b', providerName: 'fallback', sent: 1, failed: 0 },
      { hour: '2026-03-01T10:00:00.000Z', providerId: 'b', providerName: 'fallback', sent: 9, failed: 9 },
    ];
    const hourly = statsFromBuckets(rows, statsWindow('day', now));
    expect(hourly.series.map((series) => series.provider)).toEqual(['fallback', 'primary']);
    const primary = hourly.series.find((series) => series.provider === 'primary');
    expect(primary?.sent.slice(-2)).toEqual([3, 2]);
    expect(primary?.failed.slice(-2)).toEqual([1, 0]);

    const daily = statsFromBuckets(rows, statsWindow('week', now));
    expect(daily.series.find((series) => series.provider === 'primary')?.sent.at(-1)).toBe(5);
    // Outside the window: not counted.
    expect(daily.series.find((series) => series.provider === 'fallback')?.sent).toEqual([
      0, 0, 0, 0, 0, 0, 1,
    ]);
  });

  it('has no buckets when nothing was attempted', () => {
    expect(statsFromBuckets([], statsWindow('day', now))).toEqual({ buckets: [], series: [] });
  });

  it('totals each provider over the window, for the chart’s summary', () => {
    const rows = [
      { hour: '2026-03-10T13:00:00.000Z', providerId: 'a', providerName: 'primary', sent: 3, failed: 1 },
      { hour: '2026-03-10T14:00:00.000Z', providerId: 'a', providerName: 'primary', sent: 2, failed: 4 },
      { hour: '2026-03-10T14:00:00.000Z', providerId: 'b', providerName: 'fallback', sent: 1, failed: 0 },
    ];
    expect(statsTotals(statsFromBuckets(rows, statsWindow('day', now)))).toEqual([
      { provider: 'fallback', sent: 1, failed: 0 },
      { provider: 'primary', sent: 5, failed: 5 },
    ]);
    expect(statsTotals({ buckets: [], series: [] })).toEqual([]);
  });
});
