// The line under a page's header that says how its last action went (see PageNotices).

import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { toApiProblem } from '../lib/api-error';
import { problemText } from '../lib/problem-text';

export interface PageMessage {
  kind: 'success' | 'error';
  text: string;
}

export function usePageMessage() {
  const { t } = useI18n();
  const message = ref<PageMessage | null>(null);
  return {
    message,
    clear(): void {
      message.value = null;
    },
    succeed(text: string): void {
      message.value = { kind: 'success', text };
    },
    /** Says why an action failed, from whatever its call threw. */
    fail(caught: unknown): void {
      message.value = { kind: 'error', text: problemText(toApiProblem(caught), t) };
    },
  };
}
