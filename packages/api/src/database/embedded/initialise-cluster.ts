import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { binary } from './postgres-binaries';
import type { ClusterLayout } from './cluster-layout';

export const SUPERUSER = 'postgres';

/**
 * Creates the cluster with initdb unless it exists: into a folder beside it, renamed into place once
 * initdb has finished, so a start killed halfway leaves no half-made cluster that later starts would
 * take for a real one. The superuser signs in with `password` (scram-sha-256), over TCP only.
 * Returns whether a cluster was created.
 */
export async function initialiseCluster(
  layout: ClusterLayout,
  password: string,
  onLine: (line: string) => void,
): Promise<boolean> {
  const { clusterDir, account } = layout;
  if (existsSync(path.join(clusterDir, 'PG_VERSION'))) return false;
  const parent = path.dirname(clusterDir);
  const staging = `${clusterDir}.initdb`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { mode: 0o700 });
  // initdb reads the password from a file; only PostgreSQL's account may read it, and only for a moment.
  const passwordFile = path.join(parent, `.initdb-password-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (account) {
      await fs.chown(staging, account.uid, account.gid);
      await fs.chown(passwordFile, account.uid, account.gid);
    }
    await runInitdb(layout, staging, passwordFile, onLine);
  } finally {
    await fs.rm(passwordFile, { force: true });
  }
  await fs.rename(staging, clusterDir);
  return true;
}

function runInitdb(
  layout: ClusterLayout,
  pgdata: string,
  passwordFile: string,
  onLine: (line: string) => void,
): Promise<void> {
  const args = [
    `--pgdata=${pgdata}`,
    '--auth=scram-sha-256',
    `--username=${SUPERUSER}`,
    `--pwfile=${passwordFile}`,
    '--encoding=UTF8',
    // The C locale exists everywhere; minimal systems lack en_US.UTF-8.
    '--locale=C',
    '--lc-messages=C',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(binary(layout.binRoot, 'initdb'), args, {
      ...(layout.account ? { uid: layout.account.uid, gid: layout.account.gid } : {}),
      cwd: path.dirname(pgdata),
      env: { LC_MESSAGES: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const read = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') onLine(line.trim());
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`initdb failed (${signal ?? `exit code ${code}`}).`));
    });
  });
}
