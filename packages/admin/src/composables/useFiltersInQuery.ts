// The delivery log's filters, kept in the address bar.

import { ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import {
  filtersFromQuery,
  queryFromFilters,
  sameFilters,
  type DeliveryFilters,
} from '../lib/delivery-filters';

/**
 * The log's filters live in the address bar too: opening the log reads them, changing them writes them
 * (replacing the entry, so Back leaves the log rather than undoing one filter at a time).
 */
export function useFiltersInQuery() {
  const route = useRoute();
  const router = useRouter();
  const filters = ref<DeliveryFilters>(filtersFromQuery(route.query));

  watch(filters, (next) => {
    void router.replace({ query: queryFromFilters(next) });
  });
  watch(
    () => route.query,
    (query) => {
      const next = filtersFromQuery(query);
      if (!sameFilters(next, filters.value)) filters.value = next;
    },
  );
  return filters;
}
