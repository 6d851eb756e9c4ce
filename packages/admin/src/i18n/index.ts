import { createI18n } from 'vue-i18n';
import en, { type Messages } from './en';

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

/** Each language's texts: English is in the first screen's code, Turkish loads when it is chosen. */
const MESSAGES: Record<Locale, () => Promise<Messages>> = {
  en: () => Promise.resolve(en),
  tr: () => import('./tr').then((module) => module.default),
};

/** The panel's i18n, in `locale`, holding English and whatever other `messages` are given. */
export function createPanelI18n(locale: Locale, messages: Partial<Record<Locale, Messages>> = {}) {
  return createI18n<[Messages], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, ...messages } as Record<Locale, Messages>,
  });
}

/** The part of the i18n that holds the texts. */
interface MessageStore {
  te(key: string, locale: Locale): boolean;
  mergeLocaleMessage(locale: Locale, messages: Messages): void;
}

/**
 * Makes sure a language's texts are there before the panel switches to it (the first time, they load).
 * False when they could not be loaded (the server is away): the panel then stays in its language.
 */
export async function loadLocaleMessages(store: MessageStore, locale: Locale): Promise<boolean> {
  if (store.te('app.name', locale)) return true;
  try {
    store.mergeLocaleMessage(locale, await MESSAGES[locale]());
    return true;
  } catch {
    return false;
  }
}

export type PanelI18n = ReturnType<typeof createPanelI18n>;
