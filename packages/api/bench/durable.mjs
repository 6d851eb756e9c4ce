// Benchmark of durable sending, end to end.
//
// Starts the built server (dist/main.js, MODE=all: API and worker in one process, the worker on a thread of
// its own) with its own embedded PostgreSQL, a local SMTP sink as its only provider, and an API token with
// the SEND scope. Then:
//  1. Throughput, in interleaved rounds after interleaved warm-up rounds of each path: messages through
//     `sendEmail` over HTTP (20 concurrent clients) until the sink has received them all, against raw pooled
//     nodemailer with the engine's pool settings (5 connections, a new session every 100 messages, as
//     nodemailer's defaults) sending the same number of messages to the same sink. Prints both rates and the
//     ratio (goal >= 0.5), and the rate of bulk senders using `sendEmails` with 100 messages per call; for
//     each, the CPU time per message and where it went (the server's main thread, its other threads, its
//     PostgreSQL, the bench's own clients and sink).
//  2. Queue latency at a steady rate: one `sendEmail` every 20 ms (50/s) for 10 s; for each message, the
//     time from the answer (QUEUED) to its arrival at the sink. Prints p50 and p99.
//  3. Backlog drain (how fast the queue catches up after an outage): a MODE=api server accepts 12,000
//     messages with no worker running, then a MODE=worker process on the same database drains them (twice,
//     a fresh worker each time). Prints the rate once the worker is warm, and its ratio to raw.
// Figures only, no assertions.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { connect as connectTcp } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import {
  PACKAGE_DIR,
  gql,
  percentile,
  serverCpuSplit,
  signIn,
  startBenchServer,
  startSharedDatabase,
  treeCpuMs,
} from './bench-server.mjs';

const require = createRequire(path.join(PACKAGE_DIR, 'package.json'));
const { startSmtpTestServer } = require('@mail-providers/mailer-core/test-support');
const { SMTP_MAX_CONNECTIONS, SMTP_MAX_MESSAGES_PER_CONNECTION } = require('@mail-providers/mailer-core');
// nodemailer is the engine's dependency; the baseline loads the very same copy.
const nodemailer = createRequire(require.resolve('@mail-providers/mailer-core'))('nodemailer');

const ROUNDS = 5;
const WARM_UP_ROUNDS = 4;
export const MESSAGES_PER_ROUND = 2000;
const CLIENTS = 20;
const BATCH = 100;
const BATCH_CLIENTS = 3;
const STEADY_INTERVAL_MS = 20;
const STEADY_SECONDS = 10;
const BACKLOG = 12_000;
/** The first messages of a fresh worker process run before V8 has optimised its code: not counted. */
const BACKLOG_WARM_UP = 4000;
const BACKLOG_ROUNDS = 2;

const SEND = 'mutation ($input: EmailInput!) { sendEmail(input: $input) { id status } }';
const SEND_MANY = 'mutation ($inputs: [EmailInput!]!) { sendEmails(inputs: $inputs) { id } }';

/** The sink's login, used by the provider and by the baseline alike. */
const SINK_USER = 'bench';
const SINK_PASSWORD = `bench-${randomBytes(12).toString('hex')}`;

/** Adds the sink as the only provider and returns the headers of a fresh API token with the SEND scope. */
export async function setUp(server, sink) {
  const session = await signIn(server.url, server.email, server.password);
  await gql(
    server.url,
    session,
    'mutation ($input: ProviderInput!) { createProvider(input: $input) { id } }',
    {
      input: {
        type: 'SMTP',
        name: 'sink',
        host: sink.host,
        port: sink.port,
        username: SINK_USER,
        password: SINK_PASSWORD,
        encryption: 'NONE',
        fromEmail: 'bench@example.com',
        fromName: 'Bench',
        serviceType: 'PRIMARY',
        status: 'ACTIVE',
      },
    },
  );
  const { body } = await gql(
    server.url,
    session,
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

let serverPid = 0;

/** The server whose CPU the rounds measure and whose idleness they wait for (0: none). */
export function watchServer(pid) {
  serverPid = pid;
}

/** The parts of the CPU time spent, as printed. */
const CPU_PARTS = {
  main: 'server main thread',
  threads: 'its other threads',
  database: 'PostgreSQL',
  bench: 'bench clients and sink',
};

/**
 * CPU ms used so far by this process (clients, sink, raw nodemailer) and by the server's parts (main thread,
 * other threads, its PostgreSQL).
 */
const cpuNow = () => {
  const own = process.cpuUsage();
  const bench = (own.user + own.system) / 1000;
  return { main: 0, threads: 0, database: 0, ...(serverPid ? serverCpuSplit(serverPid) : {}), bench };
};

const QUIET_WINDOW_MS = 250;
/** Below this share of one core, the server counts as idle. */
const QUIET_SHARE = 0.1;
const QUIET_MAX_WAIT_MS = 10_000;

/**
 * Waits until the server (with its PostgreSQL) is idle, for at most QUIET_MAX_WAIT_MS: the writes, vacuums
 * and checkpoints a round leaves behind would otherwise run during the next round, on the cores of
 * whichever path it measures.
 */
async function serverQuiet() {
  if (!serverPid) return;
  const deadline = performance.now() + QUIET_MAX_WAIT_MS;
  let before = treeCpuMs(serverPid);
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, QUIET_WINDOW_MS));
    const now = treeCpuMs(serverPid);
    if (now - before < QUIET_WINDOW_MS * QUIET_SHARE) return;
    before = now;
  }
}

/**
 * Once the server is idle, `clients` concurrent callers share `total` calls, each caller one call at a time
 * (as integrators' workers do); once the sink holds every message, resolves with the rate in messages per second and the
 * CPU time spent per message by everything involved (bench process with the sink, server, PostgreSQL), in
 * all and by part.
 */
async function measure(sink, { total, clients, messagesPerCall = 1 }, call) {
  await serverQuiet();
  const messages = total * messagesPerCall;
  const target = sink.messages.length + messages;
  let next = 0;
  const cpuBefore = cpuNow();
  const started = performance.now();
  const client = async () => {
    while (next < total) await call(next++);
  };
  await Promise.all(Array.from({ length: clients }, client));
  await sinkReaches(sink, target);
  const rate = messages / ((performance.now() - started) / 1000);
  const cpuAfter = cpuNow();
  const parts = Object.fromEntries(
    Object.keys(CPU_PARTS).map((part) => [part, (cpuAfter[part] - cpuBefore[part]) / messages]),
  );
  return { rate, cpuMs: Object.values(parts).reduce((sum, ms) => sum + ms, 0), parts };
}

export const durableRound = (url, auth, sink, tag) =>
  measure(sink, { total: MESSAGES_PER_ROUND, clients: CLIENTS }, (i) =>
    gql(url, auth, SEND, { input: message(tag, i) }),
  );

const batchRound = (url, auth, sink, tag) =>
  measure(
    sink,
    { total: MESSAGES_PER_ROUND / BATCH, clients: BATCH_CLIENTS, messagesPerCall: BATCH },
    (call) =>
      gql(url, auth, SEND_MANY, {
        inputs: Array.from({ length: BATCH }, (_, i) => message(tag, call * BATCH + i)),
      }),
  );

const rawRound = (transport, sink, tag) =>
  measure(sink, { total: MESSAGES_PER_ROUND, clients: CLIENTS }, (i) => {
    const { to, subject, text } = message(tag, i);
    return transport.sendMail({ from: 'Bench <bench@example.com>', to, subject, text });
  });

/** One sendEmail every STEADY_INTERVAL_MS; latency from the QUEUED answer to arrival at the sink. */
async function steady(url, auth, sink) {
  const answered = new Map();
  const count = Math.round((STEADY_SECONDS * 1000) / STEADY_INTERVAL_MS);
  const target = sink.messages.length + count;
  const from = sink.messages.length;
  const started = performance.now();
  const calls = [];
  // Calls are awaited only after the last one is sent: a failure waits here until then.
  const failures = [];
  for (let i = 0; i < count; i++) {
    const due = started + i * STEADY_INTERVAL_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const input = message('steady', i);
    calls.push(
      gql(url, auth, SEND, { input }).then(
        () => answered.set(input.to[0], Date.now()),
        (error) => failures.push(error),
      ),
    );
  }
  await Promise.all(calls);
  if (failures.length > 0) throw failures[0];
  await sinkReaches(sink, target);
  const latencies = sink.messages
    .slice(from)
    .map((received) => received.receivedAt.getTime() - (answered.get(received.rcptTo[0]) ?? NaN))
    .filter((ms) => Number.isFinite(ms))
    .sort((a, b) => a - b);
  return {
    count: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1],
  };
}

/** Accepts `count` messages through sendEmails calls of BATCH messages. */
async function acceptBacklog(url, auth, tag, count) {
  for (let call = 0; call * BATCH < count; call++) {
    await gql(url, auth, SEND_MANY, {
      inputs: Array.from({ length: BATCH }, (_, i) => message(tag, call * BATCH + i)),
    });
  }
}

/**
 * Backlog drain, with no HTTP load: a MODE=api server (no worker) accepts a backlog, then a fresh MODE=worker
 * process on the same database drains it through the one provider. Resolves with the drain rate once the
 * worker is warm, and its CPU per message.
 */
async function backlogDrain(sink) {
  const database = await startSharedDatabase();
  const drains = [];
  try {
    const api = await startBenchServer({
      MODE: 'api',
      SEND_RATE_LIMIT_PER_MINUTE: '10000000',
      ...database.env,
    });
    try {
      const auth = await setUp(api, sink);
      for (let round = 0; round < BACKLOG_ROUNDS; round++) {
        await acceptBacklog(api.url, auth, `backlog${round}`, BACKLOG);
        const target = sink.messages.length + BACKLOG;
        const worker = await startBenchServer({ MODE: 'worker', ...database.env });
        try {
          await sinkReaches(sink, target - BACKLOG + BACKLOG_WARM_UP);
          const from = sink.messages.length;
          const cpuBefore = treeCpuMs(worker.pid);
          const started = performance.now();
          await sinkReaches(sink, target);
          const delivered = target - from;
          drains.push({
            rate: delivered / ((performance.now() - started) / 1000),
            cpuMs: (treeCpuMs(worker.pid) - cpuBefore) / delivered,
          });
        } finally {
          await worker.stop();
        }
      }
    } finally {
      await api.stop();
    }
  } finally {
    await database.stop();
  }
  return drains;
}

export const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** Runs the durable-sending benchmark and prints its figures. */
export async function runDurableBench() {
  const sink = await startSmtpTestServer();
  const transport = nodemailer.createTransport({
    host: sink.host,
    port: sink.port,
    secure: false,
    ignoreTLS: true,
    auth: { user: SINK_USER, pass: SINK_PASSWORD },
    // The engine's pool settings (nodemailer's own defaults: 5 connections, a new session every 100
    // messages) and its socket tuning (Nagle off), so the ratio compares the pipelines, not the pools.
    pool: true,
    maxConnections: SMTP_MAX_CONNECTIONS,
    maxMessages: SMTP_MAX_MESSAGES_PER_CONNECTION,
    getSocket: (_options, callback) =>
      callback(null, { connection: connectTcp({ host: sink.host, port: sink.port, noDelay: true }) }),
  });
  let server;
  try {
    server = await startBenchServer({ MODE: 'all', SEND_RATE_LIMIT_PER_MINUTE: '10000000' });
    serverPid = server.pid;
    const { url } = server;
    const auth = await setUp(server, sink);
    process.stdout.write(
      `\nDurable sending: built server ${url} (MODE=all, embedded PostgreSQL), one local SMTP sink; ` +
        `${ROUNDS} interleaved rounds of ${MESSAGES_PER_ROUND} messages after ${WARM_UP_ROUNDS} warm-up rounds; ` +
        `sendEmail and raw nodemailer with ` +
        `${CLIENTS} concurrent clients, sendEmails with ${BATCH_CLIENTS} clients of ${BATCH} messages per call\n`,
    );
    // Warm-up of every path (connections, JIT, the first prepared statements), interleaved like the measured
    // rounds: V8 keeps optimising the request path for thousands of requests (after one warm-up round, three
    // measured sendEmail rounds in a row went 515, 663 and 765 msg/s), and a server runs for far longer.
    for (let round = 0; round < WARM_UP_ROUNDS; round++) {
      await durableRound(url, auth, sink, `warm${round}`);
      await rawRound(transport, sink, `warm${round}`);
      await batchRound(url, auth, sink, `warm${round}`);
    }

    const durable = [];
    const raw = [];
    const batched = [];
    for (let round = 0; round < ROUNDS; round++) {
      durable.push(await durableRound(url, auth, sink, `durable${round}`));
      raw.push(await rawRound(transport, sink, `raw${round}`));
      batched.push(await batchRound(url, auth, sink, `batch${round}`));
    }
    const rates = (runs) => runs.map((run) => run.rate);
    const cpu = (runs) => mean(runs.map((run) => run.cpuMs));
    const split = (runs) =>
      Object.entries(CPU_PARTS)
        .map(([part, name]) => `${name} ${mean(runs.map((run) => run.parts[part])).toFixed(2)}`)
        .join(', ');
    const line = (runs) =>
      `${mean(rates(runs)).toFixed(0)} msg/s (rounds: ${rates(runs)
        .map((v) => v.toFixed(0))
        .join(', ')}), CPU ${cpu(runs).toFixed(2)} ms/msg (${split(runs)})`;
    // Each round next to the raw round measured right after it: how far the machine's speed moved the ratio.
    const byRound = (runs) => runs.map((run, i) => (run.rate / raw[i].rate).toFixed(2)).join(', ');
    const ratio = (runs) =>
      `${(mean(rates(runs)) / mean(rates(raw))).toFixed(2)} by rate (by round: ${byRound(runs)}), ` +
      `${(cpu(raw) / cpu(runs)).toFixed(2)} by CPU per message`;
    process.stdout.write(`sendEmail over HTTP -> delivered:       ${line(durable)}\n`);
    process.stdout.write(`raw pooled nodemailer -> same sink:     ${line(raw)}\n`);
    process.stdout.write(`ratio sendEmail / raw:                  ${ratio(durable)} (goal >= 0.5)\n`);
    process.stdout.write(`sendEmails (${BATCH} per call) -> delivered: ${line(batched)}\n`);
    process.stdout.write(`ratio sendEmails / raw:                 ${ratio(batched)} (bulk senders)\n`);

    const latency = await steady(url, auth, sink);
    process.stdout.write(
      `queue latency at ${1000 / STEADY_INTERVAL_MS} msg/s for ${STEADY_SECONDS} s (QUEUED answer -> at the sink), ` +
        `${latency.count} messages: p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms\n`,
    );

    await server.stop();
    server = undefined;
    const drains = await backlogDrain(sink);
    process.stdout.write(
      `backlog drain (a MODE=worker process delivering ${BACKLOG} accepted messages, no HTTP load, ` +
        `the first ${BACKLOG_WARM_UP} not counted): ` +
        `${mean(rates(drains)).toFixed(0)} msg/s (rounds: ${rates(drains)
          .map((v) => v.toFixed(0))
          .join(', ')}), worker CPU ${cpu(drains).toFixed(2)} ms/msg; ` +
        `ratio to raw ${(mean(rates(drains)) / mean(rates(raw))).toFixed(2)}\n`,
    );
  } finally {
    transport.close();
    if (server) await server.stop();
    await sink.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runDurableBench().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
