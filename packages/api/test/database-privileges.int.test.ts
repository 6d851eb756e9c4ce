import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { Client } from 'pg';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { createApp } from '../src/server';
import { addSmtpProvider, DELIVERY, eventually, FAST_QUEUE_ENV, SEND_EMAIL } from './durable/durable-support';
import { dataOf, TestAgent } from './support/test-agent';
import { startTestServer, testSecret, type TestServer } from './support/test-server';

/**
 * The PostgreSQL roles of docs/topology.md, set up with the SQL written there, on the machine's
 * PostgreSQL service (a server of its own, with trust authentication for local connections): the owner
 * migrates, the runtime role runs a MODE=all server that delivers a message.
 */
const SERVICE_HOST = '127.0.0.1';
const SERVICE_PORT = 5432;
const SUPERUSER = 'postgres';
const DOC = path.resolve(__dirname, '..', '..', '..', 'docs', 'topology.md');
const SECTION = '## PostgreSQL roles and privileges';

const run = promisify(execFile);

/** Whether something accepts connections at the service's address; checked before the tests are declared. */
function serviceListens(): boolean {
  const probe = `require('node:net').connect(${SERVICE_PORT}, '${SERVICE_HOST}')
    .on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
  return spawnSync(process.execPath, ['-e', probe], { timeout: 5000 }).status === 0;
}

/** The statements of each `sql` block of the roles section, one string per statement. */
async function documentedSql(): Promise<string[][]> {
  const doc = await readFile(DOC, 'utf8');
  const start = doc.indexOf(SECTION);
  if (start < 0) throw new Error(`${DOC} has no section "${SECTION}".`);
  const end = doc.indexOf('\n## ', start + SECTION.length);
  const section = doc.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sql\n([\s\S]*?)```/g)].map((block) =>
    (block[1] ?? '')
      .split('\n')
      .filter((line) => !line.trim().startsWith('--'))
      .join('\n')
      .split(/;\s*$/m)
      .map((statement) => statement.trim())
      .filter((statement) => statement !== ''),
  );
}

function serviceUrl(user: string, password: string | undefined, database: string): string {
  const credentials = password === undefined ? user : `${user}:${encodeURIComponent(password)}`;
  return `postgres://${credentials}@${SERVICE_HOST}:${SERVICE_PORT}/${database}`;
}

async function asSuperuser(database: string, statements: string[]): Promise<void> {
  const client = new Client({ connectionString: serviceUrl(SUPERUSER, undefined, database) });
  await client.connect();
  try {
    // One at a time: CREATE DATABASE refuses to run inside the implicit transaction of a multi-statement query.
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

function commandExists(command: string): boolean {
  return spawnSync(command, ['--version']).status === 0;
}

const listens = serviceListens();
const describeOnService = listens ? describe : describe.skip;
if (!listens) {
  process.stderr.write(
    `database-privileges: skipped, no PostgreSQL listens at ${SERVICE_HOST}:${SERVICE_PORT} ` +
      `(the test needs one with trust authentication for user ${SUPERUSER}).\n`,
  );
}

describeOnService(`PostgreSQL roles of docs/topology.md, on ${SERVICE_HOST}:${SERVICE_PORT}`, () => {
  const suffix = randomBytes(4).toString('hex');
  const database = `mp_privileges_${suffix}`;
  const restored = `${database}_restored`;
  const owner = `mp_owner_${suffix}`;
  const runtime = `mp_app_${suffix}`;
  const ownerPassword = testSecret('owner');
  const runtimePassword = testSecret('app');
  const secretKey = randomBytes(32).toString('base64');
  const servers: TestServer[] = [];
  let blocks: string[][];
  let smtp: SmtpTestServer;
  let admin: { email: string; password: string };
  let deliveryId: string;

  /** A documented block with this test's names and passwords in place of the documented ones. */
  const named = (statements: string[], databaseName = database): string[] =>
    statements.map((statement) =>
      statement
        .replace(/\bmail_providers_owner\b/g, owner)
        .replace(/\bmail_providers_app\b/g, runtime)
        .replace(/\bmail_providers\b/g, databaseName)
        .replace(/'change-me-owner'/g, `'${ownerPassword}'`)
        .replace(/'change-me-app'/g, `'${runtimePassword}'`),
    );

  const ownerUrl = (name = database) => serviceUrl(owner, ownerPassword, name);
  const runtimeUrl = (name = database) => serviceUrl(runtime, runtimePassword, name);

  async function startServer(url: string, env: Record<string, string>): Promise<TestServer> {
    const server = await startTestServer({
      databaseUrl: url,
      env: { ...FAST_QUEUE_ENV, MAILER_SECRET_KEY: secretKey, ...env },
    });
    servers.push(server);
    return server;
  }

  async function stop(server: TestServer): Promise<void> {
    servers.splice(servers.indexOf(server), 1);
    await server.close();
  }

  async function signedIn(server: TestServer): Promise<TestAgent> {
    const agent = server.agent();
    dataOf(await agent.login(admin.email, admin.password));
    return agent;
  }

  beforeAll(async () => {
    blocks = await documentedSql();
    expect(blocks).toHaveLength(2);
    const [roles = [], grants = []] = blocks;
    await asSuperuser('postgres', named(roles));
    await asSuperuser(database, named(grants));
    smtp = await startSmtpTestServer();
  });

  afterAll(async () => {
    for (const server of servers.splice(0)) await server.close().catch(() => undefined);
    await smtp?.close();
    await asSuperuser('postgres', [
      `DROP DATABASE IF EXISTS ${restored} WITH (FORCE)`,
      `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`,
      `DROP ROLE IF EXISTS ${runtime}`,
      `DROP ROLE IF EXISTS ${owner}`,
    ]);
  });

  it('the runtime role can create nothing', async () => {
    const client = new Client({ connectionString: runtimeUrl() });
    await client.connect();
    try {
      await expect(client.query('CREATE TABLE intruder (id int)')).rejects.toThrow(
        /permission denied for schema public/,
      );
      await expect(client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm')).rejects.toThrow(
        /permission denied/,
      );
    } finally {
      await client.end();
    }
  });

  it('a start as the runtime role before the migrations fails and leaves the database empty', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'mail-providers-privileges-'));
    try {
      const config = loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PORT: '0',
        DATABASE_URL: runtimeUrl(),
        DATA_DIR: dataDir,
        MAILER_SECRET_KEY: secretKey,
      });
      await expect(createApp(config, { logger: createLogger(config) })).rejects.toThrow(
        /permission denied for schema public/,
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
    const client = new Client({ connectionString: ownerUrl() });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
      );
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      await client.end();
    }
  });

  it('the owner migrates, with the trigram index of the delivery log', async () => {
    const migrator = await startServer(ownerUrl(), { MODE: 'api' });
    admin = { email: migrator.adminEmail, password: migrator.adminPassword };
    await stop(migrator);

    const client = new Client({ connectionString: ownerUrl() });
    await client.connect();
    try {
      const owners = await client.query<{ owner: string }>(
        `SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = 'public'`,
      );
      expect(owners.rows).toEqual([{ owner }]);
      const trigram = await client.query(
        `SELECT 1 FROM pg_indexes WHERE schemaname = 'public' AND indexdef LIKE '%gin_trgm_ops%'`,
      );
      expect(trigram.rowCount).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });

  it('a MODE=all server as the runtime role signs in, takes an API token and delivers a message', async () => {
    const server = await startServer(runtimeUrl(), { MODE: 'all' });
    const agent = await signedIn(server);
    await addSmtpProvider(agent, smtp, { name: 'relay' });
    const token = dataOf(
      await agent.gql<{ createApiToken: { token: string } }>(
        `mutation { createApiToken(name: "cms", scopes: [SEND, READ]) { token } }`,
      ),
    ).createApiToken.token;
    const sender = server.agent().withToken(token);

    const accepted = dataOf(
      await sender.gql<{ sendEmail: { id: string; status: string } }>(SEND_EMAIL, {
        input: { to: ['reader@example.com'], subject: 'Least privilege', text: 'Sent by the runtime role.' },
      }),
    ).sendEmail;
    expect(accepted.status).toBe('QUEUED');
    deliveryId = accepted.id;
    const delivery = await eventually('the delivery to be SENT', async () => {
      const { delivery: found } = dataOf(
        await sender.gql<{ delivery: { status: string } }>(DELIVERY, { id: deliveryId }),
      );
      if (found.status === 'FAILED') throw new Error(`the delivery FAILED: ${JSON.stringify(found)}`);
      return found.status === 'SENT' ? found : undefined;
    });
    expect(delivery.status).toBe('SENT');
    expect(smtp.messages.map((message) => message.rcptTo)).toEqual([['reader@example.com']]);

    const audited = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`);
    expect(audited.rows[0]?.n).toBeGreaterThan(0);
    dataOf(await agent.gql(`mutation { logout }`));
    await stop(server);
  });

  it('a dump taken as the owner restores into a database set up the same way, readable with the same key', async () => {
    if (!commandExists('pg_dump') || !commandExists('pg_restore')) {
      process.stderr.write(
        'database-privileges: restore not checked, pg_dump or pg_restore is not installed.\n',
      );
      return;
    }
    const [, grants = []] = blocks;
    const dumpDir = await mkdtemp(path.join(tmpdir(), 'mail-providers-dump-'));
    const dump = path.join(dumpDir, 'mail_providers.dump');
    try {
      await run('pg_dump', ['--format=custom', `--file=${dump}`, `--dbname=${ownerUrl()}`]);
      await asSuperuser('postgres', [`CREATE DATABASE ${restored} OWNER ${owner}`]);
      await asSuperuser(restored, named(grants, restored));
      await run('pg_restore', [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        `--dbname=${ownerUrl(restored)}`,
        dump,
      ]);
    } finally {
      await rm(dumpDir, { recursive: true, force: true });
    }

    const server = await startServer(runtimeUrl(restored), { MODE: 'api' });
    const agent = await signedIn(server);
    const { delivery } = dataOf(
      await agent.gql<{ delivery: { status: string } }>(DELIVERY, { id: deliveryId }),
    );
    expect(delivery.status).toBe('SENT');
    // The provider's password was encrypted with the key: the restored one decrypts for a verification.
    const { providers } = dataOf(
      await agent.gql<{ providers: Array<{ id: string }> }>(`{ providers { id } }`),
    );
    const verified = dataOf(
      await agent.gql<{ verifyProvider: { ok: boolean } }>(
        `mutation ($id: ID!) { verifyProvider(id: $id) { ok } }`,
        { id: providers[0]?.id },
      ),
    );
    expect(verified.verifyProvider.ok).toBe(true);
    await stop(server);
  });
});
