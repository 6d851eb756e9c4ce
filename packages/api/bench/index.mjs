// Benchmark: latency of the `providers` query against a trivial query on the same server.
//
// Starts the built server (dist/main.js) with its own embedded PostgreSQL in a temporary DATA_DIR, signs
// in, creates ten providers, then runs 50 concurrent clients against `{ me { id } }` and against the
// panel's `providers` query, in interleaved rounds so both see the same machine. Prints the figures and
// the p99 ratio (goal: providers p99 at most twice the trivial one). Figures only, no assertions.
// Then the durable-sending benchmark (durable.mjs) and the webhook benchmark (webhooks.mjs).
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { runDurableBench } from './durable.mjs';
import { runWebhookBench } from './webhooks.mjs';
import { gql, percentile, postGraphql, signIn, startBenchServer } from './bench-server.mjs';

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

async function createProviders(url, session) {
  for (let i = 1; i <= PROVIDERS; i++) {
    await gql(url, session, 'mutation ($input: ProviderInput!) { createProvider(input: $input) { id } }', {
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
async function load(url, session, query, perClient) {
  const latencies = [];
  const body = JSON.stringify({ query });
  const client = async () => {
    for (let i = 0; i < perClient; i++) {
      const started = performance.now();
      const { status, text } = await postGraphql(url, session, body);
      latencies.push(performance.now() - started);
      if (status !== 200 || text.includes('"errors"'))
        throw new Error(`Request failed: ${text.slice(0, 300)}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return { latencies, seconds: (performance.now() - started) / 1000 };
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
  const server = await startBenchServer({ MODE: 'api' });
  try {
    const { url } = server;
    const session = await signIn(url, server.email, server.password);
    await createProviders(url, session);

    process.stdout.write(
      `Server ${url} (built dist/, embedded PostgreSQL); ${PROVIDERS} providers; ${CLIENTS} concurrent clients, ` +
        `${ROUNDS} interleaved rounds of ${CLIENTS * REQUESTS_PER_CLIENT} requests per query\n`,
    );
    await load(url, session, TRIVIAL, Math.ceil(WARMUP / CLIENTS));
    await load(url, session, PROVIDERS_QUERY, Math.ceil(WARMUP / CLIENTS));

    const trivial = [];
    const providers = [];
    for (let round = 0; round < ROUNDS; round++) {
      trivial.push(await load(url, session, TRIVIAL, REQUESTS_PER_CLIENT));
      providers.push(await load(url, session, PROVIDERS_QUERY, REQUESTS_PER_CLIENT));
    }
    const a = summary('{ me { id } }', trivial);
    const b = summary('providers (10)', providers);
    process.stdout.write(`${row(a)}\n${row(b)}\n`);
    process.stdout.write(`p99 ratio providers / trivial: ${(b.p99 / a.p99).toFixed(2)}x (goal <= 2x)\n`);
    process.stdout.write(`p50 ratio providers / trivial: ${(b.p50 / a.p50).toFixed(2)}x\n`);
  } finally {
    await server.stop();
  }
}

main()
  .then(() => runDurableBench())
  .then(() => runWebhookBench())
  .catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
