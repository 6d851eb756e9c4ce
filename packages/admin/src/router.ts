import { createRouter, createWebHistory, type Router, type RouteRecordRaw } from 'vue-router';
import type { AuthStore } from './composables/useAuth';
import LoginPage from './pages/login-page.vue';
import MailProvidersPage from './pages/mail-providers-page.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session. */
    public?: boolean;
    /** i18n keys of the breadcrumb trail, the last one being this page. */
    breadcrumb?: string[];
    /** Administrators only: others see why instead of the page. */
    adminOnly?: boolean;
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: { name: 'mail-providers' } },
  { path: '/login', name: 'login', component: LoginPage, meta: { public: true } },
  {
    path: '/security/mail-providers',
    name: 'mail-providers',
    component: MailProvidersPage,
    meta: { breadcrumb: ['nav.security', 'nav.mailProviders'] },
  },
  {
    path: '/security/mail-providers/new',
    name: 'provider-new',
    component: () => import('./pages/provider-form-page.vue'),
    meta: { breadcrumb: ['nav.security', 'nav.mailProviders', 'form.titleNew'] },
  },
  {
    path: '/security/mail-providers/:id',
    name: 'provider-edit',
    component: () => import('./pages/provider-form-page.vue'),
    props: true,
    meta: { breadcrumb: ['nav.security', 'nav.mailProviders', 'common.edit'] },
  },
  {
    path: '/security/api-tokens',
    name: 'api-tokens',
    component: () => import('./pages/api-tokens-page.vue'),
    meta: { breadcrumb: ['nav.security', 'nav.apiTokens'] },
  },
  {
    path: '/security/audit-log',
    name: 'audit-log',
    component: () => import('./pages/audit-log-page.vue'),
    meta: { breadcrumb: ['nav.security', 'nav.auditLog'] },
  },
  {
    path: '/settings/notifications',
    name: 'notifications',
    component: () => import('./pages/notifications-page.vue'),
    meta: { breadcrumb: ['nav.settings', 'nav.notifications'] },
  },
  {
    path: '/security/suppressions',
    name: 'suppressions',
    component: () => import('./pages/suppression-list-page.vue'),
    meta: { breadcrumb: ['nav.security', 'nav.suppressions'] },
  },
  {
    path: '/security/users',
    name: 'users',
    component: () => import('./pages/users-page.vue'),
    meta: { breadcrumb: ['nav.security', 'nav.users'], adminOnly: true },
  },
  {
    path: '/account/password',
    name: 'change-password',
    component: () => import('./pages/change-password-page.vue'),
    meta: { breadcrumb: ['nav.account', 'password.title'] },
  },
  {
    path: '/deliveries',
    name: 'delivery-log',
    // The log carries the chart library; it loads only when opened.
    component: () => import('./pages/delivery-log-page.vue'),
    meta: { breadcrumb: ['nav.security', 'nav.deliveryLog'] },
  },
  {
    path: '/deliveries/:id',
    name: 'delivery-detail',
    component: () => import('./pages/delivery-detail-page.vue'),
    props: true,
    meta: { breadcrumb: ['nav.security', 'nav.deliveryLog', 'nav.delivery'] },
  },
  { path: '/:pathMatch(.*)*', redirect: { name: 'mail-providers' } },
];

export function createPanelRouter(auth: AuthStore): Router {
  const router = createRouter({ history: createWebHistory(), routes });

  router.beforeEach(async (to) => {
    if (to.meta.public) return true;
    const user = await auth.check();
    if (!user) return { name: 'login', query: { redirect: to.fullPath } };
    // A password an administrator generated is replaced before anything else.
    if (user.mustChangePassword && to.name !== 'change-password') {
      return { name: 'change-password', query: { redirect: to.fullPath } };
    }
    return true;
  });

  return router;
}

/** Only same-panel paths are followed after sign-in, never another origin. */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}
