import { enableAutoUnmount, mount } from '@vue/test-utils';
import ProviderDeleteDialog from '../../src/components/provider-delete-dialog.vue';
import type { Provider } from '../../src/graphql/types';
import { panelGlobals } from './mount-options';

enableAutoUnmount(afterEach);

beforeAll(() => {
  // jsdom has no modal dialogs.
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});

const provider = (
  id: string,
  serviceType: 'PRIMARY' | 'FALLBACK',
  status: 'ACTIVE' | 'INACTIVE' = 'ACTIVE',
) => ({ id, name: id, channel: 'DEFAULT', serviceType, status }) as unknown as Provider;

describe('the delete dialog', () => {
  it.each([
    [
      [provider('zepto', 'PRIMARY'), provider('sendgrid', 'FALLBACK')],
      'zepto',
      'zepto is the last active primary of Default mail. After deleting it, that mail goes straight to its fallback.',
    ],
    [
      [provider('zepto', 'PRIMARY')],
      'zepto',
      'zepto is the only active provider. Deleting it stops all mail',
    ],
    [
      [provider('zepto', 'PRIMARY'), provider('office', 'FALLBACK', 'INACTIVE')],
      'office',
      'office is inactive, so no mail goes through it now.',
    ],
  ])('explains what deleting it breaks before it asks', async (providers, id, expected) => {
    const target = providers.find((candidate) => candidate.id === id) ?? null;
    const wrapper = mount(ProviderDeleteDialog, {
      props: { provider: target, providers },
      global: panelGlobals(),
      attachTo: document.body,
    });
    expect(wrapper.find('[data-testid="delete-impact"]').text()).toContain(expected);
    const confirm = wrapper.findAll('button').find((button) => button.text() === `Delete ${id}`);
    await confirm?.trigger('click');
    expect(wrapper.emitted('confirm')).toEqual([[target]]);
  });
});
