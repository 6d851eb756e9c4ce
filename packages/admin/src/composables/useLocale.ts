// Switching the panel's language: remembered in the browser, and API-written texts (hints) refetched.

import { useApolloClient } from '@vue/apollo-composable';
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { LOCALE_STORAGE_KEY, LOCALES, isLocale, type Locale } from '../i18n';

export function applyDocumentLocale(locale: Locale): void {
  document.documentElement.lang = locale;
}

export function useLocale() {
  const { locale } = useI18n({ useScope: 'global' });
  const { resolveClient } = useApolloClient();

  const current = computed<Locale>(() => (isLocale(locale.value) ? locale.value : 'en'));

  async function setLocale(next: Locale): Promise<void> {
    if (next === current.value) return;
    locale.value = next;
    applyDocumentLocale(next);
    try {
      localStorage.setItem(LOCALE_STORAGE_KEY, next);
    } catch {
      // Private browsing can refuse storage; the choice then lasts for this visit only.
    }
    // Hints and warnings come from the API in the language of the request.
    await resolveClient().refetchQueries({ include: 'active' });
  }

  return { locale: current, locales: LOCALES, setLocale };
}
