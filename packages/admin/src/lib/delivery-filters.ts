// The delivery log's filters: as the address bar keeps them (so a filtered log can be reloaded, shared and
// left with Back) and as the API's `deliveries` query reads them.

import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import { DELIVERY_STATUSES, type Channel, type DeliveryStatus } from '../graphql/types';

/** Quick picks counted back from now. */
export const QUICK_RANGES = ['24h', '7d', '30d'] as const;
export type QuickRange = (typeof QUICK_RANGES)[number];

const QUICK_RANGE_MS: Record<QuickRange, number> = {
  '24h': 24 * 3_600_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

const CHANNELS: readonly Channel[] = ['DEFAULT', 'CRM'];

export interface DeliveryFilters {
  status: DeliveryStatus | '';
  providerId: string;
  channel: Channel | '';
  search: string;
  /** A quick pick; while set, `from` and `to` are not used. */
  range: QuickRange | '';
  /** First and last calendar day in the reader's time zone (YYYY-MM-DD, both included), '' when open. */
  from: string;
  to: string;
}

export function emptyFilters(): DeliveryFilters {
  return { status: '', providerId: '', channel: '', search: '', range: '', from: '', to: '' };
}

/** The names the filters have in the address bar. */
const QUERY_NAMES: Record<keyof DeliveryFilters, string> = {
  status: 'status',
  providerId: 'provider',
  channel: 'channel',
  search: 'q',
  range: 'range',
  from: 'from',
  to: 'to',
};

function oneOf<T extends string>(values: readonly T[], value: string): T | '' {
  return values.find((candidate) => candidate === value) ?? '';
}

/** A local calendar day, or null for anything that is not one (2026-02-30 included). */
export function parseDay(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day ? date : null;
}

/** A date as the calendar day `<input type="date">` shows for it in the reader's time zone. */
export function dayOf(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Reads the filters from the address bar; a value the log does not know is left out, not guessed at. */
export function filtersFromQuery(query: LocationQuery): DeliveryFilters {
  const read = (key: keyof DeliveryFilters): string => {
    const value = query[QUERY_NAMES[key]];
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' ? first : '';
  };
  const day = (key: 'from' | 'to') => (parseDay(read(key)) ? read(key) : '');
  const range = oneOf(QUICK_RANGES, read('range'));
  return {
    status: oneOf(DELIVERY_STATUSES, read('status')),
    providerId: read('providerId'),
    channel: oneOf(CHANNELS, read('channel')),
    search: read('search'),
    range,
    from: range ? '' : day('from'),
    to: range ? '' : day('to'),
  };
}

/** The address bar's query for the filters: only those that are set. */
export function queryFromFilters(filters: DeliveryFilters): LocationQueryRaw {
  const query: LocationQueryRaw = {};
  for (const key of Object.keys(QUERY_NAMES) as Array<keyof DeliveryFilters>) {
    const value = key === 'search' ? filters.search.trim() : filters[key];
    if (value !== '') query[QUERY_NAMES[key]] = value;
  }
  return query;
}

export function sameFilters(a: DeliveryFilters, b: DeliveryFilters): boolean {
  return (Object.keys(QUERY_NAMES) as Array<keyof DeliveryFilters>).every((key) => a[key] === b[key]);
}

export function isFiltered(filters: DeliveryFilters): boolean {
  return Object.keys(queryFromFilters(filters)).length > 0;
}

/** True when both days are set and the first comes after the last. */
export function rangeReversed(filters: DeliveryFilters): boolean {
  return filters.range === '' && filters.from !== '' && filters.to !== '' && filters.from > filters.to;
}

/**
 * The days the date inputs show: a quick pick's first and last day, else the days chosen. Editing one of
 * them after a quick pick starts from these.
 */
export function shownDays(filters: DeliveryFilters, now: Date = new Date()): { from: string; to: string } {
  if (filters.range === '') return { from: filters.from, to: filters.to };
  return { from: dayOf(new Date(now.getTime() - QUICK_RANGE_MS[filters.range])), to: dayOf(now) };
}

/**
 * `deliveries(from, to)`: accepted at or after `from`, before `to`. A quick pick starts that long before
 * now and stays open, so new mail keeps appearing; chosen days run from the first day's midnight to the
 * midnight after the last day. A reversed pair of days filters nothing until it is put right.
 */
export function apiWindow(
  filters: DeliveryFilters,
  now: Date = new Date(),
): { from: string | null; to: string | null } {
  if (filters.range !== '') {
    return { from: new Date(now.getTime() - QUICK_RANGE_MS[filters.range]).toISOString(), to: null };
  }
  if (rangeReversed(filters)) return { from: null, to: null };
  const first = parseDay(filters.from);
  const last = parseDay(filters.to);
  const afterLast = last && new Date(last.getFullYear(), last.getMonth(), last.getDate() + 1);
  return { from: first?.toISOString() ?? null, to: afterLast?.toISOString() ?? null };
}
