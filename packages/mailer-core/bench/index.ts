/**
 * Benchmarks of the fallback engine against local servers; prints figures, asserts nothing.
 *
 * 1. Throughput: the engine with one SMTP provider vs raw pooled nodemailer, to the same local SMTP sink,
 *    with the same messages, pool size, messages per connection and sends in flight. Rounds come in pairs
 *    (one of each, order alternating) so both see the same machine load; the ratio is the median of the
 *    pairs' ratios. Goal: engine/raw >= 0.95.
 * 2. Hung primary: a tarpit (accepts TCP, never greets) as primary and the sink as fallback. The engine's
 *    first send pays the primary's time budget once, the circuit opens, and later sends go straight to the
 *    fallback. Naive ordered failover (try the primary with the same timeout every time, then the fallback)
 *    is measured in the same run. Goal: first send within its budget, then p99 < 50 ms.
 *
 * Run with `pnpm bench` (or `npx tsx bench/index.ts` in this package).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connect as connectTcp, type Socket } from 'node:net';
import nodemailer from 'nodemailer';
import {
  SMTP_MAX_CONNECTIONS,
  SMTP_MAX_MESSAGES_PER_CONNECTION,
  createMailer,
  type Message,
  type ProviderConfig,
  type Timeouts,
} from '../src';
import { startSmtpTestServer, startTarpit, type SmtpTestServer } from '../src/test-support';

/** Pairs of rounds (one engine, one raw); short rounds, many pairs: the machine's load drifts between them. */
const THROUGHPUT_PAIRS = 24;
const MESSAGES_PER_ROUND = 200;
/** Rounds per side before measuring: 6,000 messages each. */
const WARM_UP_ROUNDS = 30;
const CONCURRENCY = 10;

/** A short budget for the tarpit part, so the bench stays short; the engine's defaults are 5 s / 5 s / 30 s. */
const HUNG_TIMEOUTS: Timeouts = { connectMs: 1_000, greetingMs: 1_000, socketMs: 1_000 };
const HUNG_FOLLOWING_SENDS = 200;
/** Each naive send costs a full timeout, so fewer of them are measured. */
const NAIVE_SENDS = 10;

const attachment = randomBytes(4 * 1024);

function benchMessage(i: number): Message {
  return {
    to: `rcpt${i % 50}@example.org`,
    subject: `bench message ${i}`,
    text: `Hello number ${i}.\n`.repeat(20),
    attachments: [{ filename: 'data.bin', content: attachment }],
  };
}

function sinkProvider(
  server: SmtpTestServer,
  password: string,
  overrides: Partial<ProviderConfig> = {},
): ProviderConfig {
  return {
    id: 'sink',
    type: 'smtp',
    name: 'local sink',
    host: server.host,
    port: server.port,
    username: 'bench',
    password,
    encryption: 'none',
    fromEmail: 'bench@example.com',
    fromName: 'Bench',
    serviceType: 'primary',
    status: 'active',
    priority: 1,
    ...overrides,
  };
}

/** Runs `count` jobs with at most `concurrency` in flight. */
async function runConcurrent(
  count: number,
  concurrency: number,
  job: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      await job(i);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

/**
 * The baselines get Nagle off like the engine's SMTP transport, so no baseline stalls on the sink's
 * delayed ACK (about 40 ms a message) and the ratios compare pipelines, not a TCP setting. The engine
 * also sends the writes of one event-loop turn together; that is its own work and counts for it.
 */
function noDelaySocket(
  host: string,
  port: number,
): (options: unknown, callback: (err: Error | null, socketOptions: { connection: Socket }) => void) => void {
  return (_options, callback) => callback(null, { connection: connectTcp({ host, port, noDelay: true }) });
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

interface RoundFigures {
  /** Messages per second, wall clock. */
  rate: number;
  /** Process CPU time (user + system, all threads, the sink included) per message, in microseconds. */
  cpuUs: number;
}

async function timedRound(send: (i: number) => Promise<void>): Promise<RoundFigures> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await runConcurrent(MESSAGES_PER_ROUND, CONCURRENCY, send);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { rate: MESSAGES_PER_ROUND / seconds, cpuUs: (used.user + used.system) / MESSAGES_PER_ROUND };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

async function throughput(): Promise<void> {
  const password = 'bench-' + randomBytes(8).toString('hex');
  const sink = await startSmtpTestServer({ security: 'plain', users: { bench: password } });
  const provider = sinkProvider(sink, password);
  const mailer = createMailer({ providers: [provider] });
  // The engine's pool settings, so the two sides differ only in what the engine adds.
  const raw = nodemailer.createTransport({
    pool: true,
    maxConnections: SMTP_MAX_CONNECTIONS,
    maxMessages: SMTP_MAX_MESSAGES_PER_CONNECTION,
    host: sink.host,
    port: sink.port,
    getSocket: noDelaySocket(sink.host, sink.port),
    secure: false,
    ignoreTLS: true,
    auth: { user: 'bench', pass: password },
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 30_000,
  });

  const engineRound = (): Promise<RoundFigures> =>
    timedRound(async (i) => {
      const result = await mailer.send(benchMessage(i));
      if (!result.ok)
        throw new Error(`engine send failed: ${result.failure?.category} ${result.failure?.message}`);
    });
  const rawRound = (): Promise<RoundFigures> =>
    timedRound(async (i) => {
      // The same message the engine sends: its From, fields and attachment, and a fresh Message-ID.
      const message = benchMessage(i);
      await raw.sendMail({
        from: { address: provider.fromEmail, name: provider.fromName },
        to: typeof message.to === 'string' ? message.to : '',
        subject: message.subject,
        text: message.text,
        attachments: [{ filename: 'data.bin', content: attachment, contentType: 'application/octet-stream' }],
        messageId: `<${randomUUID()}@example.com>`,
      });
    });
  // The sink keeps what it receives; emptied between rounds so that neither side pays for a growing heap.
  const emptySink = (): void => {
    sink.messages.splice(0);
  };

  // Warm-up: open the pools and let the JIT settle. V8 keeps optimising code that runs once per message
  // for thousands of messages, and the engine has more such code than the baseline; measured too early,
  // the ratio shows compile time rather than sending.
  for (let i = 0; i < WARM_UP_ROUNDS; i++) {
    await engineRound();
    await rawRound();
    emptySink();
  }
  const engine: RoundFigures[] = [];
  const baseline: RoundFigures[] = [];
  for (let pair = 0; pair < THROUGHPUT_PAIRS; pair++) {
    // Alternate who goes first so neither always runs on a warmer machine.
    if (pair % 2 === 0) {
      engine.push(await engineRound());
      baseline.push(await rawRound());
    } else {
      baseline.push(await rawRound());
      engine.push(await engineRound());
    }
    emptySink();
  }
  await mailer.close();
  raw.close();
  await sink.close();

  const rateRatios = engine.map((round, i) => round.rate / (baseline[i]?.rate ?? Number.NaN));
  const engineRate = median(engine.map((round) => round.rate));
  const rawRate = median(baseline.map((round) => round.rate));
  const engineCpu = median(engine.map((round) => round.cpuUs));
  const rawCpu = median(baseline.map((round) => round.cpuUs));
  console.log('1. Throughput to a local SMTP sink');
  console.log(
    `   ${THROUGHPUT_PAIRS} pairs of rounds (engine, raw; order alternating) of ${MESSAGES_PER_ROUND} messages each, ` +
      `after ${WARM_UP_ROUNDS * MESSAGES_PER_ROUND} warm-up messages per side; ` +
      `~${Math.round((attachment.length * 4) / 3 / 1024)} KiB attachment`,
  );
  console.log(
    `   both sides: the same messages, ${CONCURRENCY} sends in flight, a pool of ${SMTP_MAX_CONNECTIONS} connections ` +
      `(${SMTP_MAX_MESSAGES_PER_CONNECTION} messages each), Nagle off, the sink in this process`,
  );
  console.log(
    '   engine: createMailer with one SMTP provider (validates the message, walks the chain, reads and writes health)',
  );
  console.log('   raw:    nodemailer.createTransport({ pool: true }).sendMail');
  console.log(
    `   engine: ${engineRate.toFixed(0)} msgs/s, ${engineCpu.toFixed(0)} µs CPU/msg (medians of rounds)`,
  );
  console.log(`   raw:    ${rawRate.toFixed(0)} msgs/s, ${rawCpu.toFixed(0)} µs CPU/msg (medians of rounds)`);
  console.log(
    `   ratio engine/raw: ${median(rateRatios).toFixed(3)} (median of the pairs; goal >= 1.0); ` +
      `by CPU per message: ${(rawCpu / engineCpu).toFixed(3)}`,
  );
  console.log(`   per pair engine/raw: ${rateRatios.map((ratio) => ratio.toFixed(2)).join(' ')}`);
}

async function hungPrimary(): Promise<void> {
  const password = 'bench-' + randomBytes(8).toString('hex');
  const tarpit = await startTarpit();
  const sink = await startSmtpTestServer({ security: 'plain', users: { bench: password } });
  const budget = HUNG_TIMEOUTS.connectMs + HUNG_TIMEOUTS.greetingMs;
  const primary: ProviderConfig = {
    ...sinkProvider(sink, password),
    id: 'hung',
    name: 'hung primary',
    host: tarpit.host,
    port: tarpit.port,
  };
  const fallback = sinkProvider(sink, password, { id: 'fallback', serviceType: 'fallback', priority: 2 });

  // The engine.
  const mailer = createMailer({ providers: [primary, fallback], timeouts: HUNG_TIMEOUTS });
  let started = performance.now();
  const first = await mailer.send(benchMessage(0));
  const firstMs = performance.now() - started;
  const latencies: number[] = [];
  for (let i = 1; i <= HUNG_FOLLOWING_SENDS; i++) {
    started = performance.now();
    const result = await mailer.send(benchMessage(i));
    latencies.push(performance.now() - started);
    if (!result.ok) throw new Error(`engine send failed: ${result.failure?.category}`);
  }
  await mailer.close();
  latencies.sort((a, b) => a - b);
  const engineTarpitConnections = tarpit.connectionCount;

  // Naive ordered failover: every send tries the primary with the same budget, then the fallback.
  const naiveOptions = {
    secure: false,
    ignoreTLS: true,
    auth: { user: 'bench', pass: password },
    connectionTimeout: HUNG_TIMEOUTS.connectMs,
    greetingTimeout: HUNG_TIMEOUTS.greetingMs,
    socketTimeout: HUNG_TIMEOUTS.socketMs,
  };
  const naivePrimary = nodemailer.createTransport({
    ...naiveOptions,
    host: tarpit.host,
    port: tarpit.port,
    getSocket: noDelaySocket(tarpit.host, tarpit.port),
  });
  const naiveFallback = nodemailer.createTransport({
    ...naiveOptions,
    pool: true,
    host: sink.host,
    port: sink.port,
    getSocket: noDelaySocket(sink.host, sink.port),
  });
  // The floor: sequential sends straight to the sink through a warm pool, no engine, no hung primary.
  const direct: number[] = [];
  await naiveFallback.sendMail({
    from: 'bench@example.com',
    to: 'warm@example.org',
    subject: 'warm',
    text: 'up',
  });
  for (let i = 0; i < HUNG_FOLLOWING_SENDS; i++) {
    const mail = { from: 'bench@example.com', to: `rcpt${i}@example.org`, subject: 'direct', text: 'hello' };
    started = performance.now();
    await naiveFallback.sendMail(mail);
    direct.push(performance.now() - started);
  }
  direct.sort((a, b) => a - b);

  const naive: number[] = [];
  for (let i = 0; i < NAIVE_SENDS; i++) {
    const mail = { from: 'bench@example.com', to: `rcpt${i}@example.org`, subject: 'naive', text: 'hello' };
    started = performance.now();
    try {
      await naivePrimary.sendMail(mail);
    } catch {
      await naiveFallback.sendMail(mail);
    }
    naive.push(performance.now() - started);
  }
  naivePrimary.close();
  naiveFallback.close();
  naive.sort((a, b) => a - b);
  await tarpit.close();
  await sink.close();

  console.log('2. Hung primary (tarpit) with a fallback');
  console.log(
    `   timeouts ${HUNG_TIMEOUTS.connectMs}/${HUNG_TIMEOUTS.greetingMs}/${HUNG_TIMEOUTS.socketMs} ms ` +
      `(connect/greeting/socket; shortened from the 5 s/5 s/30 s defaults to keep the bench short)`,
  );
  console.log(
    `   engine first send: ${ms(firstMs)} (budget ${budget} ms), delivered by ${first.deliveredBy}, ` +
      `primary failure ${first.attempts[0]?.failure?.category}`,
  );
  console.log(
    `   engine next ${HUNG_FOLLOWING_SENDS} sends: p50 ${ms(percentile(latencies, 50))}, ` +
      `p99 ${ms(percentile(latencies, 99))}, max ${ms(percentile(latencies, 100))}  (goal p99 < 50 ms)`,
  );
  console.log(
    `   floor, raw pooled nodemailer straight to the sink, ${HUNG_FOLLOWING_SENDS} sends: ` +
      `p50 ${ms(percentile(direct, 50))}, p99 ${ms(percentile(direct, 99))}`,
  );
  console.log(
    `   naive ordered failover, ${NAIVE_SENDS} sends (fewer: each pays the primary's timeout): ` +
      `p50 ${ms(percentile(naive, 50))}, p99 ${ms(percentile(naive, 99))}`,
  );
  console.log(
    `   connections the hung primary received: engine ${engineTarpitConnections} for ` +
      `${HUNG_FOLLOWING_SENDS + 1} sends, naive ${tarpit.connectionCount - engineTarpitConnections} for ${NAIVE_SENDS}`,
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  await throughput();
  console.log('');
  await hungPrimary();
  console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
