// Providers and their chain, read from the API and changed through it.

import { useMutation, useQuery } from '@vue/apollo-composable';
import { computed } from 'vue';
import {
  DELETE_PROVIDER,
  DELIVERY_CHAINS,
  PROVIDERS,
  REORDER_PROVIDERS,
  SET_PROVIDER_STATUS,
  VERIFY_PROVIDER,
} from '../graphql/provider';
import type { DeliveryChain, Provider, ProviderStatus, VerificationResult } from '../graphql/types';
import type { OrderChange } from '../lib/reorder';

/**
 * After a provider changes, every query on screen is refreshed: the list, the chain and its warnings, or
 * the open provider. Naming queries instead would warn about those not on the current page.
 */
export const PROVIDER_QUERIES = 'active' as const;

export function useProviders() {
  // Health changes on its own (a circuit opens while mail flows), so the list keeps itself fresh.
  const { result, loading, error, refetch } = useQuery<{ providers: Provider[] }>(PROVIDERS, null, {
    pollInterval: 15_000,
  });
  const providers = computed(() => result.value?.providers ?? []);
  return { providers, loading, error, refetch };
}

export function useDeliveryChains() {
  const { result, loading, error } = useQuery<{ defaultChain: DeliveryChain; crmChain: DeliveryChain }>(
    DELIVERY_CHAINS,
    null,
    { pollInterval: 15_000 },
  );
  return {
    defaultChain: computed(() => result.value?.defaultChain ?? null),
    crmChain: computed(() => result.value?.crmChain ?? null),
    loading,
    error,
  };
}

const ALWAYS_THROW = {
  throws: 'always',
  refetchQueries: PROVIDER_QUERIES,
  awaitRefetchQueries: true,
} as const;

export function useProviderActions() {
  const reorderMutation = useMutation<{
    reorderProviders: Pick<Provider, 'id' | 'priority' | 'serviceType'>[];
  }>(REORDER_PROVIDERS, ALWAYS_THROW);
  const statusMutation = useMutation<{ setProviderStatus: Provider }>(SET_PROVIDER_STATUS, ALWAYS_THROW);
  const verifyMutation = useMutation<{ verifyProvider: VerificationResult }>(VERIFY_PROVIDER, ALWAYS_THROW);
  const deleteMutation = useMutation<{ deleteProvider: string }>(DELETE_PROVIDER, ALWAYS_THROW);

  return {
    /** The complete new order and the service types that changed, saved in one step. */
    async reorder(change: OrderChange): Promise<void> {
      await reorderMutation.mutate({
        ids: change.ids,
        serviceTypes: change.serviceTypes.length > 0 ? change.serviceTypes : null,
      });
    },
    async setStatus(id: string, status: ProviderStatus): Promise<Provider | null> {
      const result = await statusMutation.mutate({ id, status });
      return result?.data?.setProviderStatus ?? null;
    },
    async verify(id: string): Promise<VerificationResult | null> {
      const result = await verifyMutation.mutate({ id });
      return result?.data?.verifyProvider ?? null;
    },
    async remove(id: string): Promise<void> {
      await deleteMutation.mutate({ id });
    },
  };
}
