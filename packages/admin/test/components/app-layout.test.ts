import { flushPromises, mount } from '@vue/test-utils';
import { computed, defineComponent, h, ref } from 'vue';
import { createMemoryHistory, createRouter, type RouteRecordRaw } from 'vue-router';
import AppLayout from '../../src/components/app-layout.vue';
import { API_STATUS_KEY, createApiStatus } from '../../src/composables/useApiStatus';
import { AUTH_KEY, type AuthStore } from '../../src/composables/useAuth';
import type { User } from '../../src/graphql/types';
import { createPanelI18n, type Locale } from '../../src/i18n';
import tr from '../../src/i18n/tr';

// The language switcher reaches the API through this; nothing here changes the language.
jest.mock('@vue/apollo-composable', () => ({ useApolloClient: () => ({ resolveClient: jest.fn() }) }));

const Page = defineComponent({ render: () => h('h1', { tabindex: -1 }, 'The page') });
const ROUTES: RouteRecordRaw[] = [
  'mail-providers',
  'delivery-log',
  'suppressions',
  'notifications',
  'api-tokens',
  'audit-log',
  'change-password',
  'login',
].map((name) => ({ path: `/${name}`, name, component: Page }));
ROUTES.push({ path: '/users', name: 'users', component: Page, meta: { adminOnly: true } });

function authFor(role: 'ADMIN' | 'VIEWER', mustChangePassword = false): AuthStore {
  const user = ref<User | null>({
    id: '1',
    email: 'ayse@example.com',
    role,
    locale: 'tr',
    mustChangePassword,
  });
  return {
    user,
    canManage: computed(() => user.value?.role === 'ADMIN'),
    mustChangePassword: computed(() => user.value?.mustChangePassword === true),
    check: jest.fn(),
    login: jest.fn(),
    logout: jest.fn(),
    changePassword: jest.fn(),
    passwordChangeRequired: jest.fn(),
    sessionEnded: jest.fn(),
  };
}

async function mountLayout(options: {
  role?: 'ADMIN' | 'VIEWER';
  locale?: Locale;
  path?: string;
  mustChange?: boolean;
}) {
  const router = createRouter({ history: createMemoryHistory(), routes: ROUTES });
  await router.push(options.path ?? '/mail-providers');
  const status = createApiStatus({ probe: () => Promise.reject(new TypeError('Failed to fetch')) });
  const wrapper = mount(AppLayout, {
    slots: { default: '<p data-testid="slot">The page itself</p>' },
    global: {
      plugins: [createPanelI18n(options.locale ?? 'en', { tr }), router],
      provide: { [AUTH_KEY]: authFor(options.role ?? 'ADMIN', options.mustChange), [API_STATUS_KEY]: status },
    },
    attachTo: document.body,
  });
  await flushPromises();
  return { wrapper, status, router };
}

function navTexts(wrapper: Awaited<ReturnType<typeof mountLayout>>['wrapper']): string[] {
  return wrapper.findAll('.topbar__nav a').map((link) => link.text());
}

afterEach(() => {
  jest.useRealTimers();
  document.body.innerHTML = '';
});

describe('the frame of the panel', () => {
  it.each<[Locale, string]>([
    ['en', 'Menu'],
    ['tr', 'Menü'],
  ])('folds the navigation behind a button named in %s: %s', async (locale, name) => {
    const { wrapper } = await mountLayout({ locale });
    const button = wrapper.get('.topbar__menu-button');
    expect(button.text()).toContain(name);
    expect(button.attributes('aria-expanded')).toBe('false');
    const panel = wrapper.get(`#${button.attributes('aria-controls')}`);
    expect(panel.classes()).not.toContain('topbar__menu--open');

    await button.trigger('click');
    expect(button.attributes('aria-expanded')).toBe('true');
    expect(panel.classes()).toContain('topbar__menu--open');

    (panel.get('a').element as HTMLElement).focus();
    await panel.get('a').trigger('keydown', { key: 'Escape' });
    expect(button.attributes('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(button.element);
  });

  it('closes the menu when a page is chosen, and on a click outside', async () => {
    const { wrapper, router } = await mountLayout({});
    const button = wrapper.get('.topbar__menu-button');
    await button.trigger('click');
    await router.push('/delivery-log');
    await flushPromises();
    expect(button.attributes('aria-expanded')).toBe('false');
    await button.trigger('click');
    document.body.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    await flushPromises();
    expect(button.attributes('aria-expanded')).toBe('false');
  });

  it.each<['ADMIN' | 'VIEWER', string[]]>([
    [
      'ADMIN',
      [
        'Mail Providers',
        'Delivery log',
        'Suppression list',
        'Notifications',
        'API tokens',
        'Audit log',
        'Users',
      ],
    ],
    ['VIEWER', ['Mail Providers', 'Delivery log', 'Suppression list', 'Notifications']],
  ])('offers %s these pages: %j', async (role, items) => {
    const { wrapper } = await mountLayout({ role });
    expect(navTexts(wrapper)).toEqual(items);
  });

  it('shows no pages while a one-time password must be replaced, but keeps the account menu', async () => {
    const { wrapper } = await mountLayout({ path: '/change-password', mustChange: true });
    expect(navTexts(wrapper)).toEqual([]);
    expect(wrapper.get('#account-menu').text()).toContain('Change password');
    expect(wrapper.get('#account-menu').text()).toContain('Sign out');
  });

  it.each<['ADMIN' | 'VIEWER', boolean]>([
    ['ADMIN', true],
    ['VIEWER', false],
  ])('opens an administrators-only page for %s: %s', async (role, shown) => {
    const { wrapper } = await mountLayout({ role, path: '/users' });
    expect(wrapper.find('[data-testid="slot"]').exists()).toBe(shown);
    expect(wrapper.find('[data-testid="admin-only"]').exists()).toBe(!shown);
    if (!shown) expect(wrapper.get('h1').text()).toBe('Administrators only');
  });

  it('says the API is unreachable above the page, with the next try and Retry now, in Turkish too', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-07T12:00:00Z') });
    const { wrapper, status } = await mountLayout({ locale: 'tr' });
    expect(wrapper.find('[data-testid="api-unreachable"]').exists()).toBe(false);
    status.reportUnreachable();
    await flushPromises();
    const banner = wrapper.get('[data-testid="api-unreachable"]');
    expect(banner.attributes('role')).toBe('status');
    expect(banner.text()).toContain('API’ye ulaşılamıyor — yeniden deneniyor');
    expect(banner.text()).toMatch(/Sonraki deneme: \d{2}:\d{2}:01/);
    expect(banner.get('button').text()).toBe('Şimdi dene');
    expect(wrapper.find('[data-testid="slot"]').exists()).toBe(true);
    status.reportAnswered();
    await flushPromises();
    expect(wrapper.find('[data-testid="api-unreachable"]').exists()).toBe(false);
  });
});
