import { flushPromises, mount } from '@vue/test-utils';
import { defineComponent, h, type Ref } from 'vue';
import { createMemoryHistory, createRouter, RouterView, type Router } from 'vue-router';
import { useFiltersInQuery } from '../../src/composables/useFiltersInQuery';
import { emptyFilters, type DeliveryFilters } from '../../src/lib/delivery-filters';

let filters: Ref<DeliveryFilters>;

const LogPage = defineComponent({
  setup() {
    filters = useFiltersInQuery();
    return () => h('p', 'log');
  },
});

async function openLog(path: string): Promise<Router> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/deliveries', name: 'delivery-log', component: LogPage }],
  });
  await router.push(path);
  mount({ render: () => h(RouterView) }, { global: { plugins: [router] } });
  await flushPromises();
  return router;
}

describe('the delivery log’s filters in the address bar', () => {
  it('starts from the address', async () => {
    await openLog('/deliveries?status=FAILED&range=7d&q=order');
    expect(filters.value).toEqual({ ...emptyFilters(), status: 'FAILED', range: '7d', search: 'order' });
  });

  it('writes a change to the address, replacing the entry', async () => {
    const router = await openLog('/deliveries');
    const push = jest.spyOn(router, 'push');
    filters.value = { ...filters.value, from: '2026-12-01', to: '2026-12-07', channel: 'CRM' };
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/deliveries?channel=CRM&from=2026-12-01&to=2026-12-07');
    // Back leaves the log instead of stepping through each filter.
    expect(push).not.toHaveBeenCalled();
  });

  it('follows the address when it changes (a link, Back)', async () => {
    const router = await openLog('/deliveries?range=24h');
    await router.push('/deliveries?status=SENT');
    await flushPromises();
    expect(filters.value).toEqual({ ...emptyFilters(), status: 'SENT' });
  });
});
