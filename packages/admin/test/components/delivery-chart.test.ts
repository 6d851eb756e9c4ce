import { mount } from '@vue/test-utils';
import DeliveryChart from '../../src/components/delivery-chart.vue';
import type { Locale } from '../../src/i18n';
import type { DeliveryStats } from '../../src/lib/delivery-stats';
import { logGlobals } from './log-mount-options';

// jsdom draws no canvas: the chart library is replaced by a component that only takes what it is given.
jest.mock('vue-chartjs', () => {
  const { defineComponent, h } = jest.requireActual<typeof import('vue')>('vue');
  return {
    Bar: defineComponent({
      name: 'Bar',
      props: ['data', 'options', 'ariaLabel'],
      // As vue-chartjs renders it: the canvas is an image named by ariaLabel.
      render() {
        return h('canvas', { role: 'img', 'aria-label': this.ariaLabel as string });
      },
    }),
  };
});

const STATS: DeliveryStats = {
  buckets: ['2026-03-10T13:00:00.000Z', '2026-03-10T14:00:00.000Z'],
  series: [
    { provider: 'fallback', sent: [0, 3], failed: [0, 0] },
    { provider: 'primary', sent: [4, 1], failed: [1, 2] },
  ],
};

function mountChart(locale: Locale = 'en') {
  return mount(DeliveryChart, {
    props: { stats: STATS, period: 'hour' },
    global: logGlobals(locale),
    attachTo: document.body,
  });
}

describe('delivery chart', () => {
  it.each<[Locale, string]>([
    [
      'en',
      'Sent and failed attempts per provider, last 24 hours, per hour: fallback 3 sent, 0 failed; primary 5 sent, 3 failed.',
    ],
    [
      'tr',
      'Sağlayıcı bazında gönderilen ve başarısız denemeler, son 24 saat, saatlik: fallback 3 gönderildi, 0 başarısız; primary 5 gönderildi, 3 başarısız.',
    ],
  ])('names the canvas with a sentence of the totals (%s)', (locale, summary) => {
    const canvas = mountChart(locale).find('canvas');
    expect(canvas.attributes('role')).toBe('img');
    expect(canvas.attributes('aria-label')).toBe(summary);
  });

  it('opens and closes the table of the same figures with a button', async () => {
    const wrapper = mountChart();
    const toggle = wrapper.get('button[aria-controls="chart-data"]');
    const table = wrapper.get('#chart-data');
    expect(toggle.attributes('aria-expanded')).toBe('false');
    expect(table.isVisible()).toBe(false);
    await toggle.trigger('click');
    expect(toggle.attributes('aria-expanded')).toBe('true');
    expect(toggle.text()).toBe('Hide the table');
    expect(table.isVisible()).toBe(true);
    const rows = table.findAll('tbody tr').map((row) => row.findAll('th, td').map((cell) => cell.text()));
    expect(rows.map((row) => row.slice(1))).toEqual([
      ['0', '0', '4', '1'],
      ['3', '0', '1', '2'],
    ]);
    await toggle.trigger('click');
    expect(table.isVisible()).toBe(false);
  });

  it('gives sent and failed different colour families, and failed an outline', () => {
    const bar = mountChart().findComponent({ name: 'Bar' });
    const datasets = bar.props('data').datasets as Array<Record<string, unknown>>;
    const sent = datasets.filter((_, index) => index % 2 === 0);
    const failed = datasets.filter((_, index) => index % 2 === 1);
    // Blues for sent, oranges for failed: hue alone tells them apart for red-green colour blindness too.
    for (const dataset of sent) expect(dataset.backgroundColor).toMatch(/^#(0072b2|1c3f7c|3b78c2|00508a)$/);
    for (const dataset of failed) {
      expect(dataset.borderColor).toMatch(/^#(d55e00|9a3b00|b35900|7a2e00)$/);
      expect(dataset.borderWidth).toBe(2);
    }
    expect(datasets.map((dataset) => dataset.label)).toEqual([
      'fallback sent',
      'fallback failed',
      'primary sent',
      'primary failed',
    ]);
  });
});
