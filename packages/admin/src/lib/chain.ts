// How the chain drawing is laid out: a channel's own providers, then (for CRM) the default chain.

import type { ChainProvider, DeliveryChain, SetupWarning } from '../graphql/types';

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

/** Both channels can report the same warning (a provider of the default chain, for instance); each shows once. */
export function mergeWarnings(...lists: ReadonlyArray<readonly SetupWarning[] | undefined>): SetupWarning[] {
  const seen = new Set<string>();
  const merged: SetupWarning[] = [];
  for (const warning of lists.flatMap((list) => list ?? [])) {
    const key = `${warning.code}|${warning.providerId ?? ''}|${warning.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    merged.push(warning);
  }
  return merged;
}
