// Texts only the delivery log and a delivery's detail use. The pages add them to the panel's messages when
// they load, so the first screen does not carry them.

import { useI18n } from 'vue-i18n';
import type { Locale } from './index';
import logEn, { type LogMessages } from './log-en';
import logTr from './log-tr';

export const LOG_MESSAGES: Record<Locale, LogMessages> = { en: logEn, tr: logTr };

/** Merges the log's texts into the panel's messages, in every language, so switching keeps working. */
export function addLogMessages(i18n: {
  mergeLocaleMessage(locale: string, messages: LogMessages): void;
}): void {
  for (const [locale, messages] of Object.entries(LOG_MESSAGES)) i18n.mergeLocaleMessage(locale, messages);
}

/** For a page's setup: the log's texts, before any of its components renders. */
export function useLogMessages(): void {
  addLogMessages(useI18n({ useScope: 'global' }));
}
