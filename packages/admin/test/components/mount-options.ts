import { RouterLinkStub } from '@vue/test-utils';
import { createPanelI18n, type Locale } from '../../src/i18n';
import tr from '../../src/i18n/tr';

/** What every panel component expects around it: the panel's i18n, and links that need no router. */
export function panelGlobals(locale: Locale = 'en') {
  return {
    plugins: [createPanelI18n(locale, { tr })],
    stubs: { RouterLink: RouterLinkStub },
  };
}
