// One page of the delivery log, its filters and its cursor paging.

import { useMutation, useQuery } from '@vue/apollo-composable';
import { computed, reactive, ref, watch } from 'vue';
import { ALERTS, DELIVERIES, DELIVERY_STATS, RETRY_DELIVERY } from '../graphql/delivery';
import type {
  AlertConnection,
  Channel,
  Delivery,
  DeliveryConnection,
  DeliveryStatsBucket,
  DeliveryStatus,
} from '../graphql/types';
import { statsFromBuckets, statsWindow, type StatsRange } from '../lib/delivery-stats';
import { useCursorPages } from './useCursorPages';

export interface DeliveryFilters {
  status: DeliveryStatus | '';
  providerId: string;
  channel: Channel | '';
  search: string;
}

export function useDeliveries(pageSize = ref(25)) {
  const filters = reactive<DeliveryFilters>({ status: '', providerId: '', channel: '', search: '' });
  const pages = useCursorPages([() => ({ ...filters }), pageSize]);

  const variables = computed(() => ({
    first: pageSize.value,
    after: pages.after.value,
    status: filters.status || null,
    providerId: filters.providerId || null,
    channel: filters.channel || null,
    search: filters.search.trim() || null,
  }));

  const { result, loading, error, refetch } = useQuery<{ deliveries: DeliveryConnection }>(
    DELIVERIES,
    variables,
    {
      fetchPolicy: 'cache-and-network',
      // Queued and retrying deliveries change on their own; the log follows them.
      pollInterval: 10_000,
    },
  );

  const connection = computed(() => result.value?.deliveries ?? null);
  const deliveries = computed<Delivery[]>(() => connection.value?.nodes ?? []);

  function next(): void {
    pages.next(connection.value?.pageInfo);
  }

  const retryMutation = useMutation<{ retryDelivery: Delivery }>(RETRY_DELIVERY, {
    throws: 'always',
    refetchQueries: ['Deliveries'],
  });

  async function retry(id: string): Promise<Delivery | null> {
    const answer = await retryMutation.mutate({ id });
    return answer?.data?.retryDelivery ?? null;
  }

  const { page, previous } = pages;
  return { filters, pageSize, deliveries, connection, loading, error, refetch, page, next, previous, retry };
}

/** Sent and failed attempts per provider over the last day or week, from the API's hourly counts. */
export function useDeliveryStats() {
  const range = ref<StatsRange>('day');
  // The window is fixed when the range is chosen (and on refresh), so polling asks for the same hours.
  const window = ref(statsWindow(range.value));
  watch(range, (next) => {
    window.value = statsWindow(next);
  });
  const { result, loading, error } = useQuery<{ deliveryStats: DeliveryStatsBucket[] }>(
    DELIVERY_STATS,
    () => ({ from: window.value.from.toISOString(), to: window.value.to.toISOString() }),
    { fetchPolicy: 'cache-and-network', pollInterval: 30_000 },
  );
  const stats = computed(() => statsFromBuckets(result.value?.deliveryStats ?? [], window.value));
  return { range, period: computed(() => window.value.period), stats, loading, error };
}

/** Circuit and fallback alerts, newest first. */
export function useAlerts() {
  const openOnly = ref(false);
  const { result, loading, error } = useQuery<{ alerts: AlertConnection }>(
    ALERTS,
    () => ({ first: 20, openOnly: openOnly.value || null }),
    { fetchPolicy: 'cache-and-network', pollInterval: 30_000 },
  );
  const alerts = computed(() => result.value?.alerts.nodes ?? []);
  const total = computed(() => result.value?.alerts.totalCount ?? 0);
  return { openOnly, alerts, total, loading, error };
}
