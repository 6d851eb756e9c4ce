#!/usr/bin/env node
// The quick start: install, build, then run the API (which serves the panel) on its embedded
// PostgreSQL. Node built-ins only: this runs on a fresh clone before any dependency is installed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const apiDir = path.join(root, 'packages', 'api');
const PNPM = 'pnpm@10.34.9';

/** pnpm as the caller ran it (`npx -y pnpm@… start` sets npm_execpath), else through npx. */
function pnpmCommand(args) {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/i.test(path.basename(execPath)) && existsSync(execPath)) {
    return /\.(c|m)?js$/.test(execPath) ? [process.execPath, [execPath, ...args]] : [execPath, args];
  }
  return [process.platform === 'win32' ? 'npx.cmd' : 'npx', ['-y', PNPM, ...args]];
}

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${[command, ...args].join(' ')} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

async function main() {
  const skipInstall = process.argv.includes('--no-install');
  const skipBuild = process.argv.includes('--no-build');
  if (!skipInstall) {
    console.log('\n> Installing dependencies (pnpm install --frozen-lockfile)');
    await run(...pnpmCommand(['install', '--frozen-lockfile']));
  }
  if (!skipBuild) {
    console.log('\n> Building every package (pnpm build)');
    await run(...pnpmCommand(['build']));
  }
  console.log('\n> Starting the API and the admin panel');
  // Run from packages/api, as `pnpm --filter @mail-providers/api start` does, so DATA_DIR (.data)
  // means the same directory either way.
  const server = spawn(process.execPath, ['dist/main.js'], {
    cwd: apiDir,
    stdio: 'inherit',
    env: process.env,
  });
  // Ctrl-C may reach us twice (from the terminal and from pnpm): pass a signal on once, and again
  // only if it comes back later (someone insisting).
  let lastForward = 0;
  const forward = (signal) => {
    if (server.exitCode !== null || Date.now() - lastForward < 1000) return;
    lastForward = Date.now();
    server.kill(signal);
  };
  process.on('SIGINT', () => forward('SIGINT'));
  process.on('SIGTERM', () => forward('SIGTERM'));
  server.on('exit', (code, signal) => {
    process.exit(code ?? (signal ? 1 : 0));
  });
}

main().catch((error) => {
  console.error(`\nStart failed: ${error.message}`);
  process.exit(1);
});
