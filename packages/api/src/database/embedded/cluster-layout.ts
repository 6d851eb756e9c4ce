import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { canEnter, postgresAccount, type PostgresAccount } from './postgres-account';
import type { PostgresBinaries } from './postgres-binaries';

/** Where the embedded PostgreSQL of one data directory runs from, and as whom. */
export interface ClusterLayout {
  /** The PostgreSQL installation to run (`bin/`, `lib/`, `share/`). */
  binRoot: string;
  /** The cluster's real directory; `<dataDir>/postgres` is it, or a link to it. */
  clusterDir: string;
  /** The account PostgreSQL runs as; undefined: this process's own user. */
  account?: PostgresAccount;
}

/**
 * Root's PostgreSQL runs as another account, which cannot enter a private folder such as root's home.
 * What it must reach is then kept here instead, in a folder made for it: a copy of the binaries, and the
 * cluster, with `<dataDir>/postgres` a symbolic link to it.
 */
export const SHARED_ROOT = '/var/lib/mail-providers';

const CLUSTER = 'postgres';

/**
 * Decides the layout for `dataDir`. An ordinary user runs PostgreSQL as themselves, from the installed
 * binaries, with the cluster in `<dataDir>/postgres`. Root does the same when the `postgres` account can
 * enter both folders; where it cannot, the binaries are copied and the cluster placed under `sharedRoot`,
 * so no one has to open up their folders.
 */
export async function clusterLayout(
  dataDir: string,
  binaries: PostgresBinaries,
  sharedRoot: string = SHARED_ROOT,
): Promise<ClusterLayout> {
  const account = await postgresAccount();
  const inDataDir = path.join(dataDir, CLUSTER);
  if (!account) return { binRoot: binaries.rootDir, clusterDir: inDataDir };

  const binRoot = (await canRun(binaries.rootDir, account))
    ? binaries.rootDir
    : await copyBinaries(binaries, sharedRoot);
  return { binRoot, clusterDir: await rootClusterDir(dataDir, account, sharedRoot), account };
}

async function canRun(rootDir: string, account: PostgresAccount): Promise<boolean> {
  const dirs = ['bin', 'lib', 'share'].map((dir) => path.join(rootDir, dir));
  return (await Promise.all(dirs.map((dir) => canEnter(dir, account)))).every(Boolean);
}

async function copyBinaries(binaries: PostgresBinaries, sharedRoot: string): Promise<string> {
  const target = path.join(sharedRoot, binaries.release.replace(/^@/, '').replace(/[^\w.-]+/g, '-'));
  const complete = path.join(target, '.complete');
  if (await exists(complete)) return target;
  await makeOpenDir(sharedRoot);
  // Copied aside and renamed into place, so a start that dies halfway leaves nothing half-copied in use,
  // and two starts at once both end up with a whole copy.
  const staging = `${target}.${process.pid}.${Date.now()}`;
  await fs.cp(binaries.rootDir, staging, { recursive: true, verbatimSymlinks: true });
  await fs.writeFile(path.join(staging, '.complete'), `${binaries.release}\n`);
  try {
    await fs.rename(staging, target);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    if (!(await exists(complete))) throw error;
  }
  return target;
}

async function rootClusterDir(
  dataDir: string,
  account: PostgresAccount,
  sharedRoot: string,
): Promise<string> {
  const link = path.join(dataDir, CLUSTER);
  const found = await fs.lstat(link).catch(() => undefined);
  if (found?.isSymbolicLink()) return path.resolve(dataDir, await fs.readlink(link));
  if (await canEnter(dataDir, account)) return link;

  const real = await fs.realpath(dataDir);
  const name = `${path.basename(path.dirname(real))}-${path.basename(real)}`.replace(/[^\w.-]+/g, '-');
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 12);
  const clusters = path.join(sharedRoot, 'clusters');
  const home = path.join(clusters, `${name}-${hash}`);
  for (const dir of [sharedRoot, clusters, home]) await makeOpenDir(dir);
  await fs.writeFile(path.join(home, 'DATA_DIR'), `${real}\n`);
  const clusterDir = path.join(home, CLUSTER);
  // A cluster made while its folder could still be entered moves out with it (on one file system).
  if (found) await fs.rename(link, clusterDir);
  await fs.symlink(clusterDir, link);
  return clusterDir;
}

/** A root-owned folder others may enter but not change. */
async function makeOpenDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  await fs.chmod(dir, 0o755);
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
