import { mount } from '@vue/test-utils';
import { h } from 'vue';
import ProviderForm from '../../src/components/provider-form.vue';
import { emptyProviderForm, type ProviderFormValues } from '../../src/lib/provider-rules';
import { panelGlobals } from './mount-options';

function mountWith(initial: Partial<ProviderFormValues>) {
  return mount(ProviderForm, {
    props: {
      initial: { ...emptyProviderForm(), ...initial },
      mode: 'edit',
      passwordStored: true,
      verified: false,
      serverErrors: {},
      verification: null,
      activationFailure: null,
      verifying: false,
      saving: false,
    },
    slots: {
      inbound: ({ vendor }: { vendor: string }) => h('p', { 'data-testid': 'inbound' }, vendor),
    },
    global: panelGlobals('en'),
  });
}

describe('where the provider form places the inbound webhook', () => {
  it.each<[string, Partial<ProviderFormValues>, string | null]>([
    ['an SMTP server', { type: 'SMTP' }, null],
    ['a mail service through its relay, no vendor chosen', { type: 'API_SMTP', apiVendor: '' }, null],
    [
      'SendGrid’s HTTP API',
      { type: 'API_SMTP', apiVendor: 'SENDGRID', host: 'api.sendgrid.com' },
      'SENDGRID',
    ],
    [
      'Postmark’s relay for CRM mail',
      { type: 'CRM_API_SMTP', apiVendor: 'POSTMARK', host: 'smtp.postmarkapp.com' },
      'POSTMARK',
    ],
  ])('%s: %s', (_case, initial, vendor) => {
    const inbound = mountWith(initial).find('[data-testid="inbound"]');
    expect(inbound.exists() ? inbound.text() : null).toBe(vendor);
  });

  it('follows the vendor chosen in the form', async () => {
    const wrapper = mountWith({ type: 'API_SMTP', apiVendor: 'MAILGUN', host: 'api.mailgun.net' });
    await wrapper.get('#provider-apiVendor').setValue('RESEND');
    expect(wrapper.get('[data-testid="inbound"]').text()).toBe('RESEND');
    await wrapper.get('#provider-type').setValue('SMTP');
    expect(wrapper.find('[data-testid="inbound"]').exists()).toBe(false);
  });
});
