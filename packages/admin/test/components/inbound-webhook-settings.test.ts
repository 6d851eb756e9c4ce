import { mount } from '@vue/test-utils';
import InboundWebhookSettings from '../../src/components/inbound-webhook-settings.vue';
import type { ApiVendor } from '../../src/graphql/types';
import type { InboundSecretChange } from '../../src/lib/vendor-webhook-setup';
import { panelGlobals } from './mount-options';

const URL_OF = (vendor: string) => `https://mail.example.com/webhooks/${vendor}/p1`;

function mountFor(vendor: ApiVendor, options: { url?: string | null; stored?: boolean } = {}) {
  const state: { value: InboundSecretChange } = { value: { secret: '', clear: false } };
  const wrapper = mount(InboundWebhookSettings, {
    props: {
      vendor,
      inboundWebhookUrl: options.url === undefined ? URL_OF(vendor.toLowerCase()) : options.url,
      secretStored: options.stored ?? false,
      modelValue: state.value,
      'onUpdate:modelValue': (value: InboundSecretChange) => {
        state.value = value;
        void wrapper.setProps({ modelValue: value });
      },
    },
    global: panelGlobals('en'),
  });
  return { wrapper, state };
}

describe('the inbound webhook of a provider', () => {
  it.each<[ApiVendor, string, boolean]>([
    ['MAILGUN', 'HTTP webhook signing key', false],
    ['SENDGRID', 'verification key', false],
    ['RESEND', 'whsec_', false],
    ['ZEPTOMAIL', 'secret key', false],
    ['POSTMARK', 'A password you choose', true],
    ['BREVO', 'A password you choose', true],
    ['SPARKPOST', 'A password you choose', true],
  ])('%s: read-only URL to copy, and what to paste (%s)', (vendor, paste, basicAuth) => {
    const { wrapper } = mountFor(vendor);
    const url = wrapper.get<HTMLInputElement>('#inbound-webhook-url');
    expect(url.element.readOnly).toBe(true);
    expect(url.element.value).toBe(URL_OF(vendor.toLowerCase()));
    expect(wrapper.get('[data-testid="inbound-instructions"]').text()).toContain(paste);
    expect(wrapper.find('[data-testid="inbound-basic-auth-url"]').exists()).toBe(basicAuth);
    if (basicAuth) {
      expect(wrapper.get('[data-testid="inbound-basic-auth-url"]').text()).toBe(
        `https://mail-providers:<password>@mail.example.com/webhooks/${vendor.toLowerCase()}/p1`,
      );
    }
  });

  it('before the first save, says the URL comes then', () => {
    const { wrapper } = mountFor('MAILGUN', { url: null });
    expect(wrapper.find('#inbound-webhook-url').exists()).toBe(false);
    expect(wrapper.text()).toContain('The address appears here once the provider is saved.');
  });

  it('keeps a stored secret write-only: replace it by typing, or remove it', async () => {
    const { wrapper, state } = mountFor('RESEND', { stored: true });
    const field = wrapper.get<HTMLInputElement>('#provider-webhookSecret');
    expect(field.element.type).toBe('password');
    expect(field.element.value).toBe('');
    expect(wrapper.text()).toContain('A secret is stored.');
    await field.setValue('whsec_bmV3LXNlY3JldA==');
    expect(state.value).toEqual({ secret: 'whsec_bmV3LXNlY3JldA==', clear: false });
    await wrapper.get('#provider-clearWebhookSecret').setValue(true);
    expect(state.value).toEqual({ secret: '', clear: true });
    expect(wrapper.get<HTMLInputElement>('#provider-webhookSecret').element.disabled).toBe(true);
  });

  it('without a secret, says posts are refused until one is saved', () => {
    const { wrapper } = mountFor('MAILGUN');
    expect(wrapper.find('#provider-clearWebhookSecret').exists()).toBe(false);
    expect(wrapper.text()).toContain(
      'No secret is stored: posts from Mailgun are refused until one is saved.',
    );
  });
});
