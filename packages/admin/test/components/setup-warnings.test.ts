import { enableAutoUnmount, mount } from '@vue/test-utils';
import SetupWarnings from '../../src/components/setup-warnings.vue';
import type { Provider } from '../../src/graphql/types';
import type { ChannelWarning } from '../../src/lib/chain';
import { panelGlobals } from './mount-options';

enableAutoUnmount(afterEach);

const provider = (id: string, name: string) => ({ id, name, lastTestEmail: null }) as unknown as Provider;
const PROVIDERS = [provider('a', 'alpha'), provider('b', 'bravo'), provider('c', 'charlie')];
const untested = (id: string): ChannelWarning => ({
  code: 'NOT_TESTED_SINCE_CHANGE',
  severity: 'WARNING',
  channel: 'DEFAULT',
  providerId: id,
  message: `"${id}" is active but no test email has gone through it`,
});
const crmNote: ChannelWarning = {
  code: 'NO_ACTIVE_PRIMARY',
  severity: 'INFO',
  channel: 'CRM',
  providerId: null,
  message: 'The CRM channel has no active CRM provider, so CRM mail goes through the DEFAULT chain',
};

function mountWarnings(warnings: ChannelWarning[], locale: 'en' | 'tr' = 'en') {
  return mount(SetupWarnings, {
    props: { warnings, providers: PROVIDERS, chains: { DEFAULT: [], CRM: [] } },
    global: panelGlobals(locale),
  });
}

describe('setup warnings', () => {
  it('folds several warnings of a kind into one line with a count and Test all', async () => {
    const wrapper = mountWarnings([untested('a'), crmNote, untested('b'), untested('c')]);
    const lines = wrapper.findAll('.warning-item');
    expect(lines).toHaveLength(2);
    const summary = wrapper.find('[data-code="NOT_TESTED_SINCE_CHANGE"]');
    expect(summary.find('[data-testid="warning-summary"]').text()).toBe(
      '3 providers not tested since their last change',
    );
    expect(summary.findAll('details li').map((item) => item.text())).toEqual([
      expect.stringContaining(
        '“alpha” is active but has sent no test email since its settings last changed.',
      ),
      expect.stringContaining('“bravo”'),
      expect.stringContaining('“charlie”'),
    ]);
    await summary
      .findAll('button')
      .find((button) => button.text() === 'Test all')
      ?.trigger('click');
    expect(wrapper.emitted('testAll')).toEqual([[['a', 'b', 'c']]]);
  });

  it.each([
    ['en', 'CRM mail has no active CRM provider of its own, so it goes through the Default mail providers.'],
    ['tr', 'CRM e-postasının kendine ait aktif CRM sağlayıcısı yok'],
  ] as const)('says a single warning in plain words (%s), without internal codes', (locale, expected) => {
    const wrapper = mountWarnings([crmNote], locale);
    const text = wrapper.find('[data-code="NO_ACTIVE_PRIMARY"] .warning-item__text').text();
    expect(text).toContain(expected);
    expect(text).not.toMatch(/DEFAULT|CRM_API_SMTP|PRIMARY/);
  });
});
