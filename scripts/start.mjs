#!/usr/bin/env node
// The quick start: install, build, then run the API (which serves the panel) on its embedded
// PostgreSQL. Node built-ins only: this runs on a fresh clone before any dependency is installed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { watchLaunchers } from './launcher-watch.mjs';
import { checkStamps, recordStamp } from './stamps.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const apiDir = path.join(root, 'packages', 'api');
const PNPM = 'pnpm@10.34.9';
const FLAGS = ['--rebuild', '--no-install', '--no-build', '--no-start'];

/** pnpm as the caller ran it (`npx -y pnpm@… start` sets npm_execpath), else through npx. */
function pnpmCommand(args) {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/i.test(path.basename(execPath)) && existsSync(execPath)) {
    return /\.(c|m)?js$/.test(execPath) ? [process.execPath, [execPath, ...args]] : [execPath, args];
  }
  return [process.platform === 'win32' ? 'npx.cmd' : 'npx', ['-y', PNPM, ...args]];
}

function parseFlags(args) {
  // `pnpm start -- --rebuild` hands the `--` on as well.
  const unknown = args.filter((arg) => arg !== '--' && !FLAGS.includes(arg));
  if (unknown.length > 0) {
    console.error(`Unknown option ${unknown.join(' ')}: the start command takes ${FLAGS.join(', ')}.`);
    process.exit(2);
  }
  return {
    rebuild: args.includes('--rebuild'),
    install: !args.includes('--no-install'),
    build: !args.includes('--no-build'),
    // Install and build only (what the test command needs first).
    start: !args.includes('--no-start'),
  };
}

/** The exit status a shell reports: the code, or 128 + the number of the signal that ended the process. */
function exitStatus(code, signal) {
  return code ?? 128 + (constants.signals[signal] ?? 0);
}

// The process running now (pnpm install, pnpm build, then the server), and the stop request if any.
let current;
let stopSignal;
let forwardedAt = 0;

/**
 * Passes a stop request on to the running process once. The same Ctrl-C can come back within a second
 * (the terminal signals the whole job, and a launcher may pass its own copy on): that is an echo. A
 * signal later than that means "stop now" and goes on too; the launcher's disappearance never does.
 */
function requestStop(signal, { insistable = true } = {}) {
  if (stopSignal !== undefined) {
    if (!insistable || !current || Date.now() - forwardedAt < 1000) return;
  } else {
    stopSignal = signal;
    if (!current) process.exit(exitStatus(null, signal));
  }
  forwardedAt = Date.now();
  current.kill(signal);
}

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    current = child;
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      current = undefined;
      resolve({ code, signal });
    });
  });
}

/** Runs a pnpm step; a failure stops the start, and so does a stop request that arrived meanwhile. */
async function pnpmStep(args) {
  const { code, signal } = await run(...pnpmCommand(args));
  if (stopSignal !== undefined) process.exit(exitStatus(code, signal ?? stopSignal));
  if (code !== 0) throw new Error(`pnpm ${args.join(' ')} failed (${signal ?? `exit code ${code}`})`);
}

function skipMessage(skippedInstall, skippedBuild) {
  const force = '(pass --rebuild to force)';
  if (skippedInstall && skippedBuild) return `> Dependencies and build are up to date; skipping ${force}`;
  if (skippedInstall) return `> Dependencies are up to date; skipping pnpm install ${force}`;
  if (skippedBuild) return `> Build is up to date; skipping pnpm build ${force}`;
  return undefined;
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  process.on('SIGINT', () => requestStop('SIGINT'));
  process.on('SIGTERM', () => requestStop('SIGTERM'));
  watchLaunchers(() => {
    console.log('\n> The command that started this one is gone; stopping');
    requestStop('SIGTERM', { insistable: false });
  });

  const stamps = await checkStamps(root);
  const install = flags.install && (flags.rebuild || !stamps.install.upToDate);
  // A fresh install may have brought other dependencies than the last build used.
  const build = flags.build && (flags.rebuild || install || !stamps.build.upToDate);
  const skipped = skipMessage(flags.install && !install, flags.build && !build);
  if (skipped) console.log(`\n${skipped}`);
  if (install) {
    console.log('\n> Installing dependencies (pnpm install --frozen-lockfile)');
    await pnpmStep(['install', '--frozen-lockfile']);
    await recordStamp(root, 'install', stamps.install.fingerprint);
  }
  if (build) {
    console.log('\n> Building every package (pnpm build)');
    await pnpmStep(['build']);
    await recordStamp(root, 'build', stamps.build.fingerprint);
  }

  if (!flags.start) process.exit(0);
  console.log('\n> Starting the API and the admin panel');
  // Run from packages/api, as `pnpm --filter @mail-providers/api start` does, so DATA_DIR (.data)
  // means the same directory either way.
  const server = run(process.execPath, ['dist/main.js'], { cwd: apiDir, env: process.env });
  const { code, signal } = await server;
  // The launcher may be gone by now, and with it the status it would have shown.
  console.log(`\n> The server ${stopSignal ? 'stopped' : 'exited'} (${signal ?? `exit code ${code}`})`);
  process.exit(exitStatus(code, signal));
}

main().catch((error) => {
  console.error(`\nStart failed: ${error.message}`);
  process.exit(1);
});
