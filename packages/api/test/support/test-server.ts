import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import { loadConfig, type AppConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createApp, type App } from '../../src/server';
import { createTestDatabase, type TestDatabase } from './test-database';
import { dataOf, TestAgent, type AnyData, type GqlResponse, type RequestOptions } from './test-agent';

export interface TestServerOptions {
  /** Environment overrides, as the server would read them (e.g. { NODE_ENV: 'production' }). */
  env?: Record<string, string>;
  /** Reuse this database instead of creating a fresh one (for restart tests). */
  databaseUrl?: string;
  /** Reuse this data directory (key file, embedded database). */
  dataDir?: string;
}

/** Who makes a call: the first admin, nobody, or a given agent. */
export type As = 'admin' | 'anonymous' | TestAgent;

export interface TestServer {
  url: string;
  app: App;
  config: AppConfig;
  /** Every log line the server wrote, as JSON text. */
  logs: string[];
  /** A direct connection to the server's database, for checking rows. */
  db: Client;
  databaseUrl: string;
  adminEmail: string;
  adminPassword: string;
  gql<TData = AnyData>(
    query: string,
    variables?: Record<string, unknown>,
    options?: RequestOptions & { as?: As },
  ): Promise<GqlResponse<TData>>;
  /** A new client with an empty cookie jar. */
  agent(): TestAgent;
  /** A client signed in as the first admin (created on first use, then reused). */
  admin(): Promise<TestAgent>;
  /** Creates a user with this role through the API and returns a client signed in as them. */
  userAgent(role: 'ADMIN' | 'VIEWER'): Promise<TestAgent & { email: string; password: string }>;
  /** Creates an API token with these scopes through the API and returns a client that sends it. */
  tokenAgent(scopes: Array<'SEND' | 'READ' | 'MANAGE'>): Promise<TestAgent & { token: string }>;
  /** Stops the server; drops the database unless it was given. */
  close(): Promise<void>;
}

/** A secret made at run time, never a literal in the source. */
export function testSecret(prefix = 'test'): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`;
}

/**
 * A temporary data directory that others may enter, so a run as root keeps its cluster inside it (rather
 * than under /var/lib/mail-providers, where nothing would remove it after the test).
 */
export async function makeDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mail-providers-test-'));
  await chmod(dir, 0o755);
  return dir;
}

/** A log destination that appends every line written to it to `lines`. */
function captureLines(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line !== ''),
      );
      callback();
    },
  });
}

/**
 * Starts the server as a first-time user would: no DATABASE_URL (its own embedded PostgreSQL in
 * `dataDir`), no MAILER_SECRET_KEY, no ADMIN_PASSWORD; `env` on top. Logs are captured line by line.
 */
export async function startEmbeddedApp(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ app: App; logs: string[] }> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_EMAIL: 'owner@example.test',
    ...env,
  });
  const logs: string[] = [];
  const app = await createApp(config, { logger: createLogger(config, captureLines(logs)) });
  return { app, logs };
}

/**
 * Starts the real server in this process on 127.0.0.1, port 0, with its own fresh database, a
 * random secret key and admin password, and its logs captured.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database: TestDatabase | undefined = options.databaseUrl ? undefined : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? database?.url ?? '';
  const dataDir = options.dataDir ?? (await makeDataDir());
  const adminEmail = `admin-${randomBytes(3).toString('hex')}@example.test`;
  const adminPassword = testSecret('admin');
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    MAILER_SECRET_KEY: randomBytes(32).toString('base64'),
    ADMIN_EMAIL: adminEmail,
    ADMIN_PASSWORD: adminPassword,
    // Tests that serve the panel point this at their own directory.
    ADMIN_DIST_DIR: path.join(dataDir, 'no-admin-build'),
    ...options.env,
  });

  const logs: string[] = [];
  const app = await createApp(config, { logger: createLogger(config, captureLines(logs)) });
  const db = new Client({ connectionString: config.databaseUrl ?? databaseUrl });
  await db.connect();

  let adminAgent: Promise<TestAgent> | undefined;
  const agent = () => new TestAgent(app.url);
  const admin = () => {
    adminAgent ??= (async () => {
      const a = agent();
      dataOf(await a.login(adminEmail, adminPassword));
      return a;
    })();
    return adminAgent;
  };

  const server: TestServer = {
    url: app.url,
    app,
    config,
    logs,
    db,
    databaseUrl,
    adminEmail,
    adminPassword,
    async gql(query, variables, opts = {}) {
      const { as = 'admin', ...requestOptions } = opts;
      const caller = as === 'admin' ? await admin() : as === 'anonymous' ? agent() : as;
      return caller.gql(query, variables, requestOptions);
    },
    agent,
    admin,
    async userAgent(role) {
      const email = `${role.toLowerCase()}-${randomBytes(4).toString('hex')}@example.test`;
      const password = testSecret('user');
      dataOf(
        await (
          await admin()
        ).gql(`mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
          input: { email, password, role },
        }),
      );
      const a = agent();
      dataOf(await a.login(email, password));
      return Object.assign(a, { email, password });
    },
    async tokenAgent(scopes) {
      const created = dataOf(
        await (
          await admin()
        ).gql<{ createApiToken: { token: string } }>(
          `mutation ($name: String!, $scopes: [ApiTokenScope!]!) {
            createApiToken(name: $name, scopes: $scopes) { token }
          }`,
          { name: `token-${randomBytes(3).toString('hex')}`, scopes },
        ),
      );
      const token = created.createApiToken.token;
      return Object.assign(agent().withToken(token), { token });
    },
    async close() {
      await db.end().catch(() => undefined);
      await app.close();
      if (database) await database.drop();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}
