// One paged list read from a GraphQL connection (`{ nodes, pageInfo, totalCount }`): the query's answer
// for the current page, and the pager's moves. A change of `filters` goes back to the first page.

import { useQuery } from '@vue/apollo-composable';
import type { DocumentNode } from 'graphql';
import { computed, type ComputedRef, type Ref } from 'vue';
import type { PageInfo } from '../graphql/types';
import { toApiProblem } from '../lib/api-error';
import { useCursorPages } from './useCursorPages';

export interface Connection<T> {
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** A page of a connection as the panel shows it (see PagedList). */
export interface PagedConnection<T> {
  connection: ComputedRef<Connection<T> | null>;
  nodes: ComputedRef<T[]>;
  loading: Ref<boolean>;
  loadError: ComputedRef<string>;
  page: ComputedRef<number>;
  previous(): void;
  next(): void;
}

export function useConnectionPages<K extends string, T>(
  query: DocumentNode,
  field: K,
  pageSize: number,
  filters: ComputedRef<Record<string, unknown>> | Ref<Record<string, unknown>>,
): PagedConnection<T> & { refetch(): unknown } {
  const pages = useCursorPages([filters]);
  const variables = computed(() => ({ ...filters.value, first: pageSize, after: pages.after.value }));
  const { result, loading, error, refetch } = useQuery<Record<K, Connection<T>>>(query, variables, {
    fetchPolicy: 'cache-and-network',
  });
  const connection = computed<Connection<T> | null>(() => result.value?.[field] ?? null);
  return {
    connection,
    nodes: computed(() => connection.value?.nodes ?? []),
    loading,
    loadError: computed(() => (error.value ? toApiProblem(error.value).message : '')),
    page: pages.page,
    previous: pages.previous,
    next: () => pages.next(connection.value?.pageInfo),
    refetch: () => refetch(),
  };
}
