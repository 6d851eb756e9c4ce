import { DefaultApolloClient } from '@vue/apollo-composable';
import { createApp } from 'vue';
import App from './App.vue';
import { createApolloClient } from './apollo';
import { API_STATUS_KEY, createApiStatus } from './composables/useApiStatus';
import { AUTH_KEY, createAuth } from './composables/useAuth';
import { applyDocumentLocale, syncLocaleWithAccount } from './composables/useLocale';
import { PING } from './graphql/auth';
import { createPanelI18n, initialLocale, loadLocaleMessages } from './i18n';
import { answerTimeout, classifyFailure, isChunkLoadError } from './lib/api-reachability';
import { createPanelRouter } from './router';
import './styles.css';

function readStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

const chosenLocale = initialLocale(readStorage(), navigator.languages);
const i18n = createPanelI18n('en');

// The router is created after the client, and the client reaches it only through these late bindings.
let onSessionEnded: (operationName: string) => void = () => {};
let onPasswordChangeRequired: () => void = () => {};
const status = createApiStatus({
  // Any answer will do, even an error: only no answer at all means the API is still away.
  probe: () =>
    client.query({ query: PING, fetchPolicy: 'no-cache', context: answerTimeout() }).then(
      () => undefined,
      (error: unknown) => {
        if (classifyFailure(error) === 'unreachable') throw error;
      },
    ),
  // What failed while the API was away is asked again, so the open page fills in by itself.
  onRecovered: () => void client.refetchQueries({ include: 'active' }).catch(() => undefined),
});
const client = createApolloClient({
  locale: () => i18n.global.locale.value,
  onUnauthenticated: (operationName) => onSessionEnded(operationName),
  onPasswordChangeRequired: () => onPasswordChangeRequired(),
  onUnreachable: () => status.reportUnreachable(),
  onAnswered: () => status.reportAnswered(),
});
const auth = createAuth(client, {
  onSignedIn: (user) => syncLocaleWithAccount(client, i18n.global, user.locale),
  waitForApi: () => {
    status.reportUnreachable();
    return status.whenReachable();
  },
});
const router = createPanelRouter(auth);

onSessionEnded = () => {
  if (!auth.sessionEnded()) return;
  const current = router.currentRoute.value;
  if (current.meta.public) return;
  void client.clearStore();
  void router.replace({ name: 'login', query: { expired: '1', redirect: current.fullPath } });
};

// A page whose code cannot be fetched waits like a call that cannot reach the API, then opens.
router.onError((error, to) => {
  if (!isChunkLoadError(error)) return;
  status.reportUnreachable();
  void status.whenReachable().then(() => router.push(to.fullPath));
});

onPasswordChangeRequired = () => {
  auth.passwordChangeRequired();
  const current = router.currentRoute.value;
  if (current.meta.public || current.name === 'change-password') return;
  void router.replace({ name: 'change-password', query: { redirect: current.fullPath } });
};

// The first screen waits for its language's texts (English ones are already here).
void loadLocaleMessages(i18n.global, chosenLocale).then((loaded) => {
  const locale = loaded ? chosenLocale : 'en';
  i18n.global.locale.value = locale;
  applyDocumentLocale(locale);
  createApp(App)
    .provide(DefaultApolloClient, client)
    .provide(API_STATUS_KEY, status)
    .provide(AUTH_KEY, auth)
    .use(i18n)
    .use(router)
    .mount('#app');
});
