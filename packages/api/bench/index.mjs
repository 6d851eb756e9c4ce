// Benchmark: latency of the `providers` query against a trivial query on the same server.
//
// Starts the built server (dist/main.js) with its own embedded PostgreSQL in a temporary DATA_DIR, signs
// in, creates ten providers, then runs 50 concurrent clients against `{ me { id } }` and against the
// panel's `providers` query, in interleaved rounds so both see the same machine. Prints the figures and
// the p99 ratio (goal: providers p99 at most twice the trivial one). Figures only, no assertions.
/* global fetch */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { runDurableBench } from './durable.mjs';

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLIENTS = 50;
const REQUESTS_PER_CLIENT = 40;
const ROUNDS = 3;
const PROVIDERS = 10;
const WARMUP = 300;

const TRIVIAL = '{ me { id } }';
const PROVIDERS_QUERY = `{
  providers {
    id type name apiVendor host port username passwordSet encryption fromEmail fromName
    serviceType status priority channel verifiedAt createdAt updatedAt
    lastVerification { ok checkedAt warnings failure { category hint } }
    lastTestEmail { ok sentAt }
    health { state consecutiveFailures lastFailureAt openUntil lastFailure { category hint } }
  }
}`;

function ensureBuilt() {
  if (existsSync(path.join(PACKAGE_DIR, 'dist', 'main.js'))) return;
  process.stdout.write('dist/main.js is missing: building the API first\n');
  const tsc = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: PACKAGE_DIR, stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error('The build failed; run `pnpm build` and look at its errors.');
}

/** Starts `node dist/main.js` and resolves with its URL once it prints it. */
function startServer(env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/main.js'], {
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

function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
  });
}

async function gql(url, cookie, query, variables) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(variables ? { query, variables } : { query }),
  });
  const body = await response.json();
  if (body.errors?.length) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  return { body, response };
}

async function signIn(url, email, password) {
  const { response } = await gql(
    url,
    undefined,
    'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { id } }',
    { email, password },
  );
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  if (!cookie) throw new Error('Signing in set no session cookie.');
  return cookie;
}

async function createProviders(url, cookie) {
  for (let i = 1; i <= PROVIDERS; i++) {
    await gql(url, cookie, 'mutation ($input: ProviderInput!) { createProvider(input: $input) { id } }', {
      input: {
        type: i % 3 === 0 ? 'CRM_API_SMTP' : 'SMTP',
        name: `bench-${i}`,
        host: '127.0.0.1',
        port: 2500 + i,
        username: 'bench',
        password: `bench-${randomBytes(12).toString('hex')}`,
        encryption: 'NONE',
        fromEmail: `noreply${i}@example.com`,
        fromName: `Bench ${i}`,
        serviceType: i % 2 === 0 ? 'FALLBACK' : 'PRIMARY',
      },
    });
  }
}

/** 50 clients, each sending its requests one after another; returns every latency in ms. */
async function load(url, cookie, query, perClient) {
  const latencies = [];
  const body = JSON.stringify({ query });
  const client = async () => {
    for (let i = 0; i < perClient; i++) {
      const started = performance.now();
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body,
      });
      const text = await response.text();
      latencies.push(performance.now() - started);
      if (response.status !== 200 || text.includes('"errors"'))
        throw new Error(`Request failed: ${text.slice(0, 300)}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

function percentile(sorted, p) {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

function summary(name, runs) {
  const all = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  return {
    name,
    requests: all.length,
    throughput: all.length / seconds,
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    max: all[all.length - 1],
  };
}

function row(s) {
  const ms = (value) => `${value.toFixed(1)} ms`.padStart(10);
  return `${s.name.padEnd(18)} ${String(s.requests).padStart(6)} req ${`${s.throughput.toFixed(0)} req/s`.padStart(11)}  p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`;
}

async function main() {
  ensureBuilt();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mail-providers-bench-'));
  // The embedded PostgreSQL runs as its own user when started by root; it must reach the directory.
  await chmod(dataDir, 0o755);
  const email = 'bench@example.com';
  const password = `bench-${randomBytes(12).toString('hex')}`;
  let server;
  try {
    server = await startServer({
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      MAILER_SECRET_KEY: '',
      ADMIN_EMAIL: email,
      ADMIN_PASSWORD: password,
      LOG_LEVEL: 'warn',
      MODE: 'api',
    });
    const { url } = server;
    const cookie = await signIn(url, email, password);
    await createProviders(url, cookie);

    process.stdout.write(
      `Server ${url} (built dist/, embedded PostgreSQL); ${PROVIDERS} providers; ${CLIENTS} concurrent clients, ` +
        `${ROUNDS} interleaved rounds of ${CLIENTS * REQUESTS_PER_CLIENT} requests per query\n`,
    );
    await load(url, cookie, TRIVIAL, Math.ceil(WARMUP / CLIENTS));
    await load(url, cookie, PROVIDERS_QUERY, Math.ceil(WARMUP / CLIENTS));

    const trivial = [];
    const providers = [];
    for (let round = 0; round < ROUNDS; round++) {
      trivial.push(await load(url, cookie, TRIVIAL, REQUESTS_PER_CLIENT));
      providers.push(await load(url, cookie, PROVIDERS_QUERY, REQUESTS_PER_CLIENT));
    }
    const a = summary('{ me { id } }', trivial);
    const b = summary('providers (10)', providers);
    process.stdout.write(`${row(a)}\n${row(b)}\n`);
    process.stdout.write(`p99 ratio providers / trivial: ${(b.p99 / a.p99).toFixed(2)}x (goal <= 2x)\n`);
    process.stdout.write(`p50 ratio providers / trivial: ${(b.p50 / a.p50).toFixed(2)}x\n`);
  } finally {
    if (server) await stopServer(server.child);
    await rm(dataDir, { recursive: true, force: true });
  }
}

main()
  .then(() => runDurableBench())
  .catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
