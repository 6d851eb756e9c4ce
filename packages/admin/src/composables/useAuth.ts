// The signed-in user and the session's life: checked once on start, ended by sign-out or by the API.

import type { ApolloClient } from '@apollo/client/core';
import { computed, inject, ref, type ComputedRef, type InjectionKey, type Ref } from 'vue';
import { LOGIN, LOGOUT, ME } from '../graphql/auth';
import type { User } from '../graphql/types';

export interface AuthStore {
  user: Ref<User | null>;
  /** ADMINs change things; VIEWERs only read, so the panel does not offer them what the API would refuse. */
  canManage: ComputedRef<boolean>;
  /** Resolves the session from the cookie once; later calls reuse the answer. */
  check(): Promise<User | null>;
  login(email: string, password: string): Promise<User>;
  logout(): Promise<void>;
  /**
   * The API said the session is missing or over. Returns true when a signed-in session just ended
   * (the caller then sends the admin to the login with a message).
   */
  sessionEnded(): boolean;
}

export const AUTH_KEY: InjectionKey<AuthStore> = Symbol('auth');

export interface AuthHooks {
  /** A session was found or a sign-in succeeded. */
  onSignedIn?: (user: User) => Promise<void> | void;
}

export function createAuth(client: ApolloClient<unknown>, hooks: AuthHooks = {}): AuthStore {
  const user = ref<User | null>(null);
  let checked: Promise<User | null> | null = null;

  async function fetchMe(): Promise<User | null> {
    try {
      const { data } = await client.query<{ me: User | null }>({ query: ME, fetchPolicy: 'network-only' });
      if (data.me) await hooks.onSignedIn?.(data.me);
      user.value = data.me;
    } catch {
      // No session (UNAUTHENTICATED) or no API: either way the login page is the way in.
      user.value = null;
    }
    return user.value;
  }

  return {
    user,
    canManage: computed(() => user.value?.role === 'ADMIN'),
    check() {
      checked ??= fetchMe();
      return checked;
    },
    async login(email, password) {
      const { data } = await client.mutate<{ login: User }>({
        mutation: LOGIN,
        variables: { email, password },
      });
      if (!data) throw new Error('The login answer carried no user.');
      await client.clearStore();
      await hooks.onSignedIn?.(data.login);
      user.value = data.login;
      checked = Promise.resolve(data.login);
      return data.login;
    },
    async logout() {
      try {
        await client.mutate({ mutation: LOGOUT });
      } finally {
        user.value = null;
        checked = Promise.resolve(null);
        await client.clearStore();
      }
    },
    sessionEnded() {
      const wasSignedIn = user.value !== null;
      user.value = null;
      checked = Promise.resolve(null);
      return wasSignedIn;
    },
  };
}

export function useAuth(): AuthStore {
  const auth = inject(AUTH_KEY);
  if (!auth) throw new Error('useAuth() needs the auth store provided by main.ts.');
  return auth;
}
