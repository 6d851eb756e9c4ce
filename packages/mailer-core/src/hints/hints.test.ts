import { buildHint, HINT_CATALOGS, HINT_KEYS } from './index';

describe('hint catalogs', () => {
  it('have the same keys in English and Turkish', () => {
    expect(Object.keys(HINT_CATALOGS.tr).sort()).toEqual(Object.keys(HINT_CATALOGS.en).sort());
    expect(HINT_KEYS.length).toBeGreaterThan(40);
  });

  it.each(HINT_KEYS.map((key) => [key]))('%s reads in both languages and quotes the evidence code', (key) => {
    const hint = buildHint(key, { code: 'X-CODE-42' });
    expect(hint.en.trim().length).toBeGreaterThan(20);
    expect(hint.tr.trim().length).toBeGreaterThan(20);
    expect(hint.tr).not.toEqual(hint.en);
    expect(hint.en).toContain('X-CODE-42');
    expect(hint.tr).toContain('X-CODE-42');
  });
});
