import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { Logger } from '../../logger';
import { clusterLayout, type ClusterLayout } from './cluster-layout';
import { initialiseCluster, SUPERUSER } from './initialise-cluster';
import { findRunningPostmaster, stopPostmaster, type PostmasterOwner } from './leftover-postmaster';
import { startPostmaster, type Postmaster, type PostmasterExit } from './postmaster';
import { postgresBinaries } from './postgres-binaries';

/** The embedded PostgreSQL of a data directory, as this process uses it. */
export interface EmbeddedDatabase {
  /** Connection URL of the application database (127.0.0.1 only). */
  url: string;
  port: number;
  /** The cluster's real directory (where the database files are). */
  clusterDir: string;
  /** Stops the server if this process started it; leaves another process's server running. */
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Data directory of the installation; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  logger: Logger;
  /** Database created for the application on first start. */
  databaseName?: string;
}

const PASSWORD_FILE = 'postgres-password';
const OWNER_FILE = 'postgres-owner.json';
const START_ATTEMPTS = 4;
/** How long a server left behind by a dead process gets for each of its fast and immediate shutdowns. */
const LEFTOVER_STOP_MS = 15_000;
/** Waits between attempts to start again a server that died under this process: doubling, capped. */
const RESTART_FIRST_DELAY_MS = 250;
const RESTART_MAX_DELAY_MS = 10_000;
/**
 * Loopback only, and no Unix socket, so installations side by side cannot collide. Autovacuum looks
 * for work every 5 s instead of every minute: each message inserts, updates and deletes a queue job
 * and updates its delivery twice, so the queue's indexes fill fast with entries of dead rows.
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

/**
 * Starts (and on first use initialises) PostgreSQL for `dataDir`, listening on 127.0.0.1 only, on a
 * free port, with no Unix socket, so several installations can run side by side and a system
 * PostgreSQL on 5432 is no obstacle. The superuser password is random per installation.
 *
 * A server that a dead process left running on this cluster (kill -9, an OOM kill) is stopped and
 * started afresh rather than reused: its log went to the dead process, and only a server this process
 * starts can be watched and restarted by it. A server that another live process runs is left alone,
 * and the start fails saying which process holds the data directory.
 *
 * While this process runs, a server that exits unexpectedly is started again, with backoff, on the
 * same port, so connection pools find it again.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const prepared = await prepare(options);
  const running = await findRunningPostmaster(prepared.layout.clusterDir, await readOwner(options.dataDir));
  if (running?.kind === 'in-use') {
    throw new Error(
      `The data directory ${options.dataDir} is in use by another running process (pid ${running.ownerPid}). ` +
        'Stop it first, or give this one another DATA_DIR (or a DATABASE_URL).',
    );
  }
  if (running?.kind === 'orphan') {
    prepared.log.warn(
      { postgresPid: running.pid },
      'found the embedded PostgreSQL left running by a process that ended; stopping it to start afresh',
    );
    await stopPostmaster(running.pid, LEFTOVER_STOP_MS);
  }
  return startSupervised(prepared);
}

/**
 * The embedded PostgreSQL for a command-line tool: the server already running for `dataDir` when a live
 * process runs it (its stop() then leaves it running), or one started for the tool alone.
 */
export async function openEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const prepared = await prepare(options);
  const running = await findRunningPostmaster(prepared.layout.clusterDir, await readOwner(options.dataDir));
  if (running?.kind !== 'in-use') return startEmbeddedDatabase(options);
  await ensureDatabase(running.port, prepared.password, prepared.databaseName);
  return {
    url: connectionUrl(running.port, prepared.password, prepared.databaseName),
    port: running.port,
    clusterDir: prepared.layout.clusterDir,
    stop: async () => undefined,
  };
}

interface Prepared {
  dataDir: string;
  databaseName: string;
  layout: ClusterLayout;
  password: string;
  log: Logger;
  recentLines: string[];
  remember: (line: string) => void;
}

/** The layout, the password and an initialised cluster: what every use of the data directory needs. */
async function prepare(options: EmbeddedDatabaseOptions): Promise<Prepared> {
  const { dataDir } = options;
  await fs.mkdir(dataDir, { recursive: true, mode: 0o755 });
  const layout = await clusterLayout(dataDir, postgresBinaries());
  const password = await readOrCreatePassword(dataDir);
  const log = options.logger.child({ component: 'embedded-postgres' });
  const recentLines: string[] = [];
  const remember = (line: string) => {
    recentLines.push(line);
    if (recentLines.length > 20) recentLines.splice(0, recentLines.length - 20);
    log.debug({ line }, 'postgres');
  };
  const prepared = {
    dataDir,
    databaseName: options.databaseName ?? 'mail_providers',
    layout,
    password,
    log,
    recentLines,
    remember,
  };
  try {
    if (await initialiseCluster(layout, password, remember)) {
      log.info({ clusterDir: layout.clusterDir }, 'initialised the embedded PostgreSQL cluster');
    }
  } catch (error) {
    throw new Error(
      `Could not initialise the embedded PostgreSQL in ${layout.clusterDir}: ${describe(error)} ` +
        `Last messages: ${lastMessages(prepared)}.`,
    );
  }
  return prepared;
}

async function startSupervised(prepared: Prepared): Promise<EmbeddedDatabase> {
  const { layout, log, password, databaseName, dataDir } = prepared;
  const started = await startOnFreePort(prepared);
  const { port } = started;
  let { postmaster } = started;
  try {
    await ensureDatabase(port, password, databaseName);
    await writeOwner(dataDir, postmaster.pid);
  } catch (error) {
    await postmaster.stop();
    throw error;
  }
  log.info({ port, clusterDir: layout.clusterDir }, 'embedded PostgreSQL is running on 127.0.0.1');

  let stopping = false;
  const stopRestarts = new AbortController();
  const restartAfterExit = async (exited: Postmaster, exit: PostmasterExit): Promise<void> => {
    if (stopping || exited !== postmaster) return;
    log.error(
      { ...exit, lastMessages: prepared.recentLines.slice(-5) },
      'the embedded PostgreSQL exited unexpectedly; starting it again',
    );
    for (let attempt = 1, delay = RESTART_FIRST_DELAY_MS; !stopping; attempt++) {
      try {
        await sleep(delay, undefined, { signal: stopRestarts.signal });
        postmaster = await startPostmaster({
          layout,
          port,
          flags: POSTGRES_FLAGS,
          onLine: prepared.remember,
        });
        await writeOwner(dataDir, postmaster.pid);
        log.info({ port, attempt }, 'the embedded PostgreSQL is running again');
        watch(postmaster);
        return;
      } catch (error) {
        if (stopping) return;
        log.warn(
          { attempt, error: describe(error), lastMessages: prepared.recentLines.slice(-3) },
          'could not start the embedded PostgreSQL again yet; retrying',
        );
        delay = Math.min(delay * 2, RESTART_MAX_DELAY_MS);
      }
    }
  };
  const watch = (started: Postmaster) => {
    void started.exited.then((exit) => restartAfterExit(started, exit));
  };
  watch(postmaster);

  // The last resort when the process ends without a graceful stop: no orphan keeps the cluster locked.
  const killOnExit = () => {
    try {
      process.kill(postmaster.pid, 'SIGINT');
    } catch {
      // Already stopped.
    }
  };
  process.on('exit', killOnExit);

  let stopped: Promise<void> | undefined;
  const stop = async () => {
    stopping = true;
    stopRestarts.abort();
    const open = await sessionsLeftAfter(port, password, SESSIONS_END_MS).catch(() => []);
    if (open.length > 0) {
      log.warn(
        { sessions: open },
        'stopping the embedded PostgreSQL while clients are still connected; they will see their sessions cut',
      );
    }
    await postmaster.stop();
    await fs.rm(path.join(dataDir, OWNER_FILE), { force: true });
    process.removeListener('exit', killOnExit);
    log.info('embedded PostgreSQL stopped');
  };
  return {
    url: connectionUrl(port, password, databaseName),
    port,
    clusterDir: layout.clusterDir,
    stop: () => {
      stopped ??= stop();
      return stopped;
    },
  };
}

/** Starts the server on a free port; another process may take the port first, so a few tries. */
async function startOnFreePort(prepared: Prepared): Promise<{ postmaster: Postmaster; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    prepared.recentLines.length = 0;
    try {
      const postmaster = await startPostmaster({
        layout: prepared.layout,
        port,
        flags: POSTGRES_FLAGS,
        onLine: prepared.remember,
      });
      return { postmaster, port };
    } catch (error) {
      const portTaken = prepared.recentLines.some((line) =>
        /could not bind|address already in use/i.test(line),
      );
      if (portTaken && attempt < START_ATTEMPTS) continue;
      throw new Error(
        `Could not start the embedded PostgreSQL in ${prepared.layout.clusterDir}: ${describe(error)} ` +
          `Last messages: ${lastMessages(prepared)}.`,
      );
    }
  }
}

/** Asks the OS for a free loopback port. Another process could take it before PostgreSQL binds. */
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

async function readOwner(dataDir: string): Promise<PostmasterOwner | undefined> {
  try {
    const value: unknown = JSON.parse(await fs.readFile(path.join(dataDir, OWNER_FILE), 'utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const ownerPid = 'ownerPid' in value ? Number(value.ownerPid) : NaN;
    const postmasterPid = 'postmasterPid' in value ? Number(value.postmasterPid) : NaN;
    return Number.isInteger(ownerPid) && Number.isInteger(postmasterPid)
      ? { ownerPid, postmasterPid }
      : undefined;
  } catch {
    return undefined;
  }
}

async function writeOwner(dataDir: string, postmasterPid: number): Promise<void> {
  const owner: PostmasterOwner = { ownerPid: process.pid, postmasterPid };
  const file = path.join(dataDir, OWNER_FILE);
  await fs.writeFile(`${file}.tmp`, `${JSON.stringify(owner)}\n`);
  await fs.rename(`${file}.tmp`, file);
}

/**
 * Waits until no other client is connected (or `timeoutMs` has passed) and returns the application
 * names of the sessions still open. A fast shutdown cuts every open session with 57P01, and a closed pg
 * pool has only asked its connections to end, so without this wait their sessions are often still open
 * when the server goes down.
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
      await sleep(SESSIONS_POLL_MS);
    }
  } finally {
    // Resolves once the server has closed this session, so it is not cut by the shutdown either.
    await client.end();
  }
}

function lastMessages(prepared: Prepared): string {
  return prepared.recentLines.slice(-5).join(' | ') || 'none';
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
