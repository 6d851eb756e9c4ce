// Sent and failed attempts per provider over time, for the delivery log's chart. The API counts per
// hour (deliveryStats); the panel lays them on a complete time axis so quiet hours show as gaps.

import type { DeliveryStatsBucket } from '../graphql/types';

export type StatsRange = 'day' | 'week';

export interface StatsWindow {
  from: Date;
  to: Date;
  /** Start of each bar, oldest first: hours for a day, days for a week (UTC). */
  buckets: string[];
  period: 'hour' | 'day';
}

export interface ProviderSeries {
  provider: string;
  sent: number[];
  failed: number[];
}

export interface DeliveryStats {
  buckets: string[];
  series: ProviderSeries[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The last 24 hours by hour, or the last 7 days by day, ending with the current hour or day. */
export function statsWindow(range: StatsRange, now: Date = new Date()): StatsWindow {
  const step = range === 'day' ? HOUR : DAY;
  const count = range === 'day' ? 24 : 7;
  const end = Math.floor(now.getTime() / step) * step + step;
  const from = end - count * step;
  const buckets = Array.from({ length: count }, (_, index) => new Date(from + index * step).toISOString());
  return { from: new Date(from), to: new Date(end), buckets, period: range === 'day' ? 'hour' : 'day' };
}

function bucketOf(iso: string, window: StatsWindow): string | null {
  const time = new Date(iso).getTime();
  if (Number.isNaN(time) || time < window.from.getTime() || time >= window.to.getTime()) return null;
  const step = window.period === 'hour' ? HOUR : DAY;
  return new Date(Math.floor(time / step) * step).toISOString();
}

/** One series per provider (by name, as deleted providers keep theirs), each with a value per bucket. */
export function statsFromBuckets(rows: readonly DeliveryStatsBucket[], window: StatsWindow): DeliveryStats {
  const index = new Map(window.buckets.map((bucket, position) => [bucket, position]));
  const byProvider = new Map<string, ProviderSeries>();
  for (const row of rows) {
    const bucket = bucketOf(row.hour, window);
    const position = bucket === null ? undefined : index.get(bucket);
    if (position === undefined) continue;
    let series = byProvider.get(row.providerName);
    if (!series) {
      series = {
        provider: row.providerName,
        sent: window.buckets.map(() => 0),
        failed: window.buckets.map(() => 0),
      };
      byProvider.set(row.providerName, series);
    }
    series.sent[position] = (series.sent[position] ?? 0) + row.sent;
    series.failed[position] = (series.failed[position] ?? 0) + row.failed;
  }
  const series = [...byProvider.values()].sort((a, b) => a.provider.localeCompare(b.provider));
  return { buckets: series.length > 0 ? window.buckets : [], series };
}

export interface ProviderTotals {
  provider: string;
  sent: number;
  failed: number;
}

/** Each provider's sent and failed attempts over the whole window, for the chart's one-sentence summary. */
export function statsTotals(stats: DeliveryStats): ProviderTotals[] {
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  return stats.series.map((series) => ({
    provider: series.provider,
    sent: sum(series.sent),
    failed: sum(series.failed),
  }));
}
