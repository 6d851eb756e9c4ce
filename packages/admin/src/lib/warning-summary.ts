// The setup warnings in the panel's own words, folded into one line per kind: many untested providers
// make one line with a count, not one warning each.

import type { ChainProvider, Provider, SetupWarning } from '../graphql/types';
import type { ChannelWarning } from './chain';

export type Severity = 'error' | 'warning' | 'info';

export interface WarningGroup<W extends SetupWarning = SetupWarning> {
  code: string;
  severity: Severity;
  warnings: W[];
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
export function summariseWarnings<W extends SetupWarning>(warnings: readonly W[]): WarningGroup<W>[] {
  const groups = new Map<string, WarningGroup<W>>();
  for (const warning of warnings) {
    const severity = severityOf(warning.severity);
    const group: WarningGroup<W> = groups.get(warning.code) ?? {
      code: warning.code,
      severity,
      warnings: [],
      providerIds: [],
    };
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

/** What a warning's text is made of: a message key of the panel and its values. */
export interface WarningText {
  key: string;
  params: Record<string, string>;
}

type Named = Pick<Provider, 'id' | 'name'> & Partial<Pick<Provider, 'lastTestEmail' | 'health'>>;
type InChain = Pick<ChainProvider, 'name' | 'host' | 'channel' | 'serviceType'>;

/**
 * A warning in the panel's own words (no internal codes), from its code, its channel and the providers;
 * null when the panel has no words for it, and the API's message is shown.
 */
export function warningText(
  warning: ChannelWarning,
  providers: readonly Named[],
  chain: readonly InChain[],
  formatTime: (iso: string) => string,
): WarningText | null {
  const channel = warning.channel;
  const provider = providers.find((candidate) => candidate.id === warning.providerId);
  const name = provider?.name ?? '';
  const severity = severityOf(warning.severity);
  switch (warning.code) {
    case 'NO_ACTIVE_PRIMARY':
      if (severity === 'error') return { key: 'nothingActive', params: { channel } };
      return { key: channel === 'CRM' ? 'noCrmPrimary' : 'noPrimary', params: { channel } };
    case 'NO_ACTIVE_FALLBACK':
      if (channel === 'CRM') return { key: 'noCrmFallback', params: {} };
      return { key: severity === 'info' ? 'noFallbackButOthers' : 'noFallback', params: { channel } };
    case 'SINGLE_HOST': {
      const host = chain[0]?.host;
      return host ? { key: 'singleHost', params: { host } } : null;
    }
    case 'SEVERAL_PRIMARIES': {
      const primaries = chain.filter((item) => item.channel === channel && item.serviceType === 'PRIMARY');
      const first = primaries[0]?.name;
      if (!first) return null;
      return {
        key: 'severalPrimaries',
        params: { names: primaries.map((item) => item.name).join(', '), first },
      };
    }
  }
  if (!provider) return null;
  switch (warning.code) {
    case 'NOT_TESTED_SINCE_CHANGE':
      return { key: provider.lastTestEmail?.ok === false ? 'lastTestFailed' : 'notTested', params: { name } };
    case 'FALLBACK_BEFORE_PRIMARY':
      return { key: 'fallbackFirst', params: { name } };
    case 'CIRCUIT_OPEN': {
      const until = provider.health?.openUntil;
      if (provider.health?.state === 'HALF_OPEN') return { key: 'circuitProbing', params: { name } };
      return until
        ? { key: 'circuitOpenUntil', params: { name, until: formatTime(until) } }
        : { key: 'circuitOpen', params: { name } };
    }
    case 'COOLING_DOWN': {
      const until = provider.health?.cooldownUntil;
      return until ? { key: 'coolingDown', params: { name, until: formatTime(until) } } : null;
    }
    default:
      return null;
  }
}
