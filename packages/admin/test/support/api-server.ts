// Starts the built API (which serves the built panel) as its own process, the way operators run it:
// `node packages/api/dist/main.js`, an embedded PostgreSQL in a temporary DATA_DIR, any free port.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PACKAGES = path.resolve(__dirname, '..', '..', '..');
export const API_MAIN = path.join(PACKAGES, 'api', 'dist', 'main.js');
export const ADMIN_INDEX = path.join(PACKAGES, 'admin', 'dist', 'index.html');

export interface RunningApi {
  url: string;
  adminEmail: string;
  adminPassword: string;
  /** Everything the process printed, for the test's failure messages (no secrets are printed). */
  output(): string;
  stop(): Promise<void>;
}

export function assertBuilt(): void {
  const missing = [API_MAIN, ADMIN_INDEX].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `The end-to-end tests need the built API and panel; missing: ${missing.join(', ')}. Run \`npx -y pnpm@10.34.9 build\` at the repository root first.`,
    );
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export async function startApi(extraEnv: Record<string, string> = {}): Promise<RunningApi> {
  assertBuilt();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mail-providers-e2e-'));
  // When run as root, the embedded PostgreSQL runs as another user, which must be able to reach the directory.
  await chmod(dataDir, 0o711);
  const adminEmail = 'admin@example.com';
  const adminPassword = 'e2e-' + randomBytes(12).toString('hex');
  const child = spawn(process.execPath, [API_MAIN], {
    cwd: path.join(PACKAGES, '..'),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dataDir,
      PORT: '0',
      DATA_DIR: dataDir,
      ADMIN_EMAIL: adminEmail,
      ADMIN_PASSWORD: adminPassword,
      LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await waitForExit(child, 20_000);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`The API did not start within 120 s:\n${output}`)),
        120_000,
      );
      const check = () => {
        const match = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`The API exited with code ${String(code)} before it started:\n${output}`));
      });
    });
    return { url, adminEmail, adminPassword, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
