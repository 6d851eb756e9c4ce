import { ApolloError } from '@apollo/client/core';
import { enableAutoUnmount, flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ProviderTable from '../../src/components/provider-table.vue';
import type { Provider } from '../../src/graphql/types';
import type { OrderChange } from '../../src/lib/reorder';
import { panelGlobals } from './mount-options';

function provider(id: string, name: string, overrides: Partial<Provider> = {}): Provider {
  const now = new Date().toISOString();
  return {
    id,
    type: 'SMTP',
    name,
    apiVendor: null,
    host: `${name}.example.com`,
    port: 587,
    username: 'mailer',
    passwordSet: true,
    authMethod: 'PASSWORD',
    oauth: null,
    encryption: 'STARTTLS',
    fromEmail: 'noreply@example.com',
    fromName: 'Example',
    serviceType: 'PRIMARY',
    status: 'ACTIVE',
    priority: 1,
    channel: 'DEFAULT',
    verifiedAt: now,
    lastVerification: null,
    lastTestEmail: null,
    health: {
      state: 'CLOSED',
      consecutiveFailures: 0,
      lastFailureAt: null,
      lastFailure: null,
      openUntil: null,
      cooldownUntil: null,
    },
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

const PROVIDERS = [
  provider('1', 'zepto'),
  provider('2', 'sendgrid', { serviceType: 'FALLBACK' }),
  provider('3', 'office', { serviceType: 'FALLBACK', status: 'INACTIVE', verifiedAt: null }),
  provider('4', 'backup', { serviceType: 'FALLBACK' }),
  provider('5', 'crm-zepto', { type: 'CRM_API_SMTP', channel: 'CRM', apiVendor: 'ZEPTOMAIL' }),
];

function mountTable(
  commitOrder: (change: OrderChange) => Promise<void>,
  providers = PROVIDERS,
  readOnly = false,
) {
  return mount(ProviderTable, {
    props: { providers, commitOrder, readOnly },
    global: panelGlobals(),
    attachTo: document.body,
  });
}

function names(wrapper: VueWrapper): string[] {
  return wrapper.findAll('[data-testid="provider-name"]').map((link) => link.text());
}

function moveButton(wrapper: VueWrapper, id: string, direction: 'up' | 'down') {
  return wrapper.find(`[data-provider-id="${id}"] [data-move="${direction}"]`);
}

function action(wrapper: VueWrapper, id: string, name: string) {
  return wrapper.find(`[data-provider-id="${id}"] [data-action="${name}"]`);
}

function positions(wrapper: VueWrapper): string[] {
  return wrapper.findAll('[data-testid="chain-position"]').map((cell) => cell.text());
}

enableAutoUnmount(afterEach);

afterEach(() => {
  document.body.innerHTML = '';
  jest.useRealTimers();
});

describe('provider list as the chain', () => {
  it('groups the rows per channel and section, with the real position of each', () => {
    const wrapper = mountTable(async () => {});
    expect(wrapper.findAll('.chain-channel__title').map((title) => title.text())).toEqual([
      'Default mail',
      'CRM mail',
    ]);
    expect(names(wrapper)).toEqual(['zepto', 'sendgrid', 'office', 'backup', 'crm-zepto']);
    expect(positions(wrapper)).toEqual([
      '1st primary',
      '1st fallback',
      'Not in the chain (inactive)',
      '2nd fallback',
      '1st primary',
    ]);
    expect(wrapper.find('[data-channel="CRM"]').text()).toContain(
      'If every one of them fails, it goes on through the Default mail providers.',
    );
  });

  it('offers move buttons that stay within the section', () => {
    const wrapper = mountTable(async () => {});
    expect(moveButton(wrapper, '1', 'up').attributes('disabled')).toBeDefined();
    expect(moveButton(wrapper, '1', 'down').attributes('disabled')).toBeDefined();
    expect(moveButton(wrapper, '2', 'up').attributes('disabled')).toBeDefined();
    expect(moveButton(wrapper, '4', 'down').attributes('disabled')).toBeDefined();
    expect(moveButton(wrapper, '4', 'up').attributes('aria-label')).toBe('Move backup up');
  });

  it('coalesces quick keyboard steps into one save and keeps focus on the row', async () => {
    jest.useFakeTimers();
    const saved: OrderChange[] = [];
    const wrapper = mountTable(async (change) => {
      saved.push(change);
    });
    await moveButton(wrapper, '4', 'up').trigger('click');
    await moveButton(wrapper, '4', 'up').trigger('click');
    expect(names(wrapper)).toEqual(['zepto', 'backup', 'sendgrid', 'office', 'crm-zepto']);
    expect(wrapper.find('[aria-live="polite"].visually-hidden').text()).toBe('backup is now 1st fallback.');
    await jest.advanceTimersByTimeAsync(1000);
    expect(saved).toEqual([{ ids: ['1', '4', '2', '3', '5'], serviceTypes: [] }]);
    const focused = document.activeElement;
    expect(focused?.closest('[data-provider-id]')?.getAttribute('data-provider-id')).toBe('4');
    expect(focused?.getAttribute('data-move')).toBe('down');
  });

  it('moves a row to the bottom of its section in one action, saved at once', async () => {
    const saved: OrderChange[] = [];
    const wrapper = mountTable(async (change) => {
      saved.push(change);
    });
    await action(wrapper, '2', 'bottom').trigger('click');
    await flushPromises();
    expect(saved).toEqual([{ ids: ['1', '3', '4', '2', '5'], serviceTypes: [] }]);
    expect(positions(wrapper).slice(0, 4)).toEqual([
      '1st primary',
      'Not in the chain (inactive)',
      '1st fallback',
      '2nd fallback',
    ]);
  });

  it('makes a primary the first fallback, saving the order and the tier together', async () => {
    const saved: OrderChange[] = [];
    const wrapper = mountTable(async (change) => {
      saved.push(change);
    });
    expect(action(wrapper, '1', 'switchTier').text()).toBe('Make fallback');
    await action(wrapper, '1', 'switchTier').trigger('click');
    await flushPromises();
    expect(saved).toEqual([
      { ids: ['1', '2', '3', '4', '5'], serviceTypes: [{ id: '1', serviceType: 'FALLBACK' }] },
    ]);
    expect(positions(wrapper).slice(0, 4)).toEqual([
      '1st fallback',
      '2nd fallback',
      'Not in the chain (inactive)',
      '3rd fallback',
    ]);
    expect(wrapper.find('[data-section="DEFAULT-PRIMARY"]').text()).toContain('No primary provider.');
  });

  it('puts the order back and says why when the API refuses', async () => {
    const refusal = new ApolloError({
      graphQLErrors: [
        {
          message: 'The order must name every provider exactly once.',
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
    const wrapper = mountTable(() => Promise.reject(refusal));
    await action(wrapper, '2', 'switchTier').trigger('click');
    await flushPromises();
    expect(names(wrapper)).toEqual(['zepto', 'sendgrid', 'office', 'backup', 'crm-zepto']);
    expect(positions(wrapper)[1]).toBe('1st fallback');
    const message = wrapper.find('[data-testid="reorder-refused"]');
    expect(message.attributes('role')).toBe('alert');
    expect(message.text()).toBe(
      'The new order was not saved, so the previous order is back. The order must name every provider exactly once.',
    );
  });

  it('filters by name, host, type or vendor, counts the matches and says when none match', async () => {
    const wrapper = mountTable(async () => {});
    const search = wrapper.find('input[type="search"]');
    await search.setValue('zeptomail');
    expect(names(wrapper)).toEqual(['crm-zepto']);
    expect(wrapper.find('#provider-search-count').text()).toBe('1 of 5 providers matches');
    expect(wrapper.findAll('[data-move]')).toHaveLength(0);
    await search.setValue('backup.example');
    expect(names(wrapper)).toEqual(['backup']);
    await search.setValue('nothing-like-this');
    expect(names(wrapper)).toEqual([]);
    expect(wrapper.find('[data-testid="search-empty"]').text()).toContain(
      'No provider matches “nothing-like-this”.',
    );
  });

  it('shows no health for inactive or unused providers, and folds a recovered failure away', () => {
    const recovered = provider('6', 'recovered', {
      health: {
        state: 'CLOSED',
        consecutiveFailures: 0,
        lastFailureAt: new Date().toISOString(),
        lastFailure: {
          category: 'CONNECTION',
          smtpCode: null,
          enhancedCode: null,
          httpStatus: null,
          command: 'CONN',
          vendorCode: null,
          possibleDuplicate: null,
          message: 'connect ECONNREFUSED',
          hint: 'Check the host.',
        },
        openUntil: null,
        cooldownUntil: null,
      },
    });
    const wrapper = mountTable(async () => {}, [...PROVIDERS, recovered]);
    const health = (id: string) => wrapper.find(`[data-provider-id="${id}"] [data-testid="provider-health"]`);
    expect(health('3').text()).toBe('—');
    expect(health('1').text()).toBe('Healthy');
    expect(health('6').text()).toContain('Recovered');
    expect(health('6').find('details').attributes('open')).toBeUndefined();
  });

  it('offers neither reordering nor actions to an account that may only read', () => {
    const wrapper = mountTable(async () => {}, PROVIDERS, true);
    expect(names(wrapper)).toHaveLength(5);
    expect(wrapper.findAll('[data-move]')).toHaveLength(0);
    expect(wrapper.findAll('.drag-handle')).toHaveLength(0);
    expect(wrapper.findAll('.row-actions')).toHaveLength(0);
  });

  it('offers the main action on the row and the rest behind More', async () => {
    const wrapper = mountTable(async () => {});
    expect(action(wrapper, '3', 'toggleStatus').text()).toBe('Activate');
    expect(action(wrapper, '1', 'test').text()).toBe('Test');
    const more = wrapper.find('[data-provider-id="1"] .row-menu > button');
    expect(more.attributes('aria-label')).toBe('More actions for zepto');
    expect(more.attributes('aria-expanded')).toBe('false');
    await more.trigger('click');
    expect(more.attributes('aria-expanded')).toBe('true');
    await action(wrapper, '1', 'verify').trigger('click');
    expect(wrapper.emitted('verify')?.[0]?.[0]).toMatchObject({ id: '1' });
    expect(more.attributes('aria-expanded')).toBe('false');
  });
});
