// The delivery log: a page of it with its filters and cursor paging, one delivery's detail with Resend,
// Retry, the chart's counts and the alerts.

import { useMutation, useQuery } from '@vue/apollo-composable';
import { computed, ref, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import {
  ALERTS,
  DELIVERIES,
  DELIVERY,
  DELIVERY_STATS,
  RESEND_DELIVERY,
  RETRY_DELIVERY,
} from '../graphql/delivery';
import type {
  AlertConnection,
  Delivery,
  DeliveryConnection,
  DeliveryDetail,
  DeliveryStatsBucket,
} from '../graphql/types';
import { toApiProblem } from '../lib/api-error';
import { apiWindow } from '../lib/delivery-filters';
import { statsFromBuckets, statsWindow, type StatsRange } from '../lib/delivery-stats';
import { useCursorPages } from './useCursorPages';
import { useFiltersInQuery } from './useFiltersInQuery';

export function useDeliveries(pageSize = ref(25)) {
  const filters = useFiltersInQuery();
  const pages = useCursorPages([filters, pageSize]);
  // A quick pick's start is fixed when it is chosen, so polling and paging ask for the same window.
  const accepted = computed(() => apiWindow(filters.value));

  const variables = computed(() => ({
    first: pageSize.value,
    after: pages.after.value,
    status: filters.value.status || null,
    providerId: filters.value.providerId || null,
    channel: filters.value.channel || null,
    search: filters.value.search.trim() || null,
    from: accepted.value.from,
    to: accepted.value.to,
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

  const { page, previous } = pages;
  return { filters, pageSize, deliveries, connection, loading, error, refetch, page, next, previous };
}

/** Retry of a failed delivery (a new round of the same delivery), with what to tell the admin after it. */
export function useRetryDelivery() {
  const { t } = useI18n();
  const retryingId = ref<string | null>(null);
  const message = ref<{ kind: 'success' | 'error'; text: string } | null>(null);
  // The answer is the delivery itself: the cache updates its row in the log and its detail page alike.
  const mutation = useMutation<{ retryDelivery: Delivery }>(RETRY_DELIVERY, { throws: 'always' });

  async function retry(id: string): Promise<void> {
    retryingId.value = id;
    message.value = null;
    try {
      await mutation.mutate({ id });
      message.value = { kind: 'success', text: t('deliveries.retried') };
    } catch (caught) {
      const problem = toApiProblem(caught);
      message.value = {
        kind: 'error',
        text: problem.message || t('errors.UNKNOWN', { message: problem.code }),
      };
    } finally {
      retryingId.value = null;
    }
  }

  return { retryingId, message, retry };
}

/** One delivery with its message, followed until it is finished, and Resend. */
export function useDeliveryDetail(id: Ref<string>) {
  const finished = ref(false);
  const { result, loading, error } = useQuery<{ delivery: DeliveryDetail | null }>(
    DELIVERY,
    () => ({ id: id.value }),
    () => ({ fetchPolicy: 'cache-and-network', pollInterval: finished.value ? 0 : 5_000 }),
  );
  const delivery = computed(() => result.value?.delivery ?? null);
  watch(delivery, (value) => {
    finished.value = value?.status === 'SENT' || value?.status === 'FAILED';
  });

  const resendMutation = useMutation<{ resendDelivery: Pick<Delivery, 'id'> }>(RESEND_DELIVERY, {
    throws: 'always',
  });

  /** A new delivery of the same message, to `to` or to the original recipients; resolves with its id. */
  async function resend(to: string[] | null): Promise<string> {
    const answer = await resendMutation.mutate({ id: id.value, to });
    const created = answer?.data?.resendDelivery.id;
    if (!created) throw new Error('The resend answer carried no delivery.');
    return created;
  }

  return { delivery, loading, error, resend };
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
