import { createI18n } from 'vue-i18n';
import en, { type Messages } from './en';
import tr from './tr';

export type Locale = 'en' | 'tr';
export const LOCALES: readonly Locale[] = ['en', 'tr'];
export const LOCALE_STORAGE_KEY = 'mail-providers.locale';

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'tr';
}

/** The remembered choice, else the browser's language when the panel speaks it, else English. */
export function initialLocale(
  storage: Pick<Storage, 'getItem'> | undefined,
  languages: readonly string[],
): Locale {
  const stored = storage?.getItem(LOCALE_STORAGE_KEY);
  if (isLocale(stored)) return stored;
  const preferred = languages.map((language) => language.slice(0, 2).toLowerCase()).find(isLocale);
  return preferred ?? 'en';
}

export function createPanelI18n(locale: Locale) {
  return createI18n<[Messages], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, tr },
  });
}

export type PanelI18n = ReturnType<typeof createPanelI18n>;
