import { enableAutoUnmount, mount } from '@vue/test-utils';
import { h } from 'vue';
import RowMenu from '../../src/components/row-menu.vue';

enableAutoUnmount(afterEach);

function mountMenu() {
  const wrapper = mount(
    {
      render: () => [
        h(RowMenu, { label: 'More', accessibleName: 'More actions for zepto' }, () => [
          h('button', { type: 'button', class: 'inside' }, 'Verify'),
        ]),
        h('button', { type: 'button', class: 'outside' }, 'Elsewhere'),
      ],
    },
    { attachTo: document.body },
  );
  const toggle = wrapper.find('.row-menu > button');
  return { wrapper, toggle, list: () => wrapper.find('.row-menu__list') };
}

describe('row menu', () => {
  it('opens and closes with its button, and says so', async () => {
    const { toggle, list } = mountMenu();
    expect(toggle.attributes('aria-label')).toBe('More actions for zepto');
    expect(list().isVisible()).toBe(false);
    await toggle.trigger('click');
    expect(toggle.attributes('aria-expanded')).toBe('true');
    expect(list().isVisible()).toBe(true);
    await toggle.trigger('click');
    expect(toggle.attributes('aria-expanded')).toBe('false');
  });

  it('closes on Escape with focus back on its button, on a chosen action, and when focus moves on', async () => {
    const { wrapper, toggle, list } = mountMenu();
    await toggle.trigger('click');
    await wrapper.find('.inside').trigger('keydown', { key: 'Escape' });
    expect(list().isVisible()).toBe(false);
    expect(document.activeElement).toBe(toggle.element);

    await toggle.trigger('click');
    await wrapper.find('.inside').trigger('click');
    expect(list().isVisible()).toBe(false);
    expect(document.activeElement).toBe(toggle.element);

    await toggle.trigger('click');
    await wrapper.find('.inside').trigger('focusout', { relatedTarget: wrapper.find('.outside').element });
    expect(list().isVisible()).toBe(false);
  });
});
