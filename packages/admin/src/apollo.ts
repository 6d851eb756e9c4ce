// The one GraphQL client of the panel: same-origin cookie session, CSRF preflight header, the panel's
// language for the API's hints, and hooks for answers that say the session is over or that the password
// must be changed first, and for calls that could not reach the API at all.

import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, Observable } from '@apollo/client/core';
import { hasErrorCode } from './lib/api-error';
import { classifyFailure } from './lib/api-reachability';

export interface ApolloSetup {
  /**
   * The panel's current language, sent as Accept-Language: the API answers in it before sign-in (a
   * signed-in account's own language setting wins after, see useLocale).
   */
  locale: () => string;
  /** Called when an answer says the session is missing or expired. */
  onUnauthenticated: (operationName: string) => void;
  /** Called when an answer says the signed-in user must choose a new password first. */
  onPasswordChangeRequired?: () => void;
  /** Called when a call could not reach the API (no answer, a 5xx, a body that is not GraphQL). */
  onUnreachable?: () => void;
  /** Called when the API answered, whatever it said. */
  onAnswered?: () => void;
  /** Defaults to `/graphql` on the page's own origin. */
  uri?: string;
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return undefined;
  return typeof error.statusCode === 'number' ? error.statusCode : undefined;
}

export function createApolloClient(setup: ApolloSetup): ApolloClient<unknown> {
  const sessionLink = new ApolloLink(
    (operation, forward) =>
      new Observable((observer) => {
        const subscription = forward(operation).subscribe({
          next: (result) => {
            setup.onAnswered?.();
            if (hasErrorCode(result.errors, 'UNAUTHENTICATED'))
              setup.onUnauthenticated(operation.operationName);
            if (hasErrorCode(result.errors, 'PASSWORD_CHANGE_REQUIRED')) setup.onPasswordChangeRequired?.();
            observer.next(result);
          },
          error: (error: unknown) => {
            if (classifyFailure(error) === 'unreachable') setup.onUnreachable?.();
            else setup.onAnswered?.();
            if (statusOf(error) === 401) setup.onUnauthenticated(operation.operationName);
            observer.error(error);
          },
          complete: () => observer.complete(),
        });
        return () => subscription.unsubscribe();
      }),
  );

  const headersLink = new ApolloLink((operation, forward) => {
    operation.setContext(({ headers }: { headers?: Record<string, string> }) => ({
      headers: {
        ...headers,
        // Apollo Server's CSRF prevention lets a request through only with a header a form cannot send.
        'apollo-require-preflight': 'true',
        'accept-language': setup.locale(),
      },
    }));
    return forward(operation);
  });

  const httpLink = new HttpLink({ uri: setup.uri ?? '/graphql', credentials: 'same-origin' });

  return new ApolloClient({
    link: ApolloLink.from([sessionLink, headersLink, httpLink]),
    cache: new InMemoryCache({
      typePolicies: {
        Provider: {
          fields: {
            health: { merge: true },
            lastVerification: { merge: false },
            lastTestEmail: { merge: false },
          },
        },
      },
    }),
    defaultOptions: {
      watchQuery: { fetchPolicy: 'cache-and-network', errorPolicy: 'none' },
      query: { fetchPolicy: 'network-only' },
    },
  });
}
