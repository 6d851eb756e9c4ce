import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

/** A system account to run PostgreSQL as. */
export interface PostgresAccount {
  name: string;
  uid: number;
  gid: number;
}

const ACCOUNT = 'postgres';
const run = promisify(execFile);

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Whom PostgreSQL runs as. An ordinary user runs it as themselves (undefined): no account is created or
 * needed. PostgreSQL refuses to run as root, so root runs it as the `postgres` system account, created
 * (without a home, without a login shell) when the system has none.
 */
export async function postgresAccount(): Promise<PostgresAccount | undefined> {
  if (!isRoot()) return undefined;
  const existing = await lookUp(ACCOUNT);
  if (existing) return existing;
  const attempts: Array<[string, string[]]> = [
    ['useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', ACCOUNT]],
    // BusyBox systems (Alpine): a system account with no password and no home.
    ['adduser', ['-S', '-D', '-H', '-s', '/sbin/nologin', ACCOUNT]],
  ];
  const failures: string[] = [];
  for (const [command, args] of attempts) {
    try {
      await run(command, args);
      const created = await lookUp(ACCOUNT);
      if (created) return created;
    } catch (error) {
      failures.push(`${command}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }
  throw new Error(
    `PostgreSQL refuses to run as root, and there is no "${ACCOUNT}" account to run it as, nor could one be ` +
      `created (${failures.join('; ')}). Create a system account named "${ACCOUNT}", or run the server as an ` +
      'ordinary user.',
  );
}

async function lookUp(name: string): Promise<PostgresAccount | undefined> {
  try {
    const [uid, gid] = await Promise.all([
      run('id', ['-u', name]).then(({ stdout }) => Number.parseInt(stdout, 10)),
      run('id', ['-g', name]).then(({ stdout }) => Number.parseInt(stdout, 10)),
    ]);
    return Number.isInteger(uid) && Number.isInteger(gid) ? { name, uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `account` can enter `dir` (search permission on every folder down to it), asked of the
 * kernel by a shell running as that account, so ACLs and group memberships count as they will for
 * PostgreSQL.
 */
export function canEnter(dir: string, account: PostgresAccount): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', 'cd -- "$1"', 'sh', dir], {
      uid: account.uid,
      gid: account.gid,
      stdio: 'ignore',
      cwd: '/',
    });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}
