// Dates and durations in the panel's language.

const INTL_LOCALE: Record<string, string> = { en: 'en-GB', tr: 'tr-TR' };

function intlLocale(locale: string): string {
  return INTL_LOCALE[locale] ?? locale;
}

export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeStyle: 'medium' }).format(
    date,
  );
}

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

/** "3 minutes ago", "in 20 seconds"; `now` is a parameter so callers can tick it. */
export function formatRelative(
  iso: string | null | undefined,
  locale: string,
  now: number = Date.now(),
): string {
  if (!iso) return '';
  const time = new Date(iso).getTime();
  if (Number.isNaN(time)) return iso;
  const diff = time - now;
  const format = new Intl.RelativeTimeFormat(intlLocale(locale), { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size || unit === 'second') return format.format(Math.round(diff / size), unit);
  }
  return '';
}

/** The time of day (14:05:09), for "next try at". */
export function formatTime(epochMs: number, locale: string): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { timeStyle: 'medium' }).format(new Date(epochMs));
}
