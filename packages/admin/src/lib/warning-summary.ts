// The setup warnings folded into one line per kind: many untested providers make one line with a count,
// not one warning each.

import type { SetupWarning } from '../graphql/types';

export type Severity = 'error' | 'warning' | 'info';

export interface WarningGroup {
  code: string;
  severity: Severity;
  warnings: SetupWarning[];
  /** The providers the warnings name, in order, each once. */
  providerIds: string[];
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function severityOf(severity: string): Severity {
  const value = severity.toLowerCase();
  if (value === 'error') return 'error';
  if (value === 'info') return 'info';
  return 'warning';
}

/** One group per code, most serious first (then in the order the API gave), each as serious as its worst warning. */
export function summariseWarnings(warnings: readonly SetupWarning[]): WarningGroup[] {
  const groups = new Map<string, WarningGroup>();
  for (const warning of warnings) {
    const severity = severityOf(warning.severity);
    const group = groups.get(warning.code) ?? { code: warning.code, severity, warnings: [], providerIds: [] };
    group.warnings.push(warning);
    if (RANK[severity] < RANK[group.severity]) group.severity = severity;
    if (warning.providerId && !group.providerIds.includes(warning.providerId)) {
      group.providerIds.push(warning.providerId);
    }
    groups.set(warning.code, group);
  }
  return [...groups.values()]
    .map((group, index) => ({ group, index }))
    .sort((a, b) => RANK[a.group.severity] - RANK[b.group.severity] || a.index - b.index)
    .map(({ group }) => group);
}
