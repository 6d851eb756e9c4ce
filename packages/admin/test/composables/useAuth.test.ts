import { ApolloError, type ApolloClient } from '@apollo/client/core';
import { createAuth } from '../../src/composables/useAuth';
import type { User } from '../../src/graphql/types';

const USER: User = {
  id: '1',
  email: 'ayse@example.com',
  role: 'ADMIN',
  locale: 'en',
  mustChangePassword: false,
};
const unreachable = () => new ApolloError({ networkError: new TypeError('Failed to fetch') });
const unauthenticated = () =>
  new ApolloError({ graphQLErrors: [{ message: 'No.', extensions: { code: 'UNAUTHENTICATED' } }] as never });

/** A client whose `me` answers come from the list, one per call. */
function clientAnswering(answers: Array<User | null | Error>) {
  const query = jest.fn(async () => {
    const next = answers.shift();
    if (next instanceof Error) throw next;
    return { data: { me: next ?? null } };
  });
  return { client: { query } as unknown as ApolloClient<unknown>, query };
}

describe('the session check on start', () => {
  it('waits while the API cannot be reached, then finds the session', async () => {
    const { client, query } = clientAnswering([unreachable(), unreachable(), USER]);
    const waitForApi = jest.fn(() => Promise.resolve());
    const auth = createAuth(client, { waitForApi });
    await expect(auth.check()).resolves.toEqual(USER);
    expect(waitForApi).toHaveBeenCalledTimes(2);
    expect(query).toHaveBeenCalledTimes(3);
    expect(auth.user.value).toEqual(USER);
  });

  it.each<[string, Array<User | null | Error>]>([
    ['the API says there is none', [null]],
    ['the API refuses the cookie', [unauthenticated()]],
  ])('has no session when %s, without waiting', async (_case, answers) => {
    const { client } = clientAnswering(answers);
    const waitForApi = jest.fn(() => Promise.resolve());
    const auth = createAuth(client, { waitForApi });
    await expect(auth.check()).resolves.toBeNull();
    expect(waitForApi).not.toHaveBeenCalled();
  });

  it('asks the API once, however many pages ask', async () => {
    const { client, query } = clientAnswering([USER]);
    const auth = createAuth(client);
    await Promise.all([auth.check(), auth.check()]);
    await auth.check();
    expect(query).toHaveBeenCalledTimes(1);
  });

  it('marks the user as having to change the password when an answer says so', async () => {
    const { client } = clientAnswering([USER]);
    const auth = createAuth(client);
    await auth.check();
    auth.passwordChangeRequired();
    expect(auth.mustChangePassword.value).toBe(true);
    await expect(auth.check()).resolves.toMatchObject({ mustChangePassword: true });
  });
});
