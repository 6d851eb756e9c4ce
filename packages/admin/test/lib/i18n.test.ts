import en from '../../src/i18n/en';
import tr from '../../src/i18n/tr';
import { createPanelI18n, initialLocale, loadLocaleMessages, LOCALE_STORAGE_KEY } from '../../src/i18n';
import { addLogMessages, LOG_MESSAGES } from '../../src/i18n/log-messages';

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : leaves(value, `${prefix}${key}.`),
  );
}

/** Every key gives a string of its own (not the key itself) with no warning or error from vue-i18n. */
function expectCompiled(global: ReturnType<typeof createPanelI18n>['global'], keys: string[]): void {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const params = { name: 'x', count: 2, max: 1, when: 'now', ms: 1, email: 'a', n: 1, id: 'i', code: 'c' };
  try {
    for (const key of keys) {
      const text = global.t(key, params, 2);
      expect(typeof text).toBe('string');
      expect(text).not.toBe(key);
    }
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  } finally {
    warn.mockRestore();
    error.mockRestore();
  }
}

describe('panel texts', () => {
  it('has every English text in Turkish too, none left empty', () => {
    expect(leaves(tr)).toEqual(leaves(en));
    const empty = [...leaves(en).map((key) => ['en', key]), ...leaves(tr).map((key) => ['tr', key])].filter(
      ([locale, key]) => {
        const text = key
          ?.split('.')
          .reduce<string | Tree | undefined>(
            (node, part) => (typeof node === 'object' ? node[part] : undefined),
            locale === 'en' ? en : tr,
          );
        return typeof text !== 'string' || text.trim() === '';
      },
    );
    expect(empty).toEqual([]);
  });

  it.each(['en', 'tr'] as const)('compiles every %s message (no stray @, | or braces)', (locale) => {
    expectCompiled(createPanelI18n(locale, { tr }).global, leaves(en));
  });

  it('loads Turkish only when it is chosen, keeping texts a page added before', async () => {
    const { global } = createPanelI18n('en');
    addLogMessages(global);
    expect(global.te('app.name', 'tr')).toBe(false);

    await expect(loadLocaleMessages(global, 'tr')).resolves.toBe(true);
    global.locale.value = 'tr';

    expect(global.t('app.name')).toBe(tr.app.name);
    expect(leaves(global.getLocaleMessage('tr'))).toEqual(expect.arrayContaining(leaves(LOG_MESSAGES.tr)));
  });

  it('has every English text of the delivery log in Turkish too', () => {
    expect(leaves(LOG_MESSAGES.tr)).toEqual(leaves(LOG_MESSAGES.en));
  });

  it.each(['en', 'tr'] as const)('compiles every %s message of the delivery log', (locale) => {
    const { global } = createPanelI18n(locale, { tr });
    addLogMessages(global);
    expectCompiled(global, leaves(LOG_MESSAGES.en));
  });

  it.each<[string, string | null, string[], string]>([
    ['the remembered choice', 'tr', ['en-GB'], 'tr'],
    ['the browser language when nothing is remembered', null, ['tr-TR', 'en'], 'tr'],
    ['the first language the panel speaks', null, ['de-DE', 'en-US', 'tr'], 'en'],
    ['English when the browser speaks neither', null, ['de-DE', 'fr'], 'en'],
    ['English over an unknown remembered value', 'xx', ['de'], 'en'],
  ])('starts in %s', (_case, stored, languages, expected) => {
    const storage = { getItem: (key: string) => (key === LOCALE_STORAGE_KEY ? stored : null) };
    expect(initialLocale(storage, languages)).toBe(expected);
  });
});
