import { channelOf, type Channel, type ProviderConfig } from './provider';

/** The fields the chain rules read; the API can pass its own entities. */
export type ChainProvider = Pick<ProviderConfig, 'id' | 'type' | 'serviceType' | 'status' | 'priority'>;

/**
 * The ordered providers a send walks: the active providers of the channel, primary before
 * fallback, each group by priority; for CRM the whole DEFAULT chain follows as a last resort so that CRM
 * mail never stops. A provider appears once. Ties in priority keep the input order.
 */
export function buildChain<P extends ChainProvider>(providers: readonly P[], channel: Channel): P[] {
  const own = channelChain(providers, channel);
  if (channel === 'DEFAULT') return own;
  const seen = new Set(own.map((provider) => provider.id));
  const lastResort = channelChain(providers, 'DEFAULT').filter((provider) => !seen.has(provider.id));
  return [...own, ...lastResort];
}

function channelChain<P extends ChainProvider>(providers: readonly P[], channel: Channel): P[] {
  const seen = new Set<string>();
  const eligible = providers.filter((provider) => {
    if (provider.status !== 'active' || channelOf(provider) !== channel) return false;
    if (seen.has(provider.id)) return false;
    seen.add(provider.id);
    return true;
  });
  const rank = (provider: P): number => (provider.serviceType === 'primary' ? 0 : 1);
  return eligible
    .map((provider, index) => ({ provider, index }))
    .sort(
      (a, b) =>
        rank(a.provider) - rank(b.provider) || a.provider.priority - b.provider.priority || a.index - b.index,
    )
    .map(({ provider }) => provider);
}
