// The users of the panel and what an administrator does to them, each change followed by a fresh list.

import { useMutation, useQuery } from '@vue/apollo-composable';
import { computed } from 'vue';
import type { CreateUserInput } from '../graphql/generated';
import type { CreatedUser, ManagedUser, RemovedUser, UserPasswordReset, UserRole } from '../graphql/types';
import {
  CREATE_USER,
  END_USER_SESSIONS,
  REMOVE_USER,
  RESET_USER_PASSWORD,
  SET_USER_ROLE,
  USERS,
} from '../graphql/users';

const options = { throws: 'always' as const, refetchQueries: ['Users'], awaitRefetchQueries: true };

export function useUsers() {
  const { result, loading, error } = useQuery<{ users: ManagedUser[] }>(USERS);
  const users = computed(() => result.value?.users ?? []);

  const createMutation = useMutation<{ createUser: CreatedUser }>(CREATE_USER, options);
  const roleMutation = useMutation<{ setUserRole: ManagedUser }>(SET_USER_ROLE, options);
  const resetMutation = useMutation<{ resetUserPassword: UserPasswordReset }>(RESET_USER_PASSWORD, options);
  const endMutation = useMutation<{ endUserSessions: number }>(END_USER_SESSIONS, options);
  const removeMutation = useMutation<{ removeUser: RemovedUser }>(REMOVE_USER, options);

  function answer<T>(data: T | null | undefined): T {
    if (data === null || data === undefined) throw new Error('The API answered without data.');
    return data;
  }

  return {
    users,
    loading,
    error,
    busy: computed(
      () =>
        createMutation.loading.value ||
        roleMutation.loading.value ||
        resetMutation.loading.value ||
        endMutation.loading.value ||
        removeMutation.loading.value,
    ),
    async create(input: CreateUserInput): Promise<CreatedUser> {
      return answer((await createMutation.mutate({ input }))?.data?.createUser);
    },
    async setRole(id: string, role: UserRole): Promise<ManagedUser> {
      return answer((await roleMutation.mutate({ id, role }))?.data?.setUserRole);
    },
    async resetPassword(id: string): Promise<UserPasswordReset> {
      return answer((await resetMutation.mutate({ id }))?.data?.resetUserPassword);
    },
    async endSessions(id: string): Promise<number> {
      return answer((await endMutation.mutate({ id }))?.data?.endUserSessions);
    },
    async remove(id: string): Promise<RemovedUser> {
      return answer((await removeMutation.mutate({ id }))?.data?.removeUser);
    },
  };
}
