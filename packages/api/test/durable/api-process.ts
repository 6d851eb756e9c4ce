import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { makeDataDir } from '../support/test-server';

/** The built server, as `pnpm --filter @mail-providers/api start` runs it. */
export const BUILT_MAIN = path.resolve(__dirname, '..', '..', 'dist', 'main.js');

export interface ApiProcess {
  url: string;
  pid: number;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then wait for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ApiProcessOptions {
  startTimeoutMs?: number;
  /** A data directory to use (and keep); by default one of its own, removed when the process exits. */
  dataDir?: string;
}

/**
 * Starts the built API (dist/main.js) as a child process on 127.0.0.1 and a free port, with `env` on
 * top of a minimal environment. Resolves once it prints where it listens.
 */
export async function startApiProcess(
  env: Record<string, string>,
  { startTimeoutMs = 60_000, dataDir: givenDataDir }: ApiProcessOptions = {},
): Promise<ApiProcess> {
  if (!existsSync(BUILT_MAIN)) {
    throw new Error(
      `${BUILT_MAIN} is missing: build the API first (pnpm --filter @mail-providers/api build).`,
    );
  }
  const dataDir = givenDataDir ?? (await makeDataDir());
  const child: ChildProcess = spawn(process.execPath, [BUILT_MAIN], {
    env: {
      DATA_DIR: dataDir,
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      const removed = givenDataDir ? Promise.resolve() : rm(dataDir, { recursive: true, force: true });
      void removed.finally(() => resolve({ code, signal }));
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The API process did not start within ${startTimeoutMs} ms:\n${text}`));
    }, startTimeoutMs);
    const look = () => {
      const found = /running at (http:\/\/[^\s]+)/.exec(text);
      if (found?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', look);
        resolve(found[1]);
      }
    };
    child.stdout?.on('data', look);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`The API process exited (${code ?? signal}) before it started:\n${text}`));
    });
  });
  const pid = child.pid ?? 0;
  return {
    url,
    pid,
    output: () => text,
    exited,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** pg_ctl beside the postgres binary the cluster was last started with (postmaster.opts names it). */
function pgCtl(databaseDir: string): string {
  const opts = readFileSync(path.join(databaseDir, 'postmaster.opts'), 'utf8').trim();
  // The binary comes first, unquoted; the options follow, each in double quotes.
  const postgres = opts.split(' "')[0] ?? '';
  const bin = path.join(path.dirname(postgres), 'pg_ctl');
  if (!existsSync(bin)) throw new Error(`pg_ctl not found at ${bin}.`);
  return bin;
}

/** PostgreSQL refuses to run as root: pg_ctl then runs as the account that owns the cluster. */
function clusterOwner(databaseDir: string): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const { uid, gid } = statSync(databaseDir);
  return { uid, gid };
}

function run(databaseDir: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(pgCtl(databaseDir), args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...clusterOwner(databaseDir),
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`pg_ctl ${args[0]} failed (${code}): ${text}`)),
    );
  });
}

/** The options the cluster was last started with (port, listen address …), without its folder. */
export function postmasterOptions(databaseDir: string): string[] {
  const opts = readFileSync(path.join(databaseDir, 'postmaster.opts'), 'utf8').trim();
  const args = [...opts.matchAll(/"([^"]*)"/g)].map((match) => match[1] ?? '');
  const dataArg = args.indexOf('-D');
  return dataArg >= 0 ? [...args.slice(0, dataArg), ...args.slice(dataArg + 2)] : args;
}

/** Stops the cluster in `databaseDir` the way an operator's restart does (fast: open sessions are cut). */
export async function stopPostgres(databaseDir: string): Promise<string[]> {
  const options = postmasterOptions(databaseDir);
  await run(databaseDir, ['stop', '-D', databaseDir, '-m', 'fast', '-w']);
  return options;
}

/** Starts the cluster again with the options `stopPostgres` returned. */
export async function startPostgres(databaseDir: string, options: string[]): Promise<void> {
  const quoted = options.map((option) => `'${option.replace(/'/g, `'\\''`)}'`).join(' ');
  await run(databaseDir, [
    'start',
    '-D',
    databaseDir,
    '-w',
    '-l',
    path.join(databaseDir, 'restart.log'),
    '-o',
    quoted,
  ]);
}
