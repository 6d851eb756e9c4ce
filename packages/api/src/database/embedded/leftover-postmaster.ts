import { promises as fs } from 'node:fs';
import path from 'node:path';

/** What `postmaster.pid`, PostgreSQL's lock file in its cluster, says of the server that wrote it. */
export interface PostmasterLock {
  pid: number;
  port: number;
}

/** A PostgreSQL server found running on a cluster when a process comes to use it. */
export type RunningPostmaster =
  /** Started by a process that is still running it. */
  | { kind: 'in-use'; pid: number; port: number; ownerPid: number }
  /** Its starter died (kill -9, OOM) and left it running, unsupervised, its log going nowhere. */
  | { kind: 'orphan'; pid: number; port: number };

/**
 * Who started the running server: written beside the cluster once it is up, removed when it stops. A
 * server whose parent is still that process is in use; once the starter dies the server is given
 * another parent (init or a subreaper), and so is known for an orphan even if the starter's pid is
 * reused later.
 */
export interface PostmasterOwner {
  ownerPid: number;
  postmasterPid: number;
}

const STOP_POLL_MS = 50;

export async function readPostmasterLock(clusterDir: string): Promise<PostmasterLock | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  // Line 1: the postmaster's pid; line 4: its port.
  const lines = text.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? { pid, port: Number.isInteger(port) ? port : 0 } : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM';
  }
}

/**
 * Whether `pid` is a PostgreSQL server running on `clusterDir`: a postmaster works in its cluster's
 * folder, so its current directory tells (Linux's /proc; elsewhere nothing is recognised, and nothing
 * is stopped). A pid in a stale lock file may since belong to any process.
 */
export async function runsOnCluster(pid: number, clusterDir: string): Promise<boolean> {
  try {
    const [cwd, cluster, command] = await Promise.all([
      fs.realpath(`/proc/${pid}/cwd`),
      fs.realpath(clusterDir),
      fs.readFile(`/proc/${pid}/comm`, 'utf8'),
    ]);
    return cwd === cluster && command.trim() === 'postgres';
  } catch {
    return false;
  }
}

export async function parentPid(pid: number): Promise<number | undefined> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (command) state ppid …"; the command may hold spaces and parentheses, so read after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number.parseInt(fields[1] ?? '', 10);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Looks at the lock file of `clusterDir`: nothing running (no lock, or a stale one: PostgreSQL
 * replaces a lock whose pid is gone, and one whose pid now belongs to some other process is removed
 * here, since no server of this cluster can hold it), an orphan, or a server in use by a live owner.
 * A live process on the lock's pid that cannot be recognised is reported as an error, never touched.
 */
export async function findRunningPostmaster(
  clusterDir: string,
  owner: PostmasterOwner | undefined,
): Promise<RunningPostmaster | undefined> {
  const lock = await readPostmasterLock(clusterDir);
  if (!lock || !isAlive(lock.pid)) return undefined;
  if (!(await runsOnCluster(lock.pid, clusterDir))) {
    if (process.platform !== 'linux') {
      throw new Error(
        `${path.join(clusterDir, 'postmaster.pid')} names process ${lock.pid}, which is running. If it is ` +
          'not a PostgreSQL server of this data directory, remove that file and start again.',
      );
    }
    await fs.rm(path.join(clusterDir, 'postmaster.pid'), { force: true });
    return undefined;
  }
  if (owner && owner.postmasterPid === lock.pid && (await parentPid(lock.pid)) === owner.ownerPid) {
    return { kind: 'in-use', pid: lock.pid, port: lock.port, ownerPid: owner.ownerPid };
  }
  return { kind: 'orphan', pid: lock.pid, port: lock.port };
}

/**
 * Stops a server that is not this process's child: a fast shutdown (sessions cut, a checkpoint written),
 * then, if it has not ended in `graceMs`, an immediate one (recovery replays the log at the next start).
 */
export async function stopPostmaster(pid: number, graceMs: number): Promise<void> {
  if (await signalAndWait(pid, 'SIGINT', graceMs)) return;
  if (await signalAndWait(pid, 'SIGQUIT', graceMs)) return;
  throw new Error(`PostgreSQL (pid ${pid}) did not stop; stop it, then start again.`);
}

async function signalAndWait(pid: number, signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> {
  try {
    process.kill(pid, signal);
  } catch {
    return !isAlive(pid);
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, STOP_POLL_MS));
  }
  return !isAlive(pid);
}
