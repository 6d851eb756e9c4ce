import { randomBytes } from 'node:crypto';
import { dataOf, errorCode, type GqlResponse, type TestAgent } from './support/test-agent';
import { startTestServer, testSecret, type TestServer } from './support/test-server';

const USER_FIELDS = 'id email role locale createdAt lastLoginAt mustChangePassword';
const USERS = `{ users { ${USER_FIELDS} } }`;
const ME = `{ me { ${USER_FIELDS} } }`;
const CREATE = `mutation ($input: CreateUserInput!) {
  createUser(input: $input) { id user { ${USER_FIELDS} } oneTimePassword }
}`;
const SET_ROLE = `mutation ($id: ID!, $role: UserRole!) { setUserRole(id: $id, role: $role) { ${USER_FIELDS} } }`;
const RESET = `mutation ($id: ID!) {
  resetUserPassword(id: $id) { user { ${USER_FIELDS} } oneTimePassword sessionsEnded }
}`;
const END_SESSIONS = `mutation ($id: ID!) { endUserSessions(id: $id) }`;
const REMOVE = `mutation ($id: ID!) { removeUser(id: $id) { id email sessionsEnded apiTokensRevoked } }`;
const CHANGE = `mutation ($current: String!, $next: String!) {
  changeMyPassword(currentPassword: $current, newPassword: $next) { ${USER_FIELDS} }
}`;
const CREATE_TOKEN = `mutation ($name: String!) {
  createApiToken(name: $name, scopes: [READ]) { token apiToken { id } }
}`;

interface UserView {
  id: string;
  email: string;
  role: string;
  locale: string;
  createdAt: string;
  lastLoginAt: string | null;
  mustChangePassword: boolean;
}

interface AuditRow {
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  fields: string[];
}

let server: TestServer;
let admin: TestAgent;
/** Every password this file handed out or chose, to check none is kept where it must not be. */
const secrets: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.admin();
});
afterAll(() => server.close());

function newEmail(prefix = 'person'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}@example.test`;
}

async function createWithOneTimePassword(
  role: 'ADMIN' | 'VIEWER',
): Promise<{ user: UserView; oneTimePassword: string }> {
  const created = dataOf(
    await admin.gql<{ createUser: { id: string; user: UserView; oneTimePassword: string | null } }>(CREATE, {
      input: { email: newEmail(role.toLowerCase()), role },
    }),
  ).createUser;
  if (created.oneTimePassword === null) throw new Error('no one-time password was returned');
  secrets.push(created.oneTimePassword);
  return { user: created.user, oneTimePassword: created.oneTimePassword };
}

async function signedIn(email: string, password: string): Promise<TestAgent> {
  const agent = server.agent();
  dataOf(await agent.login(email, password));
  return agent;
}

async function me(agent: TestAgent): Promise<UserView | null> {
  return dataOf(await agent.gql<{ me: UserView | null }>(ME)).me;
}

async function userRow(id: string): Promise<{ role: string; must_change_password: boolean } | undefined> {
  const result = await server.db.query<{ role: string; must_change_password: boolean }>(
    'SELECT role, must_change_password FROM users WHERE id = $1',
    [id],
  );
  return result.rows[0];
}

async function auditOf(userId: string): Promise<AuditRow[]> {
  const result = await server.db.query<AuditRow>(
    'SELECT actor, action, entity_type, entity_id, fields FROM audit_log WHERE entity_id = $1 ORDER BY id',
    [userId],
  );
  return result.rows;
}

async function adminIds(): Promise<string[]> {
  const result = await server.db.query<{ id: string }>(`SELECT id FROM users WHERE role = 'ADMIN'`);
  return result.rows.map((row) => row.id);
}

function messageOf(response: GqlResponse<unknown>): string {
  return response.body.errors?.[0]?.message ?? '';
}

describe('who may manage users', () => {
  const operations: Array<[string, string, (id: string) => Record<string, unknown>]> = [
    ['users', USERS, () => ({})],
    ['createUser', CREATE, () => ({ input: { email: newEmail('refused'), role: 'ADMIN' } })],
    ['setUserRole', SET_ROLE, (id) => ({ id, role: 'ADMIN' })],
    ['resetUserPassword', RESET, (id) => ({ id })],
    ['endUserSessions', END_SESSIONS, (id) => ({ id })],
    ['removeUser', REMOVE, (id) => ({ id })],
  ];
  const callers = ['VIEWER session', 'token with every scope', 'nobody'] as const;
  const table = callers.flatMap((caller) =>
    operations.map(([name, query, variables]) => [caller, name, query, variables] as const),
  );
  let target: { id: string; agent: TestAgent };
  let agents: Map<(typeof callers)[number], TestAgent>;

  beforeAll(async () => {
    const viewer = await server.userAgent('VIEWER');
    const token = await server.tokenAgent(['READ', 'SEND', 'MANAGE']);
    agents = new Map([
      ['VIEWER session', viewer],
      ['token with every scope', token],
      ['nobody', server.agent()],
    ]);
    const victim = await server.userAgent('VIEWER');
    const found = await me(victim);
    if (!found) throw new Error('the victim is not signed in');
    target = { id: found.id, agent: victim };
  });

  it.each(table)('%s calling %s is refused and changes nothing', async (caller, _name, query, variables) => {
    const before = await server.db.query('SELECT * FROM users ORDER BY id');
    const response = await agents.get(caller)?.gql(query, variables(target.id));
    if (!response) throw new Error(`no agent for ${caller}`);
    expect(errorCode(response)).toBe(caller === 'nobody' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    expect((await server.db.query('SELECT * FROM users ORDER BY id')).rows).toEqual(before.rows);
    expect(await me(target.agent)).not.toBeNull();
  });

  it.each(operations.slice(2))('%s of an unknown user is NOT_FOUND', async (_name, query, variables) => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const response = await admin.gql(query, variables(id));
      expect(errorCode(response)).toBe('NOT_FOUND');
      expect(messageOf(response)).toMatch(/\.$/);
    }
  });
});

describe('users and createUser', () => {
  it('lists every user with role, dates and whether they must change their password', async () => {
    const { user } = await createWithOneTimePassword('VIEWER');
    const users = dataOf(await admin.gql<{ users: UserView[] }>(USERS)).users;
    expect(users.find((u) => u.id === user.id)).toEqual({ ...user, lastLoginAt: null });
    const self = users.find((u) => u.email === server.adminEmail);
    expect(self).toMatchObject({ role: 'ADMIN', mustChangePassword: false });
    expect(Date.parse(self?.lastLoginAt ?? '')).toBeGreaterThan(Date.parse(self?.createdAt ?? ''));
  });

  it('without a password, returns a generated one-time password once, which must be changed', async () => {
    const email = newEmail('fresh');
    const response = await admin.gql<{
      createUser: { id: string; user: UserView; oneTimePassword: string | null };
    }>(CREATE, { input: { email, role: 'VIEWER' } });
    const created = dataOf(response).createUser;
    expect(created.oneTimePassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    secrets.push(created.oneTimePassword ?? '');
    expect(created.id).toBe(created.user.id);
    expect(created.user).toMatchObject({
      email,
      role: 'VIEWER',
      mustChangePassword: true,
      lastLoginAt: null,
    });
    expect(await auditOf(created.user.id)).toEqual([
      {
        actor: `user:${server.adminEmail}`,
        action: 'user.create',
        entity_type: 'user',
        entity_id: created.user.id,
        fields: ['email', 'password', 'role', 'locale', 'mustChangePassword'],
      },
    ]);
    // The one-time password is in this response only.
    expect(JSON.stringify(dataOf(await admin.gql(USERS)))).not.toContain(created.oneTimePassword);
  });

  it('with a password (as before), uses it and asks for no change', async () => {
    const password = testSecret('chosen');
    secrets.push(password);
    const email = newEmail('chosen');
    const created = dataOf(
      await admin.gql<{ createUser: { user: UserView; oneTimePassword: string | null } }>(CREATE, {
        input: { email, password, role: 'VIEWER' },
      }),
    ).createUser;
    expect(created).toMatchObject({ oneTimePassword: null, user: { mustChangePassword: false } });
    const agent = await signedIn(email, password);
    expect(errorCode(await agent.gql('{ providers { id } }'))).toBeUndefined();
  });

  it('refuses a password that breaks the rules, naming the field', async () => {
    const response = await admin.gql(CREATE, {
      input: { email: newEmail('short'), password: 'short', role: 'VIEWER' },
    });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0]?.extensions?.fields).toEqual([
      { field: 'password', message: 'Use a password of at least 8 characters.' },
    ]);
  });
});

describe('a user with a one-time password', () => {
  /** Operations a restricted session is refused, each allowed to its role otherwise. */
  const refused: Array<['ADMIN' | 'VIEWER', string, string, Record<string, unknown>]> = [
    ['VIEWER', 'providers', '{ providers { id } }', {}],
    ['VIEWER', 'setMyLocale', 'mutation { setMyLocale(locale: "tr") { id } }', {}],
    ['ADMIN', 'users', USERS, {}],
    ['ADMIN', 'auditLog', '{ auditLog { totalCount } }', {}],
    ['ADMIN', 'createApiToken', CREATE_TOKEN, { name: 'while-restricted' }],
    ['ADMIN', 'createUser', CREATE, { input: { email: 'never@example.test', role: 'ADMIN' } }],
  ];

  it.each(refused)(
    '%s: signs in, and %s answers PASSWORD_CHANGE_REQUIRED',
    async (role, _name, query, variables) => {
      const { user, oneTimePassword } = await createWithOneTimePassword(role);
      const agent = server.agent();
      const login = await agent.login(user.email, oneTimePassword);
      expect(dataOf(login).login).toMatchObject({ id: user.id, role });
      expect(await me(agent)).toMatchObject({ id: user.id, mustChangePassword: true });
      const before = await server.db.query('SELECT count(*) FROM audit_log');
      const response = await agent.gql(query, variables);
      expect(errorCode(response)).toBe('PASSWORD_CHANGE_REQUIRED');
      expect(messageOf(response)).toMatch(/changeMyPassword.*\.$/);
      expect(response.body.data ?? null).toBeNull();
      expect((await server.db.query('SELECT count(*) FROM audit_log')).rows).toEqual(before.rows);
    },
  );

  it('is free once they set their own password, which ends their other sessions', async () => {
    const { user, oneTimePassword } = await createWithOneTimePassword('VIEWER');
    const agent = await signedIn(user.email, oneTimePassword);
    const elsewhere = await signedIn(user.email, oneTimePassword);
    const chosen = testSecret('own');
    secrets.push(chosen);

    const wrong = await agent.gql(CHANGE, { current: 'not-the-password', next: chosen });
    expect(errorCode(wrong)).toBe('BAD_USER_INPUT');
    expect(wrong.body.errors?.[0]?.extensions?.fields).toEqual([
      { field: 'currentPassword', message: 'This is not your current password; enter it again.' },
    ]);
    const same = await agent.gql(CHANGE, { current: oneTimePassword, next: oneTimePassword });
    expect(errorCode(same)).toBe('BAD_USER_INPUT');
    const short = await agent.gql(CHANGE, { current: oneTimePassword, next: 'short' });
    expect(short.body.errors?.[0]?.extensions?.fields).toEqual([
      { field: 'newPassword', message: 'Use a password of at least 8 characters.' },
    ]);
    expect(await userRow(user.id)).toMatchObject({ must_change_password: true });
    // Logging out needs no new password.
    expect(dataOf(await elsewhere.gql('mutation { logout }'))).toEqual({ logout: true });
    const third = await signedIn(user.email, oneTimePassword);

    const changed = dataOf(
      await agent.gql<{ changeMyPassword: UserView }>(CHANGE, {
        current: oneTimePassword,
        next: chosen,
      }),
    ).changeMyPassword;
    expect(changed).toMatchObject({ id: user.id, mustChangePassword: false });
    expect(errorCode(await agent.gql('{ providers { id } }'))).toBeUndefined();
    expect(await me(agent)).toMatchObject({ mustChangePassword: false });
    expect(await me(third)).toBeNull();
    expect(errorCode(await server.agent().login(user.email, oneTimePassword))).toBe('UNAUTHENTICATED');
    await signedIn(user.email, chosen);
    expect((await auditOf(user.id)).map((row) => [row.actor, row.action, row.fields])).toEqual([
      [
        `user:${server.adminEmail}`,
        'user.create',
        ['email', 'password', 'role', 'locale', 'mustChangePassword'],
      ],
      [`user:${user.email}`, 'user.change-password', ['password', 'mustChangePassword', 'sessions']],
    ]);
  });

  it('cannot be used by an API token or without a session', async () => {
    const token = await server.tokenAgent(['MANAGE']);
    const args = { current: 'whatever-1', next: 'whatever-2' };
    expect(errorCode(await token.gql(CHANGE, args))).toBe('FORBIDDEN');
    expect(errorCode(await server.agent().gql(CHANGE, args))).toBe('UNAUTHENTICATED');
  });
});

describe('setUserRole', () => {
  it('promotes and demotes at once, audited', async () => {
    const viewer = await server.userAgent('VIEWER');
    const self = await me(viewer);
    if (!self) throw new Error('not signed in');
    expect(errorCode(await viewer.gql(USERS))).toBe('FORBIDDEN');
    const promoted = dataOf(
      await admin.gql<{ setUserRole: UserView }>(SET_ROLE, { id: self.id, role: 'ADMIN' }),
    );
    expect(promoted.setUserRole).toMatchObject({ id: self.id, role: 'ADMIN' });
    expect(errorCode(await viewer.gql(USERS))).toBeUndefined();
    dataOf(await admin.gql(SET_ROLE, { id: self.id, role: 'VIEWER' }));
    expect(errorCode(await viewer.gql(USERS))).toBe('FORBIDDEN');
    const entries = (await auditOf(self.id)).filter((row) => row.action === 'user.update');
    expect(entries).toEqual([
      {
        actor: `user:${server.adminEmail}`,
        action: 'user.update',
        entity_type: 'user',
        entity_id: self.id,
        fields: ['role'],
      },
      {
        actor: `user:${server.adminEmail}`,
        action: 'user.update',
        entity_type: 'user',
        entity_id: self.id,
        fields: ['role'],
      },
    ]);
  });
});

describe('resetUserPassword and endUserSessions', () => {
  it('reset: a new one-time password shown once, the old one refused, every session ended', async () => {
    const person = await server.userAgent('VIEWER');
    secrets.push(person.password);
    const second = await signedIn(person.email, person.password);
    const self = await me(person);
    if (!self) throw new Error('not signed in');

    const reset = dataOf(
      await admin.gql<{
        resetUserPassword: { user: UserView; oneTimePassword: string; sessionsEnded: number };
      }>(RESET, { id: self.id }),
    ).resetUserPassword;
    secrets.push(reset.oneTimePassword);
    expect(reset).toMatchObject({ sessionsEnded: 2, user: { id: self.id, mustChangePassword: true } });
    expect(reset.oneTimePassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await me(person)).toBeNull();
    expect(await me(second)).toBeNull();
    expect(errorCode(await server.agent().login(person.email, person.password))).toBe('UNAUTHENTICATED');

    const again = await signedIn(person.email, reset.oneTimePassword);
    expect(errorCode(await again.gql('{ providers { id } }'))).toBe('PASSWORD_CHANGE_REQUIRED');
    const chosen = testSecret('after-reset');
    secrets.push(chosen);
    dataOf(await again.gql(CHANGE, { current: reset.oneTimePassword, next: chosen }));
    expect(errorCode(await again.gql('{ providers { id } }'))).toBeUndefined();
    expect((await auditOf(self.id)).map((row) => [row.action, row.fields])).toContainEqual([
      'user.reset-password',
      ['password', 'mustChangePassword', 'sessions'],
    ]);
  });

  it('endUserSessions signs the user out everywhere and changes nothing else', async () => {
    const person = await server.userAgent('VIEWER');
    secrets.push(person.password);
    const second = await signedIn(person.email, person.password);
    const self = await me(person);
    if (!self) throw new Error('not signed in');
    expect(dataOf(await admin.gql(END_SESSIONS, { id: self.id }))).toEqual({ endUserSessions: 2 });
    expect(await me(person)).toBeNull();
    expect(await me(second)).toBeNull();
    const back = await signedIn(person.email, person.password);
    expect(errorCode(await back.gql('{ providers { id } }'))).toBeUndefined();
    expect((await auditOf(self.id)).map((row) => [row.action, row.fields])).toContainEqual([
      'user.end-sessions',
      ['sessions'],
    ]);
  });
});

describe('removeUser', () => {
  it('removes the user, ends their sessions and revokes the API tokens they created', async () => {
    const leaving = await server.userAgent('ADMIN');
    secrets.push(leaving.password);
    const self = await me(leaving);
    if (!self) throw new Error('not signed in');
    const theirs = dataOf(
      await leaving.gql<{ createApiToken: { token: string; apiToken: { id: string } } }>(CREATE_TOKEN, {
        name: 'made-by-leaver',
      }),
    ).createApiToken;
    const theirToken = server.agent().withToken(theirs.token);
    const othersToken = await server.tokenAgent(['READ']);
    expect(errorCode(await theirToken.gql('{ providers { id } }'))).toBeUndefined();

    const removed = dataOf(await admin.gql<{ removeUser: unknown }>(REMOVE, { id: self.id })).removeUser;
    expect(removed).toEqual({ id: self.id, email: leaving.email, sessionsEnded: 1, apiTokensRevoked: 1 });
    expect(await me(leaving)).toBeNull();
    expect(errorCode(await theirToken.gql('{ providers { id } }'))).toBe('UNAUTHENTICATED');
    expect(errorCode(await othersToken.gql('{ providers { id } }'))).toBeUndefined();
    expect(errorCode(await server.agent().login(leaving.email, leaving.password))).toBe('UNAUTHENTICATED');
    expect(dataOf(await admin.gql<{ users: UserView[] }>(USERS)).users.map((u) => u.id)).not.toContain(
      self.id,
    );
    expect(errorCode(await admin.gql(REMOVE, { id: self.id }))).toBe('NOT_FOUND');

    const entries = await server.db.query<{
      actor: string;
      action: string;
      entity_id: string;
      fields: string[];
    }>(
      `SELECT actor, action, entity_id, fields FROM audit_log WHERE entity_id = ANY($1) AND actor = $2 ORDER BY id`,
      [[self.id, theirs.apiToken.id], `user:${server.adminEmail}`],
    );
    expect(entries.rows.map((row) => [row.action, row.entity_id, row.fields])).toEqual([
      ['user.create', self.id, ['email', 'password', 'role', 'locale']],
      ['user.delete', self.id, ['sessions', 'apiTokens']],
      ['api-token.revoke', theirs.apiToken.id, ['revokedAt']],
    ]);
  });
});

describe('the last administrator', () => {
  /** Leaves the first administrator as the only one. */
  async function onlyTheFirstAdmin(): Promise<string> {
    const first = await me(admin);
    if (!first) throw new Error('the first administrator is not signed in');
    for (const id of await adminIds()) {
      if (id !== first.id) dataOf(await admin.gql(SET_ROLE, { id, role: 'VIEWER' }));
    }
    return first.id;
  }

  it('can be neither demoted nor removed, with a message saying what to do', async () => {
    const firstId = await onlyTheFirstAdmin();
    for (const [query, variables] of [
      [SET_ROLE, { id: firstId, role: 'VIEWER' }],
      [REMOVE, { id: firstId }],
    ] as const) {
      const response = await admin.gql(query, variables);
      expect(errorCode(response)).toBe('CONFLICT');
      expect(messageOf(response)).toBe(
        `${server.adminEmail} is the last administrator and cannot ${
          query === REMOVE ? 'be removed' : 'lose the ADMIN role'
        }; make another user an administrator first.`,
      );
    }
    expect(await adminIds()).toEqual([firstId]);
    expect(await me(admin)).toMatchObject({ role: 'ADMIN' });
  });

  it('is kept when two administrators demote each other at the same moment', async () => {
    const firstId = await onlyTheFirstAdmin();
    for (let round = 0; round < 6; round++) {
      const other = await server.userAgent('ADMIN');
      const otherId = (await me(other))?.id ?? '';
      const [byFirst, byOther] = await Promise.all([
        admin.gql(SET_ROLE, { id: otherId, role: 'VIEWER' }),
        other.gql(SET_ROLE, { id: firstId, role: 'VIEWER' }),
      ]);
      // The one that loses is refused by the rule, or, when its request is read after the other's
      // change, as a viewer.
      const codes = [errorCode(byFirst), errorCode(byOther)];
      expect(codes.filter((code) => code === undefined)).toHaveLength(1);
      expect(['CONFLICT', 'FORBIDDEN']).toContain(codes.find((code) => code !== undefined));
      const left = await adminIds();
      expect(left).toHaveLength(1);
      // Put the first administrator back in charge for the next round.
      if (left[0] === otherId) dataOf(await other.gql(SET_ROLE, { id: firstId, role: 'ADMIN' }));
      await onlyTheFirstAdmin();
    }
  });

  it('is kept when two administrators remove each other at the same moment', async () => {
    const firstId = await onlyTheFirstAdmin();
    for (let round = 0; round < 4; round++) {
      const one = await server.userAgent('ADMIN');
      const two = await server.userAgent('ADMIN');
      const oneId = (await me(one))?.id ?? '';
      const twoId = (await me(two))?.id ?? '';
      dataOf(await one.gql(SET_ROLE, { id: firstId, role: 'VIEWER' }));
      await Promise.all([one.gql(REMOVE, { id: twoId }), two.gql(REMOVE, { id: oneId })]);
      const left = await adminIds();
      expect(left).toHaveLength(1);
      expect([oneId, twoId]).toContain(left[0]);
      const survivor = left[0] === oneId ? one : two;
      dataOf(await survivor.gql(SET_ROLE, { id: firstId, role: 'ADMIN' }));
      dataOf(await admin.gql(REMOVE, { id: left[0] }));
    }
  });
});

describe('secrets', () => {
  it('no password handed out or chosen here is in the logs or the database outside its hash', async () => {
    expect(secrets.length).toBeGreaterThan(5);
    const logs = server.logs.join('\n');
    const audit = JSON.stringify((await server.db.query('SELECT * FROM audit_log')).rows);
    const users = JSON.stringify((await server.db.query('SELECT * FROM users')).rows);
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
      expect(audit).not.toContain(secret);
      expect(users).not.toContain(secret);
    }
  });
});
