// What the provider list says about a provider's health, and which providers a search finds.

import type { Provider } from '../graphql/types';

/**
 * - NONE: inactive or never used (never verified, tested or failed): there is no health to report;
 * - OPEN / HALF_OPEN: the circuit is paused or probing;
 * - FAILING: still tried, but its last attempts failed;
 * - RECOVERED: working again after a failure (the failure stays available, folded away);
 * - HEALTHY.
 */
export type HealthView = 'NONE' | 'OPEN' | 'HALF_OPEN' | 'FAILING' | 'RECOVERED' | 'HEALTHY';

type HealthInput = Pick<Provider, 'status' | 'verifiedAt' | 'lastTestEmail' | 'health'>;

export function healthView(provider: HealthInput): HealthView {
  const { health } = provider;
  if (provider.status !== 'ACTIVE') return 'NONE';
  if (health.state === 'OPEN' || health.state === 'HALF_OPEN') return health.state;
  if (health.consecutiveFailures > 0) return 'FAILING';
  if (health.lastFailureAt) return 'RECOVERED';
  if (!provider.verifiedAt && !provider.lastTestEmail) return 'NONE';
  return 'HEALTHY';
}

type Searchable = Pick<Provider, 'name' | 'host' | 'type' | 'apiVendor'>;

/**
 * Whether every word of `query` appears in the provider's name, host, type or vendor (codes and the
 * labels the reader sees, passed as `labels`), ignoring case. An empty query finds everything.
 */
export function matchesSearch(provider: Searchable, query: string, labels: readonly string[] = []): boolean {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [provider.name, provider.host, provider.type, provider.apiVendor ?? '', ...labels]
    .join(' ')
    .toLocaleLowerCase();
  return words.every((word) => haystack.includes(word));
}
