import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The built server and commands, as `pnpm --filter @mail-providers/api start` and its scripts run them. */
export const BUILT_SERVER = path.resolve(__dirname, '..', '..', 'dist', 'main.js');
export const BUILT_RESET_ADMIN = path.resolve(__dirname, '..', '..', 'dist', 'cli', 'reset-admin.js');

export interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface BuiltServer {
  url: string;
  /** stdout and stderr so far. */
  output(): string;
  /** SIGTERM, and the exit that follows. */
  stop(): Promise<Ended>;
}

/** The environment of a child: a minimal one (no variable of this run leaks in) with `env` on top. */
function childEnv(env: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...env,
  };
}

function spawnBuilt(script: string, args: string[], env: Record<string, string>) {
  if (!existsSync(script)) {
    throw new Error(`${script} is missing: build the API first (npx tsc -p tsconfig.build.json).`);
  }
  const child = spawn(process.execPath, [script, ...args], {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ended: Ended = { code: null, signal: null, stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (ended.stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (ended.stderr += chunk.toString('utf8')));
  const exited = new Promise<Ended>((resolve) =>
    child.once('close', (code, signal) => resolve(Object.assign(ended, { code, signal }))),
  );
  return { child, ended, exited };
}

/** Runs a built script to its end (killed after `timeoutMs`). */
export async function runBuilt(
  script: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 90_000,
): Promise<Ended> {
  const { child, exited } = spawnBuilt(script, args, env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts the built server with `env`; resolves once it prints where it runs, rejects with its output if
 * it exits first.
 */
export async function startBuiltServer(
  env: Record<string, string>,
  timeoutMs = 90_000,
): Promise<BuiltServer> {
  const { child, ended, exited } = spawnBuilt(BUILT_SERVER, [], env);
  const output = () => `${ended.stdout}${ended.stderr}`;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The server did not start within ${timeoutMs} ms:\n${output()}`));
    }, timeoutMs);
    const look = () => {
      // The whole block, so the lines about the admin are in `output()` once this resolves.
      const found = /running at (http:\/\/\S+)[\s\S]*\n\n/.exec(ended.stdout);
      if (!found?.[1]) return;
      clearTimeout(timer);
      child.stdout.off('data', look);
      resolve(found[1]);
    };
    child.stdout.on('data', look);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`The server exited (${code ?? signal}) before it started:\n${output()}`));
    });
  });
  return {
    url,
    output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
