// The notification endpoints and what an administrator does to them, each change followed by a fresh list.

import { useMutation, useQuery } from '@vue/apollo-composable';
import { computed } from 'vue';
import type {
  WebhookAttempt,
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookEndpointUpdateInput,
  WebhookSecretShown,
} from '../graphql/types';
import {
  CREATE_WEBHOOK_ENDPOINT,
  DELETE_WEBHOOK_ENDPOINT,
  ROTATE_WEBHOOK_SECRET,
  SEND_TEST_WEBHOOK,
  UPDATE_WEBHOOK_ENDPOINT,
  WEBHOOK_ENDPOINTS,
} from '../graphql/webhooks';

const REFRESHED = ['WebhookEndpoints', 'WebhookDeliveries'];
const options = { throws: 'always' as const, refetchQueries: REFRESHED, awaitRefetchQueries: true };

function answer<T>(data: T | null | undefined): T {
  if (data === null || data === undefined) throw new Error('The API answered without data.');
  return data;
}

export function useWebhookEndpoints() {
  const { result, loading, error } = useQuery<{ webhookEndpoints: WebhookEndpoint[] }>(WEBHOOK_ENDPOINTS);
  const endpoints = computed(() => result.value?.webhookEndpoints ?? []);

  const createMutation = useMutation<{ createWebhookEndpoint: WebhookSecretShown }>(
    CREATE_WEBHOOK_ENDPOINT,
    options,
  );
  const updateMutation = useMutation<{ updateWebhookEndpoint: WebhookEndpoint }>(
    UPDATE_WEBHOOK_ENDPOINT,
    options,
  );
  const deleteMutation = useMutation<{ deleteWebhookEndpoint: boolean }>(DELETE_WEBHOOK_ENDPOINT, options);
  const rotateMutation = useMutation<{ rotateWebhookSecret: WebhookSecretShown }>(
    ROTATE_WEBHOOK_SECRET,
    options,
  );
  const testMutation = useMutation<{ sendTestWebhook: WebhookAttempt }>(SEND_TEST_WEBHOOK, options);

  return {
    endpoints,
    loading,
    error,
    busy: computed(
      () =>
        createMutation.loading.value ||
        updateMutation.loading.value ||
        deleteMutation.loading.value ||
        rotateMutation.loading.value,
    ),
    testing: testMutation.loading,
    async create(input: WebhookEndpointInput): Promise<WebhookSecretShown> {
      return answer((await createMutation.mutate({ input }))?.data?.createWebhookEndpoint);
    },
    async update(id: string, input: WebhookEndpointUpdateInput): Promise<WebhookEndpoint> {
      return answer((await updateMutation.mutate({ id, input }))?.data?.updateWebhookEndpoint);
    },
    async remove(id: string): Promise<boolean> {
      return answer((await deleteMutation.mutate({ id }))?.data?.deleteWebhookEndpoint);
    },
    async rotateSecret(id: string): Promise<WebhookSecretShown> {
      return answer((await rotateMutation.mutate({ id }))?.data?.rotateWebhookSecret);
    },
    async sendTest(id: string): Promise<WebhookAttempt> {
      return answer((await testMutation.mutate({ id }))?.data?.sendTestWebhook);
    },
  };
}
