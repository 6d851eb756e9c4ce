// One page of the delivery log, its filters and its cursor paging.

import { useMutation, useQuery } from '@vue/apollo-composable';
import { computed, reactive, ref, watch } from 'vue';
import { DELIVERIES, RETRY_DELIVERY } from '../graphql/delivery';
import type { Delivery, DeliveryConnection, DeliveryStatus } from '../graphql/types';

export interface DeliveryFilters {
  status: DeliveryStatus | '';
  providerId: string;
  search: string;
}

export function useDeliveries(pageSize = ref(25)) {
  const filters = reactive<DeliveryFilters>({ status: '', providerId: '', search: '' });
  /** Cursor before each page seen so far; the last one is the current page's. */
  const cursors = ref<Array<string | null>>([null]);

  const variables = computed(() => ({
    first: pageSize.value,
    after: cursors.value[cursors.value.length - 1] ?? null,
    status: filters.status || null,
    providerId: filters.providerId || null,
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

  watch([() => ({ ...filters }), pageSize], () => {
    cursors.value = [null];
  });

  const connection = computed(() => result.value?.deliveries ?? null);
  const deliveries = computed<Delivery[]>(() => connection.value?.nodes ?? []);
  const page = computed(() => cursors.value.length);

  function next(): void {
    const cursor = connection.value?.pageInfo.endCursor;
    if (connection.value?.pageInfo.hasNextPage && cursor) cursors.value = [...cursors.value, cursor];
  }

  function previous(): void {
    if (cursors.value.length > 1) cursors.value = cursors.value.slice(0, -1);
  }

  const retryMutation = useMutation<{ retryDelivery: Delivery }>(RETRY_DELIVERY, {
    throws: 'always',
    refetchQueries: ['Deliveries'],
  });

  async function retry(id: string): Promise<Delivery | null> {
    const answer = await retryMutation.mutate({ id });
    return answer?.data?.retryDelivery ?? null;
  }

  return { filters, pageSize, deliveries, connection, loading, error, refetch, page, next, previous, retry };
}
