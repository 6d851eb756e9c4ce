// The chain rules of the panel: how the drawing is laid out (a channel's own providers, then for CRM the
// default chain), how the list groups providers into the sections mail walks, and what a deletion breaks.

import type {
  Channel,
  ChainProvider,
  DeliveryChain,
  ProviderStatus,
  ServiceType,
  SetupWarning,
} from '../graphql/types';

export interface ChainPicture {
  own: ChainProvider[];
  /** For CRM: the default chain that follows as a last resort. */
  lastResort: ChainProvider[];
}

export function pictureOf(chain: DeliveryChain | null, defaultChain: DeliveryChain | null): ChainPicture {
  if (!chain) return { own: [], lastResort: [] };
  if (chain.channel === 'DEFAULT') return { own: [...chain.providers], lastResort: [] };
  // The API may list the CRM chain with the default chain appended, or the CRM providers alone.
  const own = chain.providers.filter((provider) => provider.channel === 'CRM');
  return { own, lastResort: [...(defaultChain?.providers ?? [])] };
}

/** A setup warning with the channel whose chain reported it. */
export type ChannelWarning = SetupWarning & { channel: Channel };

/**
 * Both channels can report the same warning (a provider of the default chain, for instance); each shows
 * once, with the channel that reported it first.
 */
export function mergeWarnings(...chains: ReadonlyArray<DeliveryChain | null | undefined>): ChannelWarning[] {
  const seen = new Set<string>();
  const merged: ChannelWarning[] = [];
  for (const chain of chains) {
    for (const warning of chain?.warnings ?? []) {
      const key = `${warning.code}|${warning.providerId ?? ''}|${warning.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      merged.push({ ...warning, channel: chain?.channel ?? 'DEFAULT' });
    }
  }
  return merged;
}

/** What the list's chain rules read of a provider. */
export interface ChainMember {
  id: string;
  channel: Channel;
  serviceType: ServiceType;
  status: ProviderStatus;
}

export const CHANNELS: readonly Channel[] = ['DEFAULT', 'CRM'];
export const TIERS: readonly ServiceType[] = ['PRIMARY', 'FALLBACK'];

export interface ChainRow<P> {
  provider: P;
  /** 1-based place among the section's active providers, the place mail really tries it; null when inactive. */
  position: number | null;
}

export interface ChainSection<P> {
  channel: Channel;
  serviceType: ServiceType;
  rows: ChainRow<P>[];
}

export interface ChannelGroup<P> {
  channel: Channel;
  primary: ChainSection<P>;
  fallback: ChainSection<P>;
}

/**
 * The list as mail walks it: per channel, primaries then fallbacks, each in the given (priority) order.
 * Inactive providers keep their place in their section but get no position, since mail skips them.
 */
export function groupChain<P extends ChainMember>(providers: readonly P[]): ChannelGroup<P>[] {
  return CHANNELS.map((channel) => {
    const [primary, fallback] = TIERS.map((serviceType) => {
      let position = 0;
      const rows = providers
        .filter((provider) => provider.channel === channel && provider.serviceType === serviceType)
        .map((provider) => ({ provider, position: provider.status === 'ACTIVE' ? ++position : null }));
      return { channel, serviceType, rows };
    }) as [ChainSection<P>, ChainSection<P>];
    return { channel, primary, fallback };
  });
}

/** The providers that mail of a channel tries, in order, before any other channel's providers. */
export function activeChain<P extends ChainMember>(providers: readonly P[], channel: Channel): P[] {
  const group = groupChain(providers).find((candidate) => candidate.channel === channel);
  if (!group) return [];
  return [...group.primary.rows, ...group.fallback.rows]
    .filter((row) => row.position !== null)
    .map((row) => row.provider);
}

/** "1st", "2nd" in English, "1.", "2." in Turkish: the ordinal of a chain position. */
export function ordinal(position: number, locale: string): string {
  if (locale.startsWith('tr')) return `${position}.`;
  const rule = new Intl.PluralRules('en', { type: 'ordinal' }).select(position);
  const suffix = { one: 'st', two: 'nd', few: 'rd' }[rule as 'one' | 'two' | 'few'] ?? 'th';
  return `${position}${suffix}`;
}

/** What deleting a provider does to the mail flow. */
export type DeleteImpact =
  | { kind: 'NOT_IN_CHAIN' }
  | { kind: 'STOPS_ALL_MAIL' }
  | { kind: 'CHANNEL_TO_FALLBACKS'; channel: Channel; fallbacks: number }
  | { kind: 'CHANNEL_TO_DEFAULT'; channel: Channel }
  | { kind: 'CHANNEL_STOPS'; channel: Channel }
  | { kind: 'NEXT_TAKES_OVER'; channel: Channel; remaining: number };

/**
 * The consequences of deleting `id`, computed from the list: mail of its channel goes on through the
 * providers that remain, or straight to the fallbacks when it was the last active primary, or (CRM) to
 * the default chain, or nowhere when it was the only active provider.
 */
export function deleteImpact<P extends ChainMember>(providers: readonly P[], id: string): DeleteImpact {
  const target = providers.find((provider) => provider.id === id);
  if (!target || target.status !== 'ACTIVE') return { kind: 'NOT_IN_CHAIN' };
  const rest = providers.filter((provider) => provider.id !== id);
  const channel = target.channel;
  const remaining = activeChain(rest, channel);
  const defaultRemaining = activeChain(rest, 'DEFAULT');
  if (remaining.length === 0 && (channel === 'DEFAULT' || defaultRemaining.length === 0)) {
    const everything = defaultRemaining.length === 0 && activeChain(rest, 'CRM').length === 0;
    return everything ? { kind: 'STOPS_ALL_MAIL' } : { kind: 'CHANNEL_STOPS', channel };
  }
  if (remaining.length === 0) return { kind: 'CHANNEL_TO_DEFAULT', channel };
  const primariesLeft = remaining.filter((provider) => provider.serviceType === 'PRIMARY').length;
  if (target.serviceType === 'PRIMARY' && primariesLeft === 0) {
    return { kind: 'CHANNEL_TO_FALLBACKS', channel, fallbacks: remaining.length };
  }
  return { kind: 'NEXT_TAKES_OVER', channel, remaining: remaining.length };
}
