import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { GraphQLError } from 'graphql';
import { ApolloError } from '@apollo/client/core';
import WebhookEndpointDialog from '../../src/components/webhook-endpoint-dialog.vue';
import { EVENT_TYPES, type WebhookEndpoint, type WebhookEndpointInput } from '../../src/graphql/types';
import type { Locale } from '../../src/i18n';
import { supportDialogs } from './dialog-support';
import { panelGlobals } from './mount-options';

supportDialogs();
enableAutoUnmount(afterEach);

afterEach(() => {
  document.body.innerHTML = '';
});

const EXISTING: WebhookEndpoint = {
  id: 'e1',
  url: 'mailto:ops@example.com,oncall@example.com',
  description: 'On-call',
  eventTypes: ['PROVIDER_PAUSED', 'FALLBACK_USED'],
  format: 'EMAIL',
  enabled: true,
  language: 'tr',
  createdAt: '2026-12-07T10:00:00Z',
  failingSince: null,
  disabledReason: null,
  lastDelivery: null,
};

async function open(
  endpoint: WebhookEndpoint | null,
  save: (input: WebhookEndpointInput) => Promise<void>,
  locale: Locale = 'en',
) {
  const wrapper = mount(WebhookEndpointDialog, {
    props: { open: false, endpoint, save },
    global: panelGlobals(locale),
    attachTo: document.body,
  });
  await wrapper.setProps({ open: true });
  await flushPromises();
  return wrapper;
}

describe('the endpoint dialog', () => {
  it('opens on its first field with every event chosen, and sends a signed webhook', async () => {
    const save = jest.fn((_input: WebhookEndpointInput) => Promise.resolve());
    const wrapper = await open(null, save);
    expect(document.activeElement?.id).toBe('endpoint-format-STANDARD');
    expect(wrapper.find('#endpoint-language').exists()).toBe(false);
    await wrapper.get('#endpoint-url').setValue('https://hooks.example.com/mail');
    await wrapper.get('#endpoint-description').setValue('Order service');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(save).toHaveBeenCalledTimes(1);
    expect(save.mock.calls[0]?.[0]).toMatchObject({
      url: 'https://hooks.example.com/mail',
      format: 'STANDARD',
      description: 'Order service',
      enabled: true,
    });
    expect(save.mock.calls[0]?.[0].eventTypes).toEqual([...EVENT_TYPES]);
  });

  it.each<[Locale, string]>([
    [
      'en',
      'Email alerts are sent through your providers; when no provider works, they cannot arrive — add a webhook or Slack channel too.',
    ],
    [
      'tr',
      'E-posta uyarıları sağlayıcılarınız üzerinden gönderilir; hiçbir sağlayıcı çalışmadığında ulaşamazlar — bir webhook ya da Slack kanalı da ekleyin.',
    ],
  ])(
    'for email in %s, takes addresses, a language, and says when they cannot arrive',
    async (locale, warning) => {
      const save = jest.fn((_input: WebhookEndpointInput) => Promise.resolve());
      const wrapper = await open(null, save, locale);
      await wrapper.get('#endpoint-format-EMAIL').setValue(true);
      expect(wrapper.get('[data-testid="email-warning"]').text()).toBe(warning);
      expect(wrapper.find('#endpoint-url').exists()).toBe(false);
      await wrapper.get('#endpoint-addresses').setValue('ops@example.com\noncall@example.com');
      await wrapper.get('#endpoint-language').setValue('tr');
      await wrapper.get('form').trigger('submit');
      await flushPromises();
      expect(save.mock.calls[0]?.[0]).toMatchObject({
        url: 'mailto:ops@example.com,oncall@example.com',
        format: 'EMAIL',
        language: 'tr',
      });
    },
  );

  it('selects and clears a whole group, half-checking it in between', async () => {
    const save = jest.fn((_input: WebhookEndpointInput) => Promise.resolve());
    const wrapper = await open(EXISTING, save);
    const providerAll = wrapper.get<HTMLInputElement>('#endpoint-events-provider-all');
    const deliveryAll = wrapper.get<HTMLInputElement>('#endpoint-events-delivery-all');
    expect(providerAll.element.indeterminate).toBe(true);
    expect(deliveryAll.element.checked).toBe(false);
    await deliveryAll.setValue(true);
    await providerAll.setValue(true);
    expect(providerAll.element.checked).toBe(true);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(save.mock.calls[0]?.[0].eventTypes).toEqual([...EVENT_TYPES]);
    expect(save.mock.calls[0]?.[0].url).toBe('mailto:ops@example.com,oncall@example.com');
  });

  it('names what to fix before sending anything', async () => {
    const save = jest.fn((_input: WebhookEndpointInput) => Promise.resolve());
    const wrapper = await open(null, save);
    await wrapper.get('#endpoint-events-delivery-all').setValue(false);
    await wrapper.get('#endpoint-events-provider-all').setValue(false);
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(save).not.toHaveBeenCalled();
    expect(wrapper.text()).toContain('URL: enter the address that receives the events.');
    expect(wrapper.text()).toContain('Events: choose at least one event.');
    expect(wrapper.get('#endpoint-url').attributes('aria-invalid')).toBe('true');
  });

  it('shows the field the API refused at that field', async () => {
    const refusal = new ApolloError({
      graphQLErrors: [
        new GraphQLError('Check the fields.', {
          extensions: {
            code: 'BAD_USER_INPUT',
            fields: [
              { field: 'input.url', message: 'URL: this host is not allowed by the outbound policy.' },
            ],
          },
        }),
      ],
    });
    const wrapper = await open(null, () => Promise.reject(refusal));
    await wrapper.get('#endpoint-url').setValue('https://10.0.0.1/hook');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('#endpoint-url-error').text()).toBe(
      'URL: this host is not allowed by the outbound policy.',
    );
  });
});
