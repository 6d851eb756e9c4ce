import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { BUILT_RESET_ADMIN, runBuilt, type Ended } from './support/built-process';
import { dataOf, errorCode, TestAgent } from './support/test-agent';
import {
  makeDataDir,
  startEmbeddedApp,
  startTestServer,
  testSecret,
  type TestServer,
} from './support/test-server';

const ME = '{ me { email } }';

function generatedPasswordIn(ended: Ended): string {
  const found = /with the password (\S+)\n/.exec(ended.stdout)?.[1];
  if (!found) throw new Error(`No generated password in the output:\n${ended.stdout}${ended.stderr}`);
  return found;
}

async function signedInEmail(agent: TestAgent): Promise<string | undefined> {
  return dataOf(await agent.gql<{ me: { email: string } | null }>(ME)).me?.email;
}

describe('reset-admin against DATABASE_URL (server running)', () => {
  let server: TestServer;
  let env: Record<string, string>;
  /** Signed in as an administrator; replaced once the first one's sessions are ended. */
  let manager: TestAgent;
  const reset = (args: string[]) => runBuilt(BUILT_RESET_ADMIN, args, env);

  async function newUser(role: 'ADMIN' | 'VIEWER') {
    const password = testSecret('user');
    const email = `${role.toLowerCase()}-${password}@example.test`;
    dataOf(
      await manager.gql('mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }', {
        i: { email, password, role },
      }),
    );
    const agent = server.agent();
    dataOf(await agent.login(email, password));
    return { agent, email, password };
  }

  beforeAll(async () => {
    // Two failed logins lock the account, so a reset that did not clear the counter would show.
    server = await startTestServer({ env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '2' } });
    env = {
      DATABASE_URL: server.databaseUrl,
      MAILER_SECRET_KEY: server.config.secretKey ?? '',
      DATA_DIR: server.config.dataDir,
    };
  });
  afterAll(() => server?.close());

  it('sets a generated password, ends the sessions, clears the failed logins and audits it', async () => {
    const admin = await server.admin();
    manager = admin;
    expect(await signedInEmail(admin)).toBe(server.adminEmail);
    const guesser = server.agent();
    for (let i = 0; i < 2; i++)
      expect(errorCode(await guesser.login(server.adminEmail, 'wrong-password'))).toBe('UNAUTHENTICATED');
    expect(errorCode(await guesser.login(server.adminEmail, server.adminPassword))).toBe('RATE_LIMITED');

    const ended = await reset(['--email', server.adminEmail.toUpperCase()]);
    expect(ended.code).toBe(0);
    expect(ended.stdout).toContain(`The password of ${server.adminEmail} is reset; 1 session ended.`);
    const password = generatedPasswordIn(ended);
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);

    expect(await signedInEmail(admin)).toBeUndefined();
    const fresh = server.agent();
    expect(errorCode(await fresh.login(server.adminEmail, server.adminPassword))).toBe('UNAUTHENTICATED');
    expect(dataOf(await fresh.login(server.adminEmail, password)).login.role).toBe('ADMIN');
    expect(await signedInEmail(fresh)).toBe(server.adminEmail);
    manager = fresh;

    const { rows } = await server.db.query<{ actor: string; fields: string[]; entity_id: string }>(
      `SELECT actor, fields, entity_id FROM audit_log WHERE action = 'user.reset-password'`,
    );
    const { rows: users } = await server.db.query<{ id: string; role: string; locale: string }>(
      'SELECT id, role, locale FROM users WHERE email = $1',
      [server.adminEmail],
    );
    expect(rows).toEqual([{ actor: 'cli', fields: ['password', 'sessions'], entity_id: users[0]?.id }]);
    expect(users[0]).toMatchObject({ role: 'ADMIN', locale: 'en' });
  });

  it('sets a given password without printing it', async () => {
    const created = await newUser('ADMIN');
    const chosen = testSecret('chosen');
    const ended = await reset(['--email', created.email, '--password', chosen]);
    expect(ended.code).toBe(0);
    expect(`${ended.stdout}${ended.stderr}`).not.toContain(chosen);
    expect(await signedInEmail(created.agent)).toBeUndefined();
    const agent = server.agent();
    expect(errorCode(await agent.login(created.email, created.password))).toBe('UNAUTHENTICATED');
    dataOf(await agent.login(created.email, chosen));
  });

  // [case, arguments, exit code, what the output says]
  const refusals: Array<[string, () => string[], number, RegExp]> = [
    [
      'an unknown email',
      () => ['--email', 'nobody@example.test'],
      1,
      /No user has the email nobody@example\.test; nothing was changed\. Administrators: .*admin-/,
    ],
    ['a viewer', () => ['--email', viewerEmail], 1, /is a VIEWER user, not an administrator/],
    ['no --email', () => [], 2, /--email <address>[\s\S]*Usage: reset-admin/],
    ['an unknown option', () => ['--email', server.adminEmail, '--role', 'ADMIN'], 2, /Usage: reset-admin/],
    [
      'a short --password',
      () => ['--email', server.adminEmail, '--password', 'short'],
      2,
      /at least 8 characters[\s\S]*Usage: reset-admin/,
    ],
  ];
  let viewerEmail = '';

  it.each(refusals)('refuses %s and changes nothing', async (_name, args, code, said) => {
    if (!viewerEmail) viewerEmail = (await newUser('VIEWER')).email;
    const kept = await newUser('ADMIN');
    const { rows: before } = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');

    const ended = await reset(args());
    expect(ended.code).toBe(code);
    expect(ended.stderr).toMatch(said);
    expect(ended.stdout).toBe('');
    expect(`${ended.stdout}${ended.stderr}`).not.toMatch(/\$argon2|postgres:\/\//);

    expect(await signedInEmail(kept.agent)).toBe(kept.email);
    const { rows: after } = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    expect(after[0]?.n).toBe(before[0]?.n);
  });
});

describe('reset-admin against the embedded database (server stopped or running)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await makeDataDir();
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts the database of DATA_DIR for the reset, and stops it again', async () => {
    const oldPassword = testSecret('old');
    const first = await startEmbeddedApp(dataDir, { ADMIN_PASSWORD: oldPassword });
    const session = new TestAgent(first.app.url);
    try {
      dataOf(await session.login('owner@example.test', oldPassword));
    } finally {
      await first.app.close();
    }

    const ended = await runBuilt(BUILT_RESET_ADMIN, ['--email', 'owner@example.test'], { DATA_DIR: dataDir });
    expect(ended.code).toBe(0);
    expect(ended.stdout).toContain('The password of owner@example.test is reset; 1 session ended.');
    const password = generatedPasswordIn(ended);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = await startEmbeddedApp(dataDir);
    try {
      const resumed = new TestAgent(second.app.url);
      resumed.cookies.set('mp_session', session.cookies.get('mp_session') ?? '');
      expect(await signedInEmail(resumed)).toBeUndefined();
      const agent = new TestAgent(second.app.url);
      expect(errorCode(await agent.login('owner@example.test', oldPassword))).toBe('UNAUTHENTICATED');
      expect(dataOf(await agent.login('owner@example.test', password)).login.email).toBe(
        'owner@example.test',
      );
    } finally {
      await second.app.close();
    }
  });

  it('uses the PostgreSQL of the server running on DATA_DIR, and leaves it running', async () => {
    const running = await startEmbeddedApp(dataDir);
    try {
      const postmaster = readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8');
      const ended = await runBuilt(BUILT_RESET_ADMIN, ['--email', 'owner@example.test'], {
        DATA_DIR: dataDir,
      });
      expect(ended.code).toBe(0);
      const password = generatedPasswordIn(ended);
      // The same server, still up: the running app signs in with the new password at once.
      expect(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).toBe(postmaster);
      const agent = new TestAgent(running.app.url);
      expect(dataOf(await agent.login('owner@example.test', password)).login.email).toBe(
        'owner@example.test',
      );
    } finally {
      await running.app.close();
    }
  });

  it('refuses a DATA_DIR that holds no database, and creates nothing there', async () => {
    const empty = await makeDataDir();
    try {
      const ended = await runBuilt(BUILT_RESET_ADMIN, ['--email', 'owner@example.test'], { DATA_DIR: empty });
      expect(ended.code).toBe(1);
      expect(ended.stderr).toContain(`${empty} holds no database`);
      expect(existsSync(path.join(empty, 'postgres'))).toBe(false);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
