import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import DeliveryFilterForm from '../../src/components/delivery-filter-form.vue';
import { dayOf, emptyFilters, type DeliveryFilters } from '../../src/lib/delivery-filters';
import { logGlobals } from './log-mount-options';

function mountForm(initial: Partial<DeliveryFilters> = {}) {
  const wrapper = mount(DeliveryFilterForm, {
    props: {
      modelValue: { ...emptyFilters(), ...initial },
      'onUpdate:modelValue': (value: DeliveryFilters) => wrapper.setProps({ modelValue: value }),
      providers: [{ id: 'p1', name: 'primary' }],
    },
    global: logGlobals(),
  });
  return wrapper;
}

const model = (wrapper: ReturnType<typeof mountForm>) => wrapper.props('modelValue') as DeliveryFilters;
const pick = (wrapper: ReturnType<typeof mountForm>, name: string) =>
  wrapper.findAll('button').find((button) => button.text() === name);

describe('delivery log filters', () => {
  it('picks a quick range, shows it pressed and as days, and unpicks it', async () => {
    const wrapper = mountForm();
    const week = pick(wrapper, 'Last 7 days');
    expect(week?.attributes('aria-pressed')).toBe('false');
    await week?.trigger('click');
    expect(model(wrapper)).toMatchObject({ range: '7d', from: '', to: '' });
    expect(week?.attributes('aria-pressed')).toBe('true');
    expect((wrapper.get('#filter-to').element as HTMLInputElement).value).toBe(dayOf(new Date()));
    await week?.trigger('click');
    expect(model(wrapper).range).toBe('');
  });

  it('turns a quick pick into chosen days when one of its days is changed', async () => {
    const wrapper = mountForm({ range: '30d' });
    await wrapper.get('#filter-from').setValue('2026-01-05');
    expect(model(wrapper)).toMatchObject({ range: '', from: '2026-01-05', to: dayOf(new Date()) });
  });

  it('says when the last day comes before the first, on the field', async () => {
    const wrapper = mountForm({ from: '2026-12-07' });
    await wrapper.get('#filter-to').setValue('2026-12-01');
    const to = wrapper.get('#filter-to');
    expect(to.attributes('aria-invalid')).toBe('true');
    expect(wrapper.get(`#${to.attributes('aria-describedby')}`).text()).toMatch(/^To: /);
  });

  it('sets a status and resets every filter', async () => {
    const wrapper = mountForm({ range: '24h', providerId: 'p1' });
    await wrapper.get('#filter-status').setValue('FAILED');
    expect(model(wrapper)).toMatchObject({ status: 'FAILED', range: '24h', providerId: 'p1' });
    await pick(wrapper, 'Reset')?.trigger('click');
    expect(model(wrapper)).toEqual(emptyFilters());
  });

  it('filters by words after a pause in typing, not on every key', async () => {
    jest.useFakeTimers();
    try {
      const wrapper = mountForm();
      await wrapper.get('#filter-search').setValue('ord');
      await wrapper.get('#filter-search').setValue('order 7');
      jest.advanceTimersByTime(299);
      expect(model(wrapper).search).toBe('');
      jest.advanceTimersByTime(1);
      await nextTick();
      expect(model(wrapper).search).toBe('order 7');
    } finally {
      jest.useRealTimers();
    }
  });
});
