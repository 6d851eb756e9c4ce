import type { AuthStore } from '../src/composables/useAuth';
import type { User } from '../src/graphql/types';
import en from '../src/i18n/en';
import tr from '../src/i18n/tr';
import { createPanelRouter, safeRedirect } from '../src/router';

// The pages are not rendered here; their data layer is left out.
jest.mock('@vue/apollo-composable', () => ({}));

function authWith(user: User | null): AuthStore {
  return { check: () => Promise.resolve(user) } as unknown as AuthStore;
}

const user = (mustChangePassword: boolean): User => ({
  id: '1',
  email: 'ayse@example.com',
  role: 'VIEWER',
  locale: 'en',
  mustChangePassword,
});

describe('where a page request leads', () => {
  it.each<[string, User | null, string, string]>([
    ['nobody signed in', null, '/deliveries', '/login?redirect=/deliveries'],
    ['a one-time password to replace', user(true), '/deliveries', '/account/password?redirect=/deliveries'],
    ['a one-time password to replace, on its page', user(true), '/account/password', '/account/password'],
    ['a signed-in user', user(false), '/deliveries', '/deliveries'],
    ['anyone, to the sign-in page', null, '/login', '/login'],
  ])('%s: %s → %s', async (_case, signedIn, asked, reached) => {
    const router = createPanelRouter(authWith(signedIn));
    await router.push(asked);
    expect(decodeURIComponent(router.currentRoute.value.fullPath)).toBe(reached);
  });

  it.each([
    ['/security/users', '/security/users'],
    ['//evil.example', '/'],
    ['https://evil.example', '/'],
    [undefined, '/'],
  ])('follows %s after sign-in as %s', (value, path) => {
    expect(safeRedirect(value)).toBe(path);
  });
});

/** The text at `key` (dot-separated) in a language's messages, if it is a string. */
function textAt(messages: unknown, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);
}

describe('breadcrumbs', () => {
  // The layout words a page's breadcrumb before the page loads its own texts (the log's come with it).
  const router = createPanelRouter(authWith(null));
  const trails = router
    .getRoutes()
    .flatMap((route) => (route.meta.breadcrumb ?? []).map((key) => [String(route.name), key] as const));

  it('has routes with a trail', () => {
    expect(trails.length).toBeGreaterThan(10);
  });

  it.each(trails)('%s: %s is a first-screen text in English and Turkish', (_route, key) => {
    expect(typeof textAt(en, key)).toBe('string');
    expect(typeof textAt(tr, key)).toBe('string');
  });
});
