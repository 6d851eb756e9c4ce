import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils';
import ResendDelivery from '../../src/components/resend-delivery.vue';
import { logGlobals } from './log-mount-options';

function mountResend(resend: (to: string[] | null) => Promise<string>) {
  return mount(ResendDelivery, {
    props: { recipients: ['a@example.com', 'b@example.com'], resend },
    global: logGlobals(),
  });
}

describe('Resend', () => {
  it('resends to the same recipients and links to the new delivery', async () => {
    const resend = jest.fn(async () => 'new-id');
    const wrapper = mountResend(resend);
    expect(wrapper.text()).toContain('The same recipients (a@example.com, b@example.com)');
    expect(wrapper.find('#resend-address').exists()).toBe(false);
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(resend).toHaveBeenCalledWith(null);
    const link = wrapper.findComponent(RouterLinkStub);
    expect(link.props('to')).toEqual({ name: 'delivery-detail', params: { id: 'new-id' } });
    expect(link.text()).toBe('Open the new delivery');
  });

  it.each(['', 'not-an-address', 'a@b@example.com', 'a@example.com, b@example.com'])(
    'refuses %j as the other address, naming the field',
    async (value) => {
      const resend = jest.fn(async () => 'new-id');
      const wrapper = mountResend(resend);
      await wrapper.find('input[value="other"]').setValue(true);
      await wrapper.find('#resend-address').setValue(value);
      await wrapper.find('form').trigger('submit');
      expect(resend).not.toHaveBeenCalled();
      expect(wrapper.find('#resend-address-error').text()).toMatch(/^Recipient address: /);
      expect(wrapper.find('#resend-address').attributes('aria-invalid')).toBe('true');
    },
  );

  it('resends to another address, trimmed', async () => {
    const resend = jest.fn(async () => 'new-id');
    const wrapper = mountResend(resend);
    await wrapper.find('input[value="other"]').setValue(true);
    await wrapper.find('#resend-address').setValue('  someone@example.org ');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(resend).toHaveBeenCalledWith(['someone@example.org']);
  });
});
