// The suppression list: a page of it (with a search), and what an administrator does to it, each change
// followed by a fresh page.

import { useApolloClient, useMutation } from '@vue/apollo-composable';
import { computed, type Ref } from 'vue';
import type { Channel, Suppression, SuppressionImportResult } from '../graphql/types';
import {
  ADD_SUPPRESSION,
  EXPORT_SUPPRESSIONS,
  IMPORT_SUPPRESSIONS,
  REMOVE_SUPPRESSION,
  SUPPRESSIONS,
} from '../graphql/suppressions';
import { useConnectionPages } from './useConnectionPages';

const options = { throws: 'always' as const, refetchQueries: ['Suppressions'], awaitRefetchQueries: true };

function answer<T>(data: T | null | undefined): T {
  if (data === null || data === undefined) throw new Error('The API answered without data.');
  return data;
}

export function useSuppressions(search: Ref<string>, pageSize: number) {
  const filters = computed(() => ({ search: search.value.trim() || null }));
  const list = useConnectionPages<'suppressions', Suppression>(
    SUPPRESSIONS,
    'suppressions',
    pageSize,
    filters,
  );
  const { resolveClient } = useApolloClient();

  const addMutation = useMutation<{ addSuppression: Suppression }>(ADD_SUPPRESSION, options);
  const removeMutation = useMutation<{ removeSuppression: number }>(REMOVE_SUPPRESSION, options);
  const importMutation = useMutation<{ importSuppressions: SuppressionImportResult }>(
    IMPORT_SUPPRESSIONS,
    options,
  );

  return {
    ...list,
    busy: computed(() => addMutation.loading.value || removeMutation.loading.value),
    importing: importMutation.loading,
    async add(email: string, reason: string | null, channel: Channel | null): Promise<Suppression> {
      return answer((await addMutation.mutate({ email, reason, channel }))?.data?.addSuppression);
    },
    /** Removes the entry of one channel, or with no channel every entry of the address. */
    async remove(email: string, channel: Channel | null): Promise<number> {
      const variables = channel ? { email, channel } : { email };
      return answer((await removeMutation.mutate(variables))?.data?.removeSuppression);
    },
    async importCsv(csv: string): Promise<SuppressionImportResult> {
      return answer((await importMutation.mutate({ csv }))?.data?.importSuppressions);
    },
    /** The whole list as CSV text, read fresh from the API. */
    async exportCsv(): Promise<string> {
      const { data } = await resolveClient().query<{ exportSuppressions: string }>({
        query: EXPORT_SUPPRESSIONS,
        fetchPolicy: 'network-only',
      });
      return data.exportSuppressions;
    },
  };
}
