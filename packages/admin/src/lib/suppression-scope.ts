// Which mail a suppression applies to: all of it (no channel), or one channel's. The form and the list
// name the choice; the API takes the channel, null meaning all mail.

import type { Channel } from '../graphql/types';

export type SuppressionScope = 'ALL' | Channel;

export const SUPPRESSION_SCOPES: readonly SuppressionScope[] = ['ALL', 'DEFAULT', 'CRM'];

export function scopeOf(channel: Channel | null | undefined): SuppressionScope {
  return channel ?? 'ALL';
}

export function channelOf(scope: SuppressionScope): Channel | null {
  return scope === 'ALL' ? null : scope;
}

/** The file name of an export: `suppressions-2026-12-07.csv` (the day in UTC). */
export function exportFileName(now: Date): string {
  return `suppressions-${now.toISOString().slice(0, 10)}.csv`;
}
