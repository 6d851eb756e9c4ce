import { spawn } from 'node:child_process';
import type { ClusterLayout } from './cluster-layout';
import { binary } from './postgres-binaries';

export interface PostmasterOptions {
  layout: ClusterLayout;
  port: number;
  /** Further command-line options, e.g. `['-c', 'listen_addresses=127.0.0.1']`. */
  flags: string[];
  /** Every line PostgreSQL writes to its log (stderr). */
  onLine: (line: string) => void;
}

/** How a server ended: its exit code, or the signal that ended it. */
export interface PostmasterExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running PostgreSQL server that this process started. */
export interface Postmaster {
  pid: number;
  /** Settles when the server has exited, for whatever reason. */
  exited: Promise<PostmasterExit>;
  /** Fast shutdown (sessions still open are cut); resolves once the server has exited. */
  stop(): Promise<void>;
}

const READY = 'database system is ready to accept connections';

/**
 * Starts PostgreSQL on an initialised cluster, as the layout's account. The server gets a process
 * group of its own: a Ctrl-C in the terminal then reaches only this process, which drains and stops
 * PostgreSQL last, instead of reaching PostgreSQL too, which would shut down at once under the requests
 * and deliveries still running.
 */
export async function startPostmaster(options: PostmasterOptions): Promise<Postmaster> {
  const { layout } = options;
  const child = spawn(
    binary(layout.binRoot, 'postgres'),
    ['-D', layout.clusterDir, '-p', String(options.port), ...options.flags],
    {
      ...(layout.account ? { uid: layout.account.uid, gid: layout.account.gid } : {}),
      cwd: layout.clusterDir,
      // Messages in English: the start is recognised by one of them.
      env: { LC_MESSAGES: 'C' },
      // A process group of its own (on Windows, detached would open a console window instead).
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const exited = new Promise<PostmasterExit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
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
    exited,
    stop: () => {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
        await exited;
      })();
      return stopped;
    },
  };
}
