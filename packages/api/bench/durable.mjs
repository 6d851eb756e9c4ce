// Benchmark of durable sending, end to end.
//
// Starts the built server (dist/main.js, MODE=all: API and worker in one process) with its own embedded
// PostgreSQL, a local SMTP sink as its only provider, and an API token with the SEND scope. Then:
//  1. Throughput, in interleaved rounds: messages through `sendEmail` over HTTP (20 concurrent clients)
//     until the sink has received them all, against raw pooled nodemailer (5 connections, like the engine)
//     sending the same number of messages to the same sink. Prints both rates and the ratio (goal >= 0.5),
//     and the rate of bulk senders using `sendEmails` with 100 messages per call.
//  2. Queue latency at a steady rate: one `sendEmail` every 20 ms (50/s) for 10 s; for each message, the
//     time from the answer (QUEUED) to its arrival at the sink. Prints p50 and p99.
// Figures only, no assertions.
/* global fetch */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(PACKAGE_DIR, 'package.json'));
const { startSmtpTestServer } = require('@mail-providers/mailer-core/test-support');
// nodemailer is the engine's dependency; the baseline loads the very same copy.
const nodemailer = createRequire(require.resolve('@mail-providers/mailer-core'))('nodemailer');

const ROUNDS = 3;
const MESSAGES_PER_ROUND = 600;
const CLIENTS = 20;
const POOL_CONNECTIONS = 5;
const BATCH = 100;
const STEADY_INTERVAL_MS = 20;
const STEADY_SECONDS = 10;

const SEND = 'mutation ($input: EmailInput!) { sendEmail(input: $input) { id status } }';
const SEND_MANY = 'mutation ($inputs: [EmailInput!]!) { sendEmails(inputs: $inputs) { id } }';

function ensureBuilt() {
  if (existsSync(path.join(PACKAGE_DIR, 'dist', 'main.js'))) return;
  process.stdout.write('dist/main.js is missing: building the API first\n');
  const tsc = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: PACKAGE_DIR, stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error('The build failed; run `pnpm build` and look at its errors.');
}

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

async function gql(url, auth, query, variables) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors?.length) throw new Error(`GraphQL error: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return { body, response };
}

async function setUp(url, email, password, sink) {
  const { response } = await gql(
    url,
    {},
    'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { id } }',
    { email, password },
  );
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  await gql(url, { cookie }, 'mutation ($input: ProviderInput!) { createProvider(input: $input) { id } }', {
    input: {
      type: 'SMTP',
      name: 'sink',
      host: sink.host,
      port: sink.port,
      username: 'bench',
      password: `bench-${randomBytes(12).toString('hex')}`,
      encryption: 'NONE',
      fromEmail: 'bench@example.com',
      fromName: 'Bench',
      serviceType: 'PRIMARY',
      status: 'ACTIVE',
    },
  });
  const { body } = await gql(
    url,
    { cookie },
    'mutation ($name: String!, $scopes: [ApiTokenScope!]!) { createApiToken(name: $name, scopes: $scopes) { token } }',
    { name: 'bench', scopes: ['SEND'] },
  );
  return { authorization: `Bearer ${body.data.createApiToken.token}` };
}

function message(tag, i) {
  return {
    to: [`${tag}-${i}@example.org`],
    subject: `bench ${tag} ${i}`,
    text: `Hello number ${i}.\n`.repeat(20),
  };
}

/** Resolves when the sink holds `count` messages. */
async function sinkReaches(sink, count) {
  while (sink.messages.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function durableRound(url, auth, sink, tag) {
  const target = sink.messages.length + MESSAGES_PER_ROUND;
  let next = 0;
  const started = performance.now();
  const client = async () => {
    while (next < MESSAGES_PER_ROUND) {
      const i = next++;
      await gql(url, auth, SEND, { input: message(tag, i) });
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  await sinkReaches(sink, target);
  return MESSAGES_PER_ROUND / ((performance.now() - started) / 1000);
}

async function batchRound(url, auth, sink, tag) {
  const target = sink.messages.length + MESSAGES_PER_ROUND;
  const started = performance.now();
  const calls = [];
  for (let from = 0; from < MESSAGES_PER_ROUND; from += BATCH) {
    const inputs = Array.from({ length: Math.min(BATCH, MESSAGES_PER_ROUND - from) }, (_, i) =>
      message(tag, from + i),
    );
    calls.push(gql(url, auth, SEND_MANY, { inputs }));
  }
  await Promise.all(calls);
  await sinkReaches(sink, target);
  return MESSAGES_PER_ROUND / ((performance.now() - started) / 1000);
}

async function rawRound(transport, sink, tag) {
  const target = sink.messages.length + MESSAGES_PER_ROUND;
  let next = 0;
  const started = performance.now();
  const client = async () => {
    while (next < MESSAGES_PER_ROUND) {
      const i = next++;
      const { to, subject, text } = message(tag, i);
      await transport.sendMail({ from: 'Bench <bench@example.com>', to, subject, text });
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  await sinkReaches(sink, target);
  return MESSAGES_PER_ROUND / ((performance.now() - started) / 1000);
}

/** One sendEmail every STEADY_INTERVAL_MS; latency from the QUEUED answer to arrival at the sink. */
async function steady(url, auth, sink) {
  const answered = new Map();
  const count = Math.round((STEADY_SECONDS * 1000) / STEADY_INTERVAL_MS);
  const target = sink.messages.length + count;
  const from = sink.messages.length;
  const started = performance.now();
  const calls = [];
  for (let i = 0; i < count; i++) {
    const due = started + i * STEADY_INTERVAL_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const input = message('steady', i);
    calls.push(gql(url, auth, SEND, { input }).then(() => answered.set(input.to[0], Date.now())));
  }
  await Promise.all(calls);
  await sinkReaches(sink, target);
  const latencies = sink.messages
    .slice(from)
    .map((received) => received.receivedAt.getTime() - (answered.get(received.rcptTo[0]) ?? NaN))
    .filter((ms) => Number.isFinite(ms))
    .sort((a, b) => a - b);
  const at = (p) =>
    latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil((p / 100) * latencies.length) - 1))];
  return { count: latencies.length, p50: at(50), p99: at(99), max: latencies[latencies.length - 1] };
}

const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** Runs the durable-sending benchmark and prints its figures. */
export async function runDurableBench() {
  ensureBuilt();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mail-providers-bench-durable-'));
  await chmod(dataDir, 0o755);
  const sink = await startSmtpTestServer();
  const transport = nodemailer.createTransport({
    host: sink.host,
    port: sink.port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: POOL_CONNECTIONS,
    maxMessages: Infinity,
    // The same socket tuning as the engine's SMTP transport (Nagle off), so the ratio compares the pipelines.
    getSocket: (_options, callback) =>
      callback(null, { connection: connectTcp({ host: sink.host, port: sink.port, noDelay: true }) }),
  });
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
      MODE: 'all',
      SEND_RATE_LIMIT_PER_MINUTE: '10000000',
    });
    const { url } = server;
    const auth = await setUp(url, email, password, sink);
    process.stdout.write(
      `\nDurable sending: built server ${url} (MODE=all, embedded PostgreSQL), one local SMTP sink; ` +
        `${ROUNDS} interleaved rounds of ${MESSAGES_PER_ROUND} messages, ${CLIENTS} concurrent clients\n`,
    );
    // Warm-up: connections, JIT, the first pg-boss queries.
    await durableRound(url, auth, sink, 'warm');
    await rawRound(transport, sink, 'warm');

    const durable = [];
    const raw = [];
    const batched = [];
    for (let round = 0; round < ROUNDS; round++) {
      durable.push(await durableRound(url, auth, sink, `durable${round}`));
      raw.push(await rawRound(transport, sink, `raw${round}`));
      batched.push(await batchRound(url, auth, sink, `batch${round}`));
    }
    const rate = (values) =>
      `${mean(values).toFixed(0)} msg/s (rounds: ${values.map((v) => v.toFixed(0)).join(', ')})`;
    process.stdout.write(`sendEmail over HTTP -> delivered:       ${rate(durable)}\n`);
    process.stdout.write(`raw pooled nodemailer -> same sink:     ${rate(raw)}\n`);
    process.stdout.write(
      `ratio durable / raw:                    ${(mean(durable) / mean(raw)).toFixed(2)} (goal >= 0.5)\n`,
    );
    process.stdout.write(`sendEmails (${BATCH} per call) -> delivered: ${rate(batched)}\n`);
    process.stdout.write(
      `ratio sendEmails / raw:                 ${(mean(batched) / mean(raw)).toFixed(2)} (bulk senders)\n`,
    );

    const latency = await steady(url, auth, sink);
    process.stdout.write(
      `queue latency at ${1000 / STEADY_INTERVAL_MS} msg/s for ${STEADY_SECONDS} s (QUEUED answer -> at the sink), ` +
        `${latency.count} messages: p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms\n`,
    );
  } finally {
    transport.close();
    if (server) await stopServer(server.child);
    await sink.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runDurableBench().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
