import { ApolloError } from '@apollo/client/core';
import { enableAutoUnmount, flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ProviderTable from '../../src/components/provider-table.vue';
import type { Provider } from '../../src/graphql/types';
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
];

function mountTable(commitOrder: (ids: string[]) => Promise<void>, providers = PROVIDERS, readOnly = false) {
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

enableAutoUnmount(afterEach);

afterEach(() => {
  document.body.innerHTML = '';
});

describe('provider table reordering', () => {
  it('lists providers in chain order with a position each', () => {
    const wrapper = mountTable(async () => {});
    expect(names(wrapper)).toEqual(['zepto', 'sendgrid', 'office']);
    expect(wrapper.findAll('.order-cell__position').map((cell) => cell.text())).toEqual(['1', '2', '3']);
  });

  it('offers move buttons that cannot move past either end', () => {
    const wrapper = mountTable(async () => {});
    expect(moveButton(wrapper, '1', 'up').attributes('disabled')).toBeDefined();
    expect(moveButton(wrapper, '1', 'down').attributes('disabled')).toBeUndefined();
    expect(moveButton(wrapper, '3', 'down').attributes('disabled')).toBeDefined();
    expect(moveButton(wrapper, '2', 'up').attributes('aria-label')).toBe('Move sendgrid up');
  });

  it('moves a row with the keyboard alternative, saves the complete order and keeps focus on it', async () => {
    const saved: string[][] = [];
    const wrapper = mountTable(async (ids) => {
      saved.push(ids);
    });
    await moveButton(wrapper, '2', 'up').trigger('click');
    await flushPromises();
    expect(saved).toEqual([['2', '1', '3']]);
    expect(names(wrapper)).toEqual(['sendgrid', 'zepto', 'office']);
    expect(wrapper.find('[aria-live="polite"]').text()).toBe('sendgrid moved to position 1.');
    // At the top now, so focus lands on the row's remaining move button.
    const focused = document.activeElement;
    expect(focused?.closest('[data-provider-id]')?.getAttribute('data-provider-id')).toBe('2');
    expect(focused?.getAttribute('data-move')).toBe('down');
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
    await moveButton(wrapper, '1', 'down').trigger('click');
    await flushPromises();
    expect(names(wrapper)).toEqual(['zepto', 'sendgrid', 'office']);
    const message = wrapper.find('[data-testid="reorder-refused"]');
    expect(message.attributes('role')).toBe('alert');
    expect(message.text()).toBe(
      'The new order was not saved, so the previous order is back. The order must name every provider exactly once.',
    );
  });

  it('disables moving while a save is in flight', async () => {
    let release: () => void = () => {};
    const wrapper = mountTable(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    await moveButton(wrapper, '1', 'down').trigger('click');
    expect(wrapper.text()).toContain('Saving the new order…');
    expect(moveButton(wrapper, '3', 'up').attributes('disabled')).toBeDefined();
    release();
    await flushPromises();
    expect(moveButton(wrapper, '3', 'up').attributes('disabled')).toBeUndefined();
  });

  it('offers neither reordering nor actions to an account that may only read', () => {
    const wrapper = mountTable(async () => {}, PROVIDERS, true);
    expect(names(wrapper)).toEqual(['zepto', 'sendgrid', 'office']);
    expect(wrapper.findAll('[data-move]')).toHaveLength(0);
    expect(wrapper.findAll('.drag-handle')).toHaveLength(0);
    expect(wrapper.findAll('.row-actions')).toHaveLength(0);
  });

  it('offers a drag handle per row, named for the provider', () => {
    const wrapper = mountTable(async () => {});
    const handles = wrapper.findAll('.drag-handle');
    expect(handles).toHaveLength(3);
    expect(handles[0]?.attributes('aria-label')).toBe('Drag zepto to reorder');
  });
});

describe('provider table cells', () => {
  it('shows verification, health with the last failure and its hint', () => {
    const failing = provider('9', 'flaky', {
      verifiedAt: null,
      lastVerification: {
        ok: false,
        checkedAt: new Date().toISOString(),
        durationMs: 12,
        warnings: [],
        failure: {
          category: 'AUTH',
          smtpCode: 535,
          enhancedCode: '5.7.8',
          httpStatus: null,
          command: null,
          vendorCode: null,
          possibleDuplicate: null,
          message: 'Authentication failed',
          hint: 'Check Username and Password.',
        },
      },
      health: {
        state: 'OPEN',
        consecutiveFailures: 3,
        lastFailureAt: new Date().toISOString(),
        openUntil: new Date(Date.now() + 30_000).toISOString(),
        cooldownUntil: null,
        lastFailure: {
          category: 'CONNECTION',
          smtpCode: null,
          enhancedCode: null,
          httpStatus: null,
          command: null,
          vendorCode: null,
          possibleDuplicate: null,
          message: 'connect ECONNREFUSED',
          hint: 'Check SMTP Host and Port.',
        },
      },
    });
    const wrapper = mountTable(async () => {}, [failing]);
    const verification = wrapper.find('[data-testid="provider-verification"]').text();
    expect(verification).toContain('Last check failed');
    expect(verification).toContain('Check Username and Password.');
    const health = wrapper.find('[data-testid="provider-health"]').text();
    expect(health).toContain('Paused (circuit open)');
    expect(health).toContain('3 failures in a row');
    expect(health).toContain('Connection failed');
    expect(health).toContain('Check SMTP Host and Port.');
  });

  it('keeps relative times and a cooldown current while it stays on screen', async () => {
    jest.useFakeTimers();
    try {
      const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
      const limited = provider('7', 'limited', {
        verifiedAt: ago(45_000),
        health: {
          ...provider('7', 'limited').health,
          cooldownUntil: new Date(Date.now() + 15_000).toISOString(),
        },
      });
      const wrapper = mountTable(async () => {}, [limited]);
      const verification = () => wrapper.find('[data-testid="provider-verification"]').text();
      const health = () => wrapper.find('[data-testid="provider-health"]').text();
      expect(verification()).toContain('Verified 45 seconds ago');
      expect(health()).toContain('Rate limited');
      jest.advanceTimersByTime(20_000);
      await flushPromises();
      expect(verification()).toContain('Verified 1 minute ago');
      expect(health()).not.toContain('Rate limited');
    } finally {
      jest.useRealTimers();
    }
  });
});
