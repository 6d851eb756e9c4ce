// How long the delivery log may keep a delivery, as the API accepts it: whole days within these bounds.

export const RETENTION_DAYS = { min: 1, max: 3650 } as const;

/** True for a whole number of days within the bounds, written as digits only. */
export function isRetentionDays(value: string): boolean {
  const text = value.trim();
  if (!/^\d{1,9}$/.test(text)) return false;
  const days = Number(text);
  return days >= RETENTION_DAYS.min && days <= RETENTION_DAYS.max;
}
