import { flushPromises, mount } from '@vue/test-utils';
import { ref } from 'vue';
import OAuthConnectionPanel from '../../src/components/oauth-connection.vue';
import type { OAuthConnection } from '../../src/graphql/types';
import { leaveFor } from '../../src/lib/navigate';
import { panelGlobals } from './mount-options';

const AUTHORIZE_URL = 'https://login.example.com/authorize?state=abc';
/** The operations the panel sent, by name. */
const operations: string[] = [];

jest.mock('../../src/lib/navigate', () => ({ leaveFor: jest.fn() }));
jest.mock('@vue/apollo-composable', () => ({
  useMutation: (document: { definitions: Array<{ name?: { value: string } }> }) => ({
    loading: ref(false),
    mutate: async () => {
      operations.push(document.definitions[0]?.name?.value ?? '');
      return { data: { startProviderOAuth: { authorizeUrl: AUTHORIZE_URL } } };
    },
  }),
}));

// A provider's OAuth2 connection: whom it is connected as, its tokens' state, the reconnect hint, and
// Connect sending the browser to the sign-in page the API names.

function connection(overrides: Partial<OAuthConnection> = {}): OAuthConnection {
  return {
    flavour: 'GOOGLE',
    clientId: 'client',
    clientSecretSet: true,
    tenant: null,
    authorizeUrl: null,
    tokenUrl: null,
    scopes: [],
    connected: false,
    account: null,
    accessTokenExpiresAt: null,
    lastRefreshAt: null,
    lastError: null,
    ...overrides,
  };
}

function mountPanel(oauth: OAuthConnection, changed = false, locale: 'en' | 'tr' = 'en') {
  operations.length = 0;
  const wrapper = mount(OAuthConnectionPanel, {
    props: { provider: { id: 'p1', name: 'workspace', oauth }, changed },
    global: panelGlobals(locale),
  });
  return { wrapper, operations };
}

describe('the OAuth2 connection of a provider', () => {
  it.each<[string, Partial<OAuthConnection>, 'en' | 'tr', string, string]>([
    ['not connected', {}, 'en', 'Not connected', 'Connect'],
    ['not connected', {}, 'tr', 'Bağlı değil', 'Bağlan'],
    [
      'connected',
      { connected: true, account: 'noreply@example.com' },
      'en',
      'Connected as noreply@example.com',
      'Reconnect',
    ],
    [
      'connected',
      { connected: true, account: 'noreply@example.com' },
      'tr',
      'noreply@example.com olarak bağlı',
      'Yeniden bağlan',
    ],
    ['revoked', { lastError: 'invalid_grant' }, 'en', 'Not connected', 'Reconnect'],
  ])('%s, in %s', (_case, overrides, locale, state, button) => {
    const { wrapper } = mountPanel(connection(overrides), false, locale);
    expect(wrapper.find('[data-testid="oauth-state"]').text()).toBe(state);
    expect(wrapper.find('[data-testid="oauth-connect"]').text()).toBe(button);
  });

  it('shows the last problem with the hint to reconnect', () => {
    const { wrapper } = mountPanel(
      connection({ connected: true, account: 'a@example.com', lastError: 'invalid_grant' }),
    );
    expect(wrapper.find('[data-testid="oauth-error"]').text()).toContain(
      'use Reconnect and sign in as the mailbox again',
    );
  });

  it('shows when the tokens were last refreshed and until when the access token holds', () => {
    const { wrapper } = mountPanel(
      connection({
        connected: true,
        lastRefreshAt: '2026-12-07T10:00:00Z',
        accessTokenExpiresAt: '2026-12-07T11:00:00Z',
      }),
    );
    expect(wrapper.find('dl').text()).toContain('Last token refresh');
    expect(wrapper.find('dl').text()).toContain('2026');
  });

  it('Connect starts the sign-in and sends the browser to the page the API names', async () => {
    const { wrapper, operations } = mountPanel(connection());
    await wrapper.find('[data-testid="oauth-connect"]').trigger('click');
    await flushPromises();
    expect(operations).toEqual(['StartProviderOAuth']);
    expect(leaveFor).toHaveBeenCalledWith(AUTHORIZE_URL);
  });

  it('Connect waits while the form has unsaved changes', () => {
    const { wrapper } = mountPanel(connection(), true);
    expect(wrapper.find('[data-testid="oauth-connect"]').attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toContain('save your changes first');
  });
});
