// The panel's language: remembered in this browser and, once signed in, on the account (me.locale),
// because the API writes hints and warnings in the account's language.

import type { ApolloClient } from '@apollo/client/core';
import { useApolloClient } from '@vue/apollo-composable';
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { SET_MY_LOCALE } from '../graphql/auth';
import { LOCALE_STORAGE_KEY, LOCALES, isLocale, loadLocaleMessages, type Locale } from '../i18n';
import { useAuth } from './useAuth';

/** Set when the language was picked before signing in; the sign-in then carries it to the account. */
let pickedBeforeSignIn = false;

export function applyDocumentLocale(locale: Locale): void {
  document.documentElement.lang = locale;
}

function remember(locale: Locale): void {
  applyDocumentLocale(locale);
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // Private browsing can refuse storage; the choice then lasts for this visit only.
  }
}

/** The panel's i18n (its global composer), as far as switching language needs it. */
type PanelLanguage = Parameters<typeof loadLocaleMessages>[0] & { locale: { value: string } };

/**
 * After a session is found or a sign-in succeeds: a language picked on the sign-in page goes to the
 * account; otherwise the account's language (set in any browser) wins.
 */
export async function syncLocaleWithAccount(
  client: ApolloClient<unknown>,
  language: PanelLanguage,
  accountLocale: string,
): Promise<void> {
  const current = language.locale;
  if (pickedBeforeSignIn && isLocale(current.value)) {
    pickedBeforeSignIn = false;
    if (current.value !== accountLocale) {
      await client
        .mutate({ mutation: SET_MY_LOCALE, variables: { locale: current.value } })
        .catch(() => undefined);
    }
    return;
  }
  if (isLocale(accountLocale) && accountLocale !== current.value) {
    if (!(await loadLocaleMessages(language, accountLocale))) return;
    current.value = accountLocale;
    remember(accountLocale);
  }
}

export function useLocale() {
  const language = useI18n({ useScope: 'global' });
  const { locale } = language;
  const { resolveClient } = useApolloClient();
  const auth = useAuth();

  const current = computed<Locale>(() => (isLocale(locale.value) ? locale.value : 'en'));

  async function setLocale(next: Locale): Promise<void> {
    if (next === current.value) return;
    if (!(await loadLocaleMessages(language, next))) return;
    locale.value = next;
    remember(next);
    if (!auth.user.value) {
      pickedBeforeSignIn = true;
      return;
    }
    const client = resolveClient();
    // The API writes hints in the account's language: change it there, then reload what is on screen.
    await client.mutate({ mutation: SET_MY_LOCALE, variables: { locale: next } }).catch(() => undefined);
    await client.refetchQueries({ include: 'active' });
  }

  return { locale: current, locales: LOCALES, setLocale };
}
