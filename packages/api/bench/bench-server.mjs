// What every benchmark of the API needs: the built server in a child process with its own embedded
// PostgreSQL in a temporary DATA_DIR, GraphQL over HTTP, a signed-in session, and percentiles.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Buffer } from 'node:buffer';
import http from 'node:http';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function ensureBuilt() {
  if (existsSync(path.join(PACKAGE_DIR, 'dist', 'main.js'))) return;
  process.stdout.write('dist/main.js is missing: building the API first\n');
  const tsc = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: PACKAGE_DIR, stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error('The build failed; run `pnpm build` and look at its errors.');
}

function spawnServer(env) {
  // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server, not the bench.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`The server did not start in time:\n${output}`)),
      120_000,
    );
    const onData = (chunk) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited with code ${code}:\n${output}`));
    });
  });
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
  });
}

/**
 * Starts `node dist/main.js` (building it first if needed) in production mode with a fresh embedded
 * PostgreSQL and a generated administrator; `env` adds or overrides settings (MODE, limits…).
 * Resolves with { url, email, password, stop(), pid }.
 */
export async function startBenchServer(env = {}) {
  ensureBuilt();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mail-providers-bench-'));
  // The embedded PostgreSQL runs as its own user when started by root; it must reach the directory.
  await chmod(dataDir, 0o755);
  const email = 'bench@example.com';
  const password = `bench-${randomBytes(12).toString('hex')}`;
  try {
    const { child, url } = await spawnServer({
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      MAILER_SECRET_KEY: '',
      ADMIN_EMAIL: email,
      ADMIN_PASSWORD: password,
      LOG_LEVEL: 'warn',
      // The benchmarks' SMTP sinks listen on loopback, which a production server reaches only when listed.
      ALLOWED_PROVIDER_HOSTS: '127.0.0.1',
      ...env,
    });
    const stop = async () => {
      await stopChild(child);
      await rm(dataDir, { recursive: true, force: true });
    };
    return { url, email, password, stop, pid: child.pid };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * An embedded PostgreSQL for benchmarks that run several server processes on one database, started through
 * the built server's own startEmbeddedDatabase in a temporary directory. Resolves with `env` (DATABASE_URL and
 * a generated MAILER_SECRET_KEY) to give every such process, and stop(); stop the processes first.
 */
export async function startSharedDatabase() {
  ensureBuilt();
  const require = createRequire(path.join(PACKAGE_DIR, 'package.json'));
  const { startEmbeddedDatabase } = require('./dist/database/embedded/embedded-database.js');
  const pino = require('pino');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mail-providers-bench-db-'));
  await chmod(dataDir, 0o755);
  try {
    const database = await startEmbeddedDatabase({ dataDir, logger: pino({ level: 'silent' }) });
    const stop = async () => {
      await database.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
    return {
      env: { DATABASE_URL: database.url, MAILER_SECRET_KEY: randomBytes(32).toString('base64') },
      stop,
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * CPU time (ms, user + system) used so far by process `rootPid` and every process below it (the server and
 * its embedded PostgreSQL with its backends), from /proc; 0 where /proc is not available. On a shared
 * machine the CPU spent per message says more than a rate measured while others use the cores.
 */
export function treeCpuMs(rootPid) {
  const stats = new Map();
  let entries = [];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  for (const pid of entries) {
    try {
      const fields = statFields(`/proc/${pid}/stat`);
      const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
      stats.set(Number(pid), { ppid: Number(fields[1]), ticks });
    } catch {
      // The process ended meanwhile.
    }
  }
  const inTree = (pid) => {
    for (let at = pid, hops = 0; at > 1 && hops < 64; hops++) {
      if (at === rootPid) return true;
      at = stats.get(at)?.ppid ?? 0;
    }
    return false;
  };
  let ticks = 0;
  for (const [pid, stat] of stats) if (inTree(pid)) ticks += stat.ticks;
  return (ticks * 1000) / 100;
}

/** The fields of a /proc stat file after the command name (which may hold spaces): state ppid … utime stime cutime cstime. */
function statFields(path) {
  const text = readFileSync(path, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU (ms) of process `pid` itself (no children), or of its thread `tid`; 0 where /proc is missing. */
function ownCpuMs(pid, tid) {
  try {
    const fields = statFields(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`);
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/**
 * Where a server's CPU went so far (ms): its main thread (requests), its other threads (the delivery worker's
 * thread, V8's garbage collector and compiler, libuv's pool), and the processes below it (the embedded
 * PostgreSQL and its backends).
 */
export function serverCpuSplit(pid) {
  const main = ownCpuMs(pid, pid);
  const own = ownCpuMs(pid);
  return { main, threads: own - main, database: treeCpuMs(pid) - own };
}

/**
 * Keep-alive connections for every request of the benchmarks. node:http rather than fetch: it costs the load
 * generator about half the CPU per request, and on a small machine that CPU is taken from the server measured.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** POSTs a GraphQL request body; resolves with the status, the headers and the raw text of the answer. */
export function postGraphql(url, headers, body) {
  // A kept-alive connection the server closed for idling just as it was reused answers ECONNRESET before
  // the server read the request (node's documented race): such a request is sent once more.
  return sendOnce(url, headers, body).catch((error) =>
    error.code === 'ECONNRESET' && error.reusedSocket ? sendOnce(url, headers, body) : Promise.reject(error),
  );
}

function sendOnce(url, headers, body) {
  const target = new URL('/graphql', url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', (error) => reject(Object.assign(error, { reusedSocket: request.reusedSocket })));
    request.end(body);
  });
}

/** POSTs one GraphQL operation; `headers` carries the cookie or the bearer token. Throws on GraphQL errors. */
export async function gql(url, headers, query, variables) {
  const answer = await postGraphql(
    url,
    headers,
    JSON.stringify(variables ? { query, variables } : { query }),
  );
  const body = JSON.parse(answer.text);
  if (body.errors?.length) throw new Error(`GraphQL error: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return { body, headers: answer.headers };
}

/** Signs in and returns the headers of that session ({ cookie }). */
export async function signIn(url, email, password) {
  const { headers } = await gql(
    url,
    {},
    'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { id } }',
    { email, password },
  );
  const cookie = (headers['set-cookie'] ?? []).map((line) => line.split(';')[0]).join('; ');
  if (!cookie) throw new Error('Signing in set no session cookie.');
  return { cookie };
}

/** The p-th percentile (nearest rank) of ascending `sorted`. */
export function percentile(sorted, p) {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}
