// Fingerprints of what `pnpm install` and `pnpm build` read, recorded after each succeeds, so that a
// start with nothing changed skips both. Node built-ins only, like the start script itself.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Kept inside node_modules: removing node_modules forgets them, as it should. */
const STAMP_FILES = {
  install: path.join('node_modules', '.mail-providers-install.json'),
  build: path.join('node_modules', '.mail-providers-build.json'),
};

/** Folders under a package that the build does not read, or writes itself. */
const NOT_READ_BY_BUILD = new Set(['node_modules', 'dist', '.data', 'coverage', 'test']);

async function packageDirs(root) {
  const entries = await readdir(path.join(root, 'packages'), { withFileTypes: true }).catch(() => []);
  return entries
    .filter(
      (entry) => entry.isDirectory() && existsSync(path.join(root, 'packages', entry.name, 'package.json')),
    )
    .map((entry) => `packages/${entry.name}`)
    .sort();
}

/** Every file under `dir` (relative to `root`, with forward slashes), skipping what the build does not read. */
async function filesUnder(root, dir) {
  const found = [];
  const entries = await readdir(path.join(root, dir), { withFileTypes: true });
  for (const entry of entries) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!NOT_READ_BY_BUILD.has(entry.name)) found.push(...(await filesUnder(root, relative)));
    } else if (entry.isFile()) {
      found.push(relative);
    }
  }
  return found;
}

/**
 * A digest of `prefix` and of each file's path and contents, in a fixed order. A missing file counts
 * too (its absence is part of the state), and each path carries its length so that no two different
 * trees can produce the same byte stream.
 */
async function digest(root, files, prefix = '') {
  const hash = createHash('sha256').update(`${prefix}\0`);
  for (const file of [...new Set(files)].sort()) {
    const contents = await readFile(path.join(root, file)).catch(() => undefined);
    hash.update(`${file}\0${contents === undefined ? '-' : contents.length}\0`);
    if (contents !== undefined) hash.update(contents);
  }
  return hash.digest('hex');
}

/** What `pnpm install --frozen-lockfile` reads: the lockfile, the workspace and every package.json. */
export async function installFingerprint(root) {
  const manifests = (await packageDirs(root)).map((dir) => `${dir}/package.json`);
  return digest(root, ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', '.npmrc', ...manifests]);
}

/** What `pnpm build` reads: the packages' sources and configs, the root tsconfigs, and the installed dependencies. */
export async function buildFingerprint(root, installed) {
  const rootConfigs = (await readdir(root)).filter((name) => /^tsconfig.*\.json$/.test(name));
  const sources = [];
  for (const dir of await packageDirs(root)) sources.push(...(await filesUnder(root, dir)));
  return digest(root, [...rootConfigs, ...sources], `install ${installed}`);
}

async function readStamp(root, kind) {
  try {
    const stamp = JSON.parse(await readFile(path.join(root, STAMP_FILES[kind]), 'utf8'));
    return typeof stamp?.fingerprint === 'string' ? stamp.fingerprint : undefined;
  } catch {
    return undefined;
  }
}

/** Packages with a build script whose dist folder is missing. */
async function unbuiltPackages(root) {
  const unbuilt = [];
  for (const dir of await packageDirs(root)) {
    if (existsSync(path.join(root, dir, 'dist'))) continue;
    try {
      const manifest = JSON.parse(await readFile(path.join(root, dir, 'package.json'), 'utf8'));
      if (manifest.scripts?.build) unbuilt.push(dir);
    } catch {
      // pnpm says what is wrong with it better than a parse error here would.
      unbuilt.push(dir);
    }
  }
  return unbuilt;
}

/**
 * The current fingerprints, and whether each matches the one recorded after the last successful
 * install or build (and what that produced is still there).
 */
export async function checkStamps(root) {
  const installed = await installFingerprint(root);
  const built = await buildFingerprint(root, installed);
  return {
    install: {
      fingerprint: installed,
      upToDate:
        existsSync(path.join(root, 'node_modules')) && (await readStamp(root, 'install')) === installed,
    },
    build: {
      fingerprint: built,
      upToDate: (await unbuiltPackages(root)).length === 0 && (await readStamp(root, 'build')) === built,
    },
  };
}

/** Records a fingerprint after `kind` ('install' or 'build') succeeded. Without node_modules there is nothing to record. */
export async function recordStamp(root, kind, fingerprint) {
  const file = path.join(root, STAMP_FILES[kind]);
  if (!existsSync(path.dirname(file))) return;
  // Written whole, then renamed: an interrupted write must not leave a stamp that parses.
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, `${JSON.stringify({ fingerprint, recordedAt: new Date().toISOString() })}\n`);
  await rename(partial, file);
}
