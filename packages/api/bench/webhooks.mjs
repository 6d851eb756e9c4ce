// Benchmark of outbound webhooks.
//
// Starts the built server (dist/main.js, MODE=all) on an embedded PostgreSQL the bench also connects to,
// with a local SMTP sink as its only provider and three local HTTP receivers answering 200, each behind a
// STANDARD webhook endpoint subscribed to every event type. Then:
//  1. Event fan-out: `sendEmail` rounds (as in durable.mjs: 20 concurrent clients, until the sink has every
//     message) with the three endpoints disabled and enabled, interleaved after interleaved warm-up rounds,
//     in this one process run. Prints both rates and their ratio (goal >= 0.9), and how many webhook
//     messages each sent message made (the events sending writes, times three). The server holds webhooks
//     back while it has mail in flight (WEBHOOK_MAIL_FIRST_MS, 10 s unless set in the bench's environment,
//     which the server inherits); a round lasts a few seconds, so its webhooks follow it.
//  2. Webhook delivery latency: provider events written straight into the events table at a steady pace
//     (one every 200 ms, then one every 20 ms), from the INSERT being sent to each receiver's hit for that
//     event (its `webhook-id`). Prints p50 and p99 over every (event, endpoint) pair at each pace.
// Figures only, no assertions.
import { createRequire } from 'node:module';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import {
  PACKAGE_DIR,
  gql,
  percentile,
  signIn,
  startBenchServer,
  startSharedDatabase,
} from './bench-server.mjs';
import { MESSAGES_PER_ROUND, durableRound, mean, setUp, watchServer } from './durable.mjs';

const require = createRequire(path.join(PACKAGE_DIR, 'package.json'));
const { startSmtpTestServer } = require('@mail-providers/mailer-core/test-support');
const { Client } = require('pg');

const ENDPOINTS = 3;
const ROUNDS = 4;
const WARM_UP_ROUNDS = 2;
/** Latency at a light and at a heavy pace: events written, one every so many ms. */
const LATENCY_PACES = [
  { events: 60, intervalMs: 200 },
  { events: 250, intervalMs: 20 },
];

/** A local receiver answering 200 at once; remembers when each webhook-id first arrived. */
async function startReceiver() {
  const firstHit = new Map();
  let hits = 0;
  const server = http.createServer((request, response) => {
    const arrived = performance.timeOrigin + performance.now();
    const id = request.headers['webhook-id'];
    request.resume();
    request.on('end', () => {
      hits++;
      if (typeof id === 'string' && !firstHit.has(id)) firstHit.set(id, arrived);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    firstHit,
    hits: () => hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function createEndpoints(url, session, receivers) {
  // Every event type, as the built server knows them.
  const { EVENT_TYPES } = require('./dist/events/event-types.js');
  const ids = [];
  for (const [i, receiver] of receivers.entries()) {
    const { body } = await gql(
      url,
      session,
      'mutation ($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }',
      {
        input: {
          url: receiver.url,
          eventTypes: EVENT_TYPES,
          description: `bench receiver ${i + 1}`,
          format: 'STANDARD',
          enabled: false,
        },
      },
    );
    ids.push(body.data.createWebhookEndpoint.endpoint.id);
  }
  return ids;
}

async function setEnabled(url, session, ids, enabled) {
  for (const id of ids) {
    await gql(
      url,
      session,
      'mutation ($id: ID!, $input: WebhookEndpointUpdateInput!) { updateWebhookEndpoint(id: $id, input: $input) { id } }',
      { id, input: { enabled } },
    );
  }
}

async function count(db, table) {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n;
}

/** Resolves once no webhook message waits to be sent (or after `timeoutMs`). */
async function webhooksDrained(db, timeoutMs = 60_000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM webhook_messages WHERE status = 'PENDING'`,
    );
    if (rows[0].n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Writes `events` provider events one every `intervalMs`; resolves with each (event, endpoint) latency in
 * ms, from the INSERT being sent to the receiver's first hit for that event.
 */
async function deliveryLatency(db, receivers, { events, intervalMs }) {
  const written = new Map();
  const started = performance.now();
  for (let i = 0; i < events; i++) {
    const wait = started + i * intervalMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.timeOrigin + performance.now();
    const { rows } = await db.query(
      `INSERT INTO events (type, provider_id, payload)
       VALUES ('PROVIDER_PAUSED', gen_random_uuid(), $1::jsonb) RETURNING id`,
      [JSON.stringify({ providerName: `bench ${i}`, category: 'CONNECTION', consecutiveFailures: 3 })],
    );
    written.set(rows[0].id, sent);
  }
  const deadline = performance.now() + 60_000;
  const complete = () => receivers.every((r) => [...written.keys()].every((id) => r.firstHit.has(id)));
  while (!complete() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const latencies = [];
  for (const receiver of receivers) {
    for (const [id, at] of written) {
      const hit = receiver.firstHit.get(id);
      if (hit !== undefined) latencies.push(hit - at);
    }
  }
  return { latencies: latencies.sort((a, b) => a - b), expected: written.size * receivers.length };
}

/** Runs the webhook benchmark and prints its figures. */
export async function runWebhookBench() {
  const sink = await startSmtpTestServer();
  const receivers = await Promise.all(Array.from({ length: ENDPOINTS }, startReceiver));
  const database = await startSharedDatabase();
  const db = new Client({ connectionString: database.env.DATABASE_URL });
  let server;
  try {
    server = await startBenchServer({
      MODE: 'all',
      SEND_RATE_LIMIT_PER_MINUTE: '10000000',
      ...database.env,
    });
    watchServer(server.pid);
    await db.connect();
    const { url } = server;
    const auth = await setUp(server, sink);
    const session = await signIn(url, server.email, server.password);
    const ids = await createEndpoints(url, session, receivers);
    process.stdout.write(
      `\nWebhooks: built server ${url} (MODE=all, embedded PostgreSQL), one local SMTP sink, ${ENDPOINTS} ` +
        `STANDARD endpoints (every event type) to local receivers answering 200; sendEmail rounds without and ` +
        `with the endpoints enabled, interleaved, ${ROUNDS} measured after ${WARM_UP_ROUNDS} warm-up rounds each; ` +
        `WEBHOOK_MAIL_FIRST_MS ${process.env.WEBHOOK_MAIL_FIRST_MS || 'unset (10000)'}\n`,
    );

    const without = [];
    const withEndpoints = [];
    let messagesMade = 0;
    let sentWith = 0;
    for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
      const measured = round >= WARM_UP_ROUNDS;
      await setEnabled(url, session, ids, false);
      const off = await durableRound(url, auth, sink, `hooks-off${round}`);
      await setEnabled(url, session, ids, true);
      const queuedBefore = await count(db, 'webhook_messages');
      const on = await durableRound(url, auth, sink, `hooks-on${round}`);
      // The webhook messages of the round are delivered before the next round starts.
      await webhooksDrained(db);
      if (measured) {
        without.push(off);
        withEndpoints.push(on);
        messagesMade += (await count(db, 'webhook_messages')) - queuedBefore;
        sentWith += MESSAGES_PER_ROUND;
      }
    }
    const rates = (runs) => runs.map((run) => run.rate);
    const line = (runs) =>
      `${mean(rates(runs)).toFixed(0)} msg/s (rounds: ${rates(runs)
        .map((v) => v.toFixed(0))
        .join(', ')}), CPU ${mean(runs.map((run) => run.cpuMs)).toFixed(2)} ms/msg (server and bench; ` +
      `PostgreSQL, shared with the bench, not counted)`;
    const ratio = mean(rates(withEndpoints)) / mean(rates(without));
    process.stdout.write(`sendEmail, no endpoint enabled:          ${line(without)}\n`);
    process.stdout.write(`sendEmail, ${ENDPOINTS} endpoints enabled:         ${line(withEndpoints)}\n`);
    process.stdout.write(
      `ratio with / without endpoints:          ${ratio.toFixed(2)} (by round: ${withEndpoints
        .map((run, i) => (run.rate / without[i].rate).toFixed(2))
        .join(', ')}) (goal >= 0.9)\n`,
    );
    const perMessage = messagesMade / sentWith;
    process.stdout.write(
      `webhook messages per sent message:       ${perMessage.toFixed(2)}` +
        (perMessage === 0
          ? ' (this build writes no event while sending: the ratio does not load the fan-out)\n'
          : ` (${(perMessage / ENDPOINTS).toFixed(2)} events a message, to ${ENDPOINTS} endpoints)\n`),
    );

    await setEnabled(url, session, ids, true);
    for (const pace of LATENCY_PACES) {
      await webhooksDrained(db);
      const { latencies, expected } = await deliveryLatency(db, receivers, pace);
      process.stdout.write(
        `webhook delivery latency at ${1000 / pace.intervalMs} events/s to ${ENDPOINTS} endpoints ` +
          `(event INSERT sent -> receiver hit), ${latencies.length} of ${expected} deliveries: ` +
          `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, ` +
          `max ${latencies[latencies.length - 1].toFixed(1)} ms\n`,
      );
    }
  } finally {
    await db.end().catch(() => undefined);
    if (server) await server.stop();
    await database.stop();
    await Promise.all(receivers.map((receiver) => receiver.close()));
    await sink.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runWebhookBench().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
