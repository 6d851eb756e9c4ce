import { addLogMessages } from '../../src/i18n/log-messages';
import type { Locale } from '../../src/i18n';
import { panelGlobals } from './mount-options';

/** What the delivery log's components expect around them: the panel's globals, with the log's texts. */
export function logGlobals(locale: Locale = 'en') {
  const globals = panelGlobals(locale);
  for (const i18n of globals.plugins) addLogMessages(i18n.global);
  return globals;
}
