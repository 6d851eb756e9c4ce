import { DefaultApolloClient } from '@vue/apollo-composable';
import { createApp } from 'vue';
import App from './App.vue';
import { createApolloClient } from './apollo';
import { AUTH_KEY, createAuth } from './composables/useAuth';
import { applyDocumentLocale, syncLocaleWithAccount } from './composables/useLocale';
import { createPanelI18n, initialLocale } from './i18n';
import { createPanelRouter } from './router';
import './styles.css';

function readStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

const locale = initialLocale(readStorage(), navigator.languages);
const i18n = createPanelI18n(locale);
applyDocumentLocale(locale);

// The router is created after the client, and the client reaches it only through this late binding.
let onSessionEnded: (operationName: string) => void = () => {};
const client = createApolloClient({
  locale: () => i18n.global.locale.value,
  onUnauthenticated: (operationName) => onSessionEnded(operationName),
});
const auth = createAuth(client, {
  onSignedIn: (user) => syncLocaleWithAccount(client, i18n.global.locale, user.locale),
});
const router = createPanelRouter(auth);

onSessionEnded = () => {
  if (!auth.sessionEnded()) return;
  const current = router.currentRoute.value;
  if (current.meta.public) return;
  void client.clearStore();
  void router.replace({ name: 'login', query: { expired: '1', redirect: current.fullPath } });
};

createApp(App)
  .provide(DefaultApolloClient, client)
  .provide(AUTH_KEY, auth)
  .use(i18n)
  .use(router)
  .mount('#app');
