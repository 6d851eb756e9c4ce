import net from 'node:net';
import { rm } from 'node:fs/promises';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { createApp } from '../src/server';
import { BUILT_SERVER, runBuilt, startBuiltServer, type BuiltServer } from './support/built-process';
import { eventually } from './durable/durable-support';
import { dataOf, errorCode, TestAgent } from './support/test-agent';
import { createTestDatabase } from './support/test-database';
import { makeDataDir, startTestServer, testSecret, type TestServer } from './support/test-server';

const RESET_HINT = 'npx -y pnpm@10.34.9 --filter @mail-providers/api run reset-admin -- --email';

/** A port held by a listening socket of this process, so a server started on it cannot bind. */
function holdPort(): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const holder = net.createServer();
    holder.once('error', reject);
    holder.listen(0, '127.0.0.1', () => resolve(holder));
  });
}

function portOf(server: net.Server): number {
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('The holder has no port.');
  return address.port;
}

function generatedPasswordIn(output: string): string | undefined {
  return /Sign in as \S+ with the password (\S+)\n/.exec(output)?.[1];
}

describe('the first administrator of the built server (embedded PostgreSQL)', () => {
  let dataDir: string;
  let holder: net.Server | undefined;
  let server: BuiltServer | undefined;

  beforeAll(async () => {
    dataDir = await makeDataDir();
  });
  afterAll(async () => {
    await server?.stop();
    await new Promise((resolve) => (holder ? holder.close(resolve) : resolve(undefined)));
    await rm(dataDir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string> = {}) => ({
    DATA_DIR: dataDir,
    ADMIN_EMAIL: 'owner@example.test',
    // Workers on the main thread: one process fewer to start on a small machine.
    WORKER_THREAD: 'false',
    ...extra,
  });
  let generated = '';

  it('is created by the first start that listens, not by one whose port was taken', async () => {
    holder = await holdPort();
    const refused = await runBuilt(BUILT_SERVER, [], env({ PORT: String(portOf(holder)) }));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/could not start/i);
    expect(`${refused.stdout}${refused.stderr}`).not.toMatch(/Sign in as/);

    server = await startBuiltServer(env({ PORT: '0' }));
    generated = generatedPasswordIn(server.output()) ?? '';
    expect(generated).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const admin = new TestAgent(server.url);
    expect(dataOf(await admin.login('owner@example.test', generated)).login.role).toBe('ADMIN');
  });

  it('ignores ADMIN_PASSWORD for the existing administrator, says so and how to reset it', async () => {
    expect(generated).not.toBe('');
    await server?.stop();
    const ignoredPassword = testSecret('ignored');
    server = await startBuiltServer(env({ PORT: '0', ADMIN_PASSWORD: ignoredPassword }));
    const findWarning = (output: string) =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line): unknown => JSON.parse(line))
        .find(
          (entry): entry is { level: number; msg: string } =>
            typeof entry === 'object' &&
            entry !== null &&
            'msg' in entry &&
            typeof entry.msg === 'string' &&
            entry.msg.startsWith('ADMIN_PASSWORD is ignored'),
        );
    // The log is written asynchronously: it may reach the pipe after the start's summary lines.
    const started = server;
    const warning = await eventually('the warning to be logged', async () => findWarning(started.output()));
    const output = server.output();
    expect(warning?.level).toBe(40);
    expect(warning?.msg).toContain(`owner@example.test already exists`);
    expect(warning?.msg).toContain(`${RESET_HINT} owner@example.test`);
    expect(output).not.toContain(ignoredPassword);
    expect(generatedPasswordIn(output)).toBeUndefined();

    const agent = new TestAgent(server.url);
    expect(errorCode(await agent.login('owner@example.test', ignoredPassword))).toBe('UNAUTHENTICATED');
    expect(dataOf(await agent.login('owner@example.test', generated)).login.email).toBe('owner@example.test');
  });
});

describe('the first administrator of an in-process server (DATABASE_URL)', () => {
  it('is not created when the port is taken, and never by a worker', async () => {
    const database = await createTestDatabase();
    const dataDir = await makeDataDir();
    const holder = await holdPort();
    const servers: TestServer[] = [];
    try {
      const config = loadConfig({
        DATABASE_URL: database.url,
        DATA_DIR: dataDir,
        MAILER_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
        HOST: '127.0.0.1',
        PORT: String(portOf(holder)),
        LOG_LEVEL: 'silent',
      });
      await expect(createApp(config, { logger: createLogger(config) })).rejects.toThrow(/EADDRINUSE/);

      const worker = await startTestServer({ databaseUrl: database.url, dataDir, env: { MODE: 'worker' } });
      servers.push(worker);
      expect(worker.app.firstAdmin.created).toBe(false);
      const { rows } = await worker.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
      expect(rows[0]?.n).toBe(0);

      const api = await startTestServer({ databaseUrl: database.url, dataDir, env: { MODE: 'api' } });
      servers.push(api);
      expect(api.app.firstAdmin).toEqual({ created: true, email: api.adminEmail });
      dataOf(await api.agent().login(api.adminEmail, api.adminPassword));
    } finally {
      for (const server of servers) await server.close();
      await new Promise((resolve) => holder.close(resolve));
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  describe('a start on a database that has users', () => {
    let first: TestServer;
    let dataDir: string;
    let databaseUrl: string;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const database = await createTestDatabase();
      databaseUrl = database.url;
      drop = database.drop;
      dataDir = await makeDataDir();
      first = await startTestServer({ databaseUrl, dataDir, env: { MODE: 'api' } });
      await first.close();
    });
    afterAll(async () => {
      await drop();
      await rm(dataDir, { recursive: true, force: true });
    });

    // [case, env of the start (ADMIN_EMAIL and ADMIN_PASSWORD), what ensureFirstAdmin reports]
    const cases: Array<[string, () => Record<string, string>, string | undefined]> = [
      ['no ADMIN_PASSWORD', () => ({ ADMIN_EMAIL: first.adminEmail, ADMIN_PASSWORD: '' }), undefined],
      [
        "the administrator's own password",
        () => ({ ADMIN_EMAIL: first.adminEmail, ADMIN_PASSWORD: first.adminPassword }),
        undefined,
      ],
      [
        'another password for the administrator',
        () => ({ ADMIN_EMAIL: first.adminEmail, ADMIN_PASSWORD: testSecret('other') }),
        'admin-exists',
      ],
      [
        'an email that has no account',
        () => ({ ADMIN_EMAIL: 'someone-else@example.test', ADMIN_PASSWORD: testSecret('other') }),
        'other-users',
      ],
    ];

    it.each(cases)('with %s creates nothing and warns as the table says', async (_name, env, ignored) => {
      const given = env();
      const server = await startTestServer({ databaseUrl, dataDir, env: { MODE: 'api', ...given } });
      try {
        expect(server.app.firstAdmin.created).toBe(false);
        expect(server.app.firstAdmin.adminPasswordIgnored).toBe(ignored);
        const warnings = server.logs.filter(
          (line) => line.includes('is ignored') || line.includes('are ignored'),
        );
        expect(warnings).toHaveLength(ignored ? 1 : 0);
        if (ignored) expect(warnings[0]).toContain(RESET_HINT);
        if (given.ADMIN_PASSWORD) expect(server.logs.join('\n')).not.toContain(given.ADMIN_PASSWORD);
        const { rows } = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
        expect(rows[0]?.n).toBe(1);
        dataOf(await server.agent().login(first.adminEmail, first.adminPassword));
      } finally {
        await server.close();
      }
    });
  });
});
