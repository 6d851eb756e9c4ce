import { ApolloError } from '@apollo/client/core';
import { flushPromises, mount } from '@vue/test-utils';
import DeliveryRetention from '../../src/components/delivery-retention.vue';
import type { Settings } from '../../src/graphql/types';
import type { Locale } from '../../src/i18n';
import { logGlobals } from './log-mount-options';

const SETTINGS: Settings = { deliveryRetentionDays: 30, defaultDeliveryRetentionDays: 30 };

function mountRetention(
  save: (days: number) => Promise<Settings | null>,
  canChange = true,
  locale: Locale = 'en',
) {
  return mount(DeliveryRetention, {
    props: { settings: SETTINGS, canChange, save },
    global: logGlobals(locale),
  });
}

describe('log retention', () => {
  it.each<[Locale, Settings, string]>([
    ['en', { deliveryRetentionDays: 1, defaultDeliveryRetentionDays: 30 }, 'kept for 1 day, then'],
    ['en', { deliveryRetentionDays: 90, defaultDeliveryRetentionDays: 30 }, 'kept for 90 days, then'],
    ['tr', { deliveryRetentionDays: 90, defaultDeliveryRetentionDays: 30 }, '90 gün saklanır'],
  ])('shows the current retention with the default (%s, %j)', (locale, settings, expected) => {
    const wrapper = mount(DeliveryRetention, {
      props: { settings, canChange: false, save: jest.fn() },
      global: logGlobals(locale),
    });
    const current = wrapper.find('[data-testid="retention-current"]').text();
    expect(current).toContain(expected);
    expect(current).toContain(locale === 'en' ? '(default: 30 days)' : '(varsayılan: 30 gün)');
    // Viewers read it; only admins get the form.
    expect(wrapper.find('input').exists()).toBe(false);
  });

  it.each(['0', '3651', '7.5', 'ten', ''])(
    'refuses %j naming the field, without asking the API',
    async (value) => {
      const save = jest.fn();
      const wrapper = mountRetention(save);
      await wrapper.find('#retention-days').setValue(value);
      await wrapper.find('form').trigger('submit');
      expect(save).not.toHaveBeenCalled();
      expect(wrapper.find('#retention-days-error').text()).toBe(
        'Days to keep: enter a whole number from 1 to 3650.',
      );
      expect(wrapper.find('#retention-days').attributes('aria-invalid')).toBe('true');
    },
  );

  it('saves a whole number of days and says so', async () => {
    const save = jest.fn(async (days: number) => ({ ...SETTINGS, deliveryRetentionDays: days }));
    const wrapper = mountRetention(save);
    await wrapper.find('#retention-days').setValue(' 90 ');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(save).toHaveBeenCalledWith(90);
    expect(wrapper.find('[role="status"]').text()).toBe('Deliveries are now kept for 90 days.');
  });

  it('shows the API’s refusal of the field under it, with the field’s name', async () => {
    const refusal = new ApolloError({
      graphQLErrors: [
        {
          message: 'Invalid input.',
          extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'days', message: 'At most 3650.' }] },
        },
      ] as never,
    });
    const wrapper = mountRetention(() => Promise.reject(refusal), true, 'tr');
    await wrapper.find('#retention-days').setValue('100');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('#retention-days-error').text()).toBe('Saklanacak gün sayısı: At most 3650.');
  });
});
