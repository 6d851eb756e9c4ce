import { useMutation } from '@vue/apollo-composable';
import { SEND_TEST_EMAIL } from '../graphql/test-email';
import type { Channel, TestEmailResult } from '../graphql/types';
import { PROVIDER_QUERIES } from './useProviders';

export interface TestEmailRequest {
  to: string;
  /** One provider alone (no fallback); without it the chain of `channel` is walked. */
  providerId?: string;
  channel?: Channel;
}

export function useSendTestEmail() {
  const { mutate, loading } = useMutation<{ sendTestEmail: TestEmailResult }>(SEND_TEST_EMAIL, {
    throws: 'always',
    // The provider list shows each provider's last test.
    refetchQueries: PROVIDER_QUERIES,
  });

  async function send(request: TestEmailRequest): Promise<TestEmailResult | null> {
    const result = await mutate({
      to: request.to,
      providerId: request.providerId ?? null,
      // The API's argument is non-null with a default; with a provider it is not used.
      channel: request.channel ?? 'DEFAULT',
    });
    return result?.data?.sendTestEmail ?? null;
  }

  return { send, sending: loading };
}
