import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils';
import { ref } from 'vue';
import ModalDialog from '../../src/components/modal-dialog.vue';
import SendTestEmailDialog from '../../src/components/send-test-email-dialog.vue';
import { supportDialogs } from './dialog-support';
import { panelGlobals } from './mount-options';

// The test dialog's sending is not what is tested here (jest cannot load the composable's sources either).
jest.mock('@vue/apollo-composable', () => ({
  useMutation: () => ({ mutate: jest.fn(), loading: ref(false) }),
  useQuery: jest.fn(),
}));

supportDialogs();
enableAutoUnmount(afterEach);

function opener(): HTMLButtonElement {
  const button = document.createElement('button');
  button.textContent = 'Open';
  document.body.append(button);
  button.focus();
  return button;
}

function mountDialog(body: string) {
  return mount(ModalDialog, {
    props: { open: false, title: 'Title', labelId: 'dialog-title' },
    slots: { default: body },
    global: panelGlobals(),
    attachTo: document.body,
  });
}

function focusedId(): string {
  return document.activeElement?.id ?? '';
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('a modal dialog', () => {
  it.each([
    [
      'its first field, not the × of the header',
      '<p>Text</p><input id="first" /><button id="go">Go</button>',
      'first',
    ],
    [
      'the control marked autofocus',
      '<input id="first" /><button id="cancel" autofocus>Cancel</button>',
      'cancel',
    ],
    ['its first button when it has no field', '<p>Sure?</p><button id="yes">Yes</button>', 'yes'],
    ['the first control that is shown', '<input id="hidden" hidden /><select id="shown"></select>', 'shown'],
  ])('starts on %s', async (_case, body, id) => {
    opener();
    const wrapper = mountDialog(body);
    await wrapper.setProps({ open: true });
    await flushPromises();
    expect(focusedId()).toBe(id);
  });

  it('keeps Tab inside: past the last control to the first (the ×), and back', async () => {
    opener();
    const wrapper = mountDialog('<input id="first" /><button id="last">Go</button>');
    await wrapper.setProps({ open: true });
    await flushPromises();
    const dialog = wrapper.get('dialog');
    const close = wrapper.get('.icon-button').element as HTMLElement;

    (wrapper.get('#last').element as HTMLElement).focus();
    await dialog.trigger('keydown', { key: 'Tab' });
    expect(document.activeElement).toBe(close);
    await dialog.trigger('keydown', { key: 'Tab', shiftKey: true });
    expect(focusedId()).toBe('last');
    // In the middle, the browser moves on by itself.
    (wrapper.get('#first').element as HTMLElement).focus();
    await dialog.trigger('keydown', { key: 'Tab' });
    expect(focusedId()).toBe('first');
  });

  it('gives focus back to what opened it, and says it closed', async () => {
    const button = opener();
    const wrapper = mountDialog('<input id="first" />');
    await wrapper.setProps({ open: true });
    await flushPromises();
    (wrapper.get('dialog').element as HTMLDialogElement).close();
    expect(document.activeElement).toBe(button);
    expect(wrapper.emitted('close')).toHaveLength(1);
  });
});

describe('the test email dialog', () => {
  it.each([
    ['through the chain', null],
    ['from a provider’s row', 'p1'],
  ])('opens on Recipient (%s)', async (_case, providerId) => {
    opener();
    const wrapper = mount(SendTestEmailDialog, {
      props: { open: false, providers: [], providerId },
      global: panelGlobals(),
      attachTo: document.body,
    });
    await wrapper.setProps({ open: true });
    await flushPromises();
    expect(focusedId()).toBe('test-to');
    expect(document.querySelector('label[for="test-to"]')?.textContent).toBe('Recipient');
  });
});
