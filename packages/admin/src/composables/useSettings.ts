// Installation settings kept by the API; for now how long the delivery log is kept.

import { useMutation, useQuery } from '@vue/apollo-composable';
import { computed } from 'vue';
import { SET_DELIVERY_RETENTION, SETTINGS } from '../graphql/settings';
import type { Settings } from '../graphql/types';

export function useSettings() {
  const { result, loading, error } = useQuery<{ settings: Settings }>(SETTINGS);
  const settings = computed(() => result.value?.settings ?? null);

  // The answer carries the settings; written over the cached query, the page shows them without a refetch.
  const retentionMutation = useMutation<{ setDeliveryRetention: Settings }>(SET_DELIVERY_RETENTION, {
    throws: 'always',
    update(cache, answer) {
      const next = answer.data?.setDeliveryRetention;
      if (next) cache.writeQuery({ query: SETTINGS, data: { settings: next } });
    },
  });

  async function setRetention(days: number): Promise<Settings | null> {
    const answer = await retentionMutation.mutate({ days });
    return answer?.data?.setDeliveryRetention ?? null;
  }

  return { settings, loading, error, setRetention };
}
