// Notices when a process of the command that started this one is gone.
//
// `npx pnpm start` runs a chain: npm exec → sh -c pnpm → pnpm → sh -c node scripts/start.mjs → this.
// A signal sent to npx alone stops only the first shell (the shells run their command as a child and
// die of the signal without passing it on), so pnpm is orphaned and nothing below ever hears of it.
// Watching the chain for a broken link is how this process learns that it was asked to stop.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { clearInterval, setInterval } from 'node:timers';

/** Parent and process group of each pid that still exists. */
function processTable(pids) {
  const table = new Map();
  if (process.platform === 'linux') {
    for (const pid of pids) {
      try {
        // "pid (command) state ppid pgrp …": the command may hold spaces and parentheses.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const [, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        table.set(pid, { ppid: Number(ppid), pgid: Number(pgid) });
      } catch {
        // Gone.
      }
    }
    return table;
  }
  let listing = '';
  try {
    listing = execFileSync('ps', ['-o', 'pid=,ppid=,pgid=', '-p', pids.join(',')], { encoding: 'utf8' });
  } catch {
    // ps exits non-zero when none of the pids exists.
  }
  for (const line of listing.split('\n')) {
    const [pid, ppid, pgid] = line.trim().split(/\s+/).map(Number);
    if (pid) table.set(pid, { ppid, pgid });
  }
  return table;
}

/**
 * The parent links to watch: this process and its parent, then up through the ancestors in this
 * process group, the job a shell started (a terminal's job, or the group a supervisor made). The
 * shell or supervisor above the job is left out: when it goes, the job may well be meant to go on.
 */
function launcherLinks() {
  const links = [];
  const group = processTable([process.pid]).get(process.pid)?.pgid;
  let child = process.pid;
  let parent = process.ppid;
  while (parent > 1) {
    const parentInfo = processTable([parent]).get(parent);
    if (!parentInfo || (links.length > 0 && parentInfo.pgid !== group)) break;
    links.push({ child, parent });
    child = parent;
    parent = parentInfo.ppid;
  }
  return links;
}

/**
 * Calls `onGone` once, within about `intervalMs`, after a process of the launching chain has exited
 * (its child then has another parent). Returns a function that stops watching.
 */
export function watchLaunchers(onGone, intervalMs = 500) {
  // Windows has no process groups and does not re-parent orphans: nothing to watch for there.
  if (process.platform === 'win32') return () => {};
  const links = launcherLinks();
  if (links.length === 0) return () => {};
  const timer = setInterval(() => {
    const table = processTable(links.map((link) => link.child));
    const broken = links.some(({ child, parent }) =>
      child === process.pid ? process.ppid !== parent : table.get(child)?.ppid !== parent,
    );
    if (broken) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  // Never the reason this process stays alive.
  timer.unref();
  return () => clearInterval(timer);
}
