// Sent and failed attempts per provider over time, for the delivery log's chart.

import type { Delivery } from '../graphql/types';

export type Period = 'hour' | 'day';

export interface ProviderSeries {
  provider: string;
  sent: number[];
  failed: number[];
}

export interface DeliveryStats {
  /** Start of each time bucket, ISO 8601, oldest first. */
  buckets: string[];
  series: ProviderSeries[];
}

function bucketStart(iso: string, period: Period): string | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  date.setUTCMinutes(0, 0, 0);
  if (period === 'day') date.setUTCHours(0);
  return date.toISOString();
}

/** Counts each attempt (skips excluded) in its provider's series, at the bucket it started in. */
export function statsFromDeliveries(deliveries: readonly Delivery[], period: Period): DeliveryStats {
  const counts = new Map<string, Map<string, { sent: number; failed: number }>>();
  const bucketSet = new Set<string>();
  for (const delivery of deliveries) {
    for (const attempt of delivery.attempts) {
      if (attempt.outcome === 'SKIPPED') continue;
      const bucket = bucketStart(attempt.startedAt, period);
      if (bucket === null) continue;
      bucketSet.add(bucket);
      const byBucket =
        counts.get(attempt.providerName) ?? new Map<string, { sent: number; failed: number }>();
      counts.set(attempt.providerName, byBucket);
      const cell = byBucket.get(bucket) ?? { sent: 0, failed: 0 };
      byBucket.set(bucket, cell);
      if (attempt.outcome === 'SENT') cell.sent += 1;
      else cell.failed += 1;
    }
  }
  const buckets = [...bucketSet].sort();
  const series = [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([provider, byBucket]) => ({
      provider,
      sent: buckets.map((bucket) => byBucket.get(bucket)?.sent ?? 0),
      failed: buckets.map((bucket) => byBucket.get(bucket)?.failed ?? 0),
    }));
  return { buckets, series };
}
