/**
 * Benchmarks of the fallback engine against local servers; prints figures, asserts nothing.
 *
 * 1. Throughput: the engine with one SMTP provider vs raw pooled nodemailer, to the same local SMTP sink,
 *    in interleaved rounds so both see the same machine load. Goal: engine/raw >= 0.95.
 * 2. Hung primary: a tarpit (accepts TCP, never greets) as primary and the sink as fallback. The engine's
 *    first send pays the primary's time budget once, the circuit opens, and later sends go straight to the
 *    fallback. Naive ordered failover (try the primary with the same timeout every time, then the fallback)
 *    is measured in the same run. Goal: first send within its budget, then p99 < 50 ms.
 *
 * Run with `pnpm bench` (or `npx tsx bench/index.ts` in this package).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connect as connectTcp, type Socket } from 'node:net';
import nodemailer from 'nodemailer';
import { createMailer, type Message, type ProviderConfig, type Timeouts } from '../src';
import { startSmtpTestServer, startTarpit, type SmtpTestServer } from '../src/test-support';

const THROUGHPUT_ROUNDS = 6;
const MESSAGES_PER_ROUND = 300;
const CONCURRENCY = 10;
/** Matches the engine's SMTP pool so both sides get the same number of connections. */
const POOL_CONNECTIONS = 5;

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
 * The baselines get the same socket tuning as the engine's SMTP transport (Nagle off), so the ratios
 * compare the engine's own cost, not a TCP setting.
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

async function throughput(): Promise<void> {
  const password = 'bench-' + randomBytes(8).toString('hex');
  const sink = await startSmtpTestServer({ security: 'plain', users: { bench: password } });
  const provider = sinkProvider(sink, password);
  const mailer = createMailer({ providers: [provider] });
  const raw = nodemailer.createTransport({
    pool: true,
    maxConnections: POOL_CONNECTIONS,
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

  const engineRound = async (): Promise<number> => {
    const started = performance.now();
    await runConcurrent(MESSAGES_PER_ROUND, CONCURRENCY, async (i) => {
      const result = await mailer.send(benchMessage(i));
      if (!result.ok)
        throw new Error(`engine send failed: ${result.failure?.category} ${result.failure?.message}`);
    });
    return MESSAGES_PER_ROUND / ((performance.now() - started) / 1000);
  };
  const rawRound = async (): Promise<number> => {
    const started = performance.now();
    await runConcurrent(MESSAGES_PER_ROUND, CONCURRENCY, async (i) => {
      const message = benchMessage(i);
      await raw.sendMail({
        from: { address: provider.fromEmail, name: provider.fromName },
        to: typeof message.to === 'string' ? message.to : '',
        subject: message.subject,
        text: message.text,
        attachments: [{ filename: 'data.bin', content: attachment, contentType: 'application/octet-stream' }],
        messageId: `<${randomBytes(16).toString('hex')}@example.com>`,
      });
    });
    return MESSAGES_PER_ROUND / ((performance.now() - started) / 1000);
  };

  // Warm-up: open the pools, let the JIT settle.
  await engineRound();
  await rawRound();
  const engineRates: number[] = [];
  const rawRates: number[] = [];
  for (let round = 0; round < THROUGHPUT_ROUNDS; round++) {
    // Alternate who goes first so neither always runs on a warmer machine.
    if (round % 2 === 0) {
      engineRates.push(await engineRound());
      rawRates.push(await rawRound());
    } else {
      rawRates.push(await rawRound());
      engineRates.push(await engineRound());
    }
  }
  await mailer.close();
  raw.close();
  await sink.close();

  const median = (values: number[]): number =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    );
  const engineRate = median(engineRates);
  const rawRate = median(rawRates);
  console.log('1. Throughput to a local SMTP sink');
  console.log(
    `   ${THROUGHPUT_ROUNDS} interleaved rounds of ${MESSAGES_PER_ROUND} messages, ${CONCURRENCY} in flight, ` +
      `${POOL_CONNECTIONS} pooled connections, ~${Math.round((attachment.length * 4) / 3 / 1024)} KiB attachment`,
  );
  console.log(`   engine (createMailer, one provider): ${engineRate.toFixed(0)} msgs/s (median of rounds)`);
  console.log(`   raw pooled nodemailer:               ${rawRate.toFixed(0)} msgs/s (median of rounds)`);
  console.log(`   ratio engine/raw: ${(engineRate / rawRate).toFixed(3)}  (goal >= 0.95)`);
  console.log(`   per round engine: ${engineRates.map((r) => r.toFixed(0)).join(' ')}`);
  console.log(`   per round raw:    ${rawRates.map((r) => r.toFixed(0)).join(' ')}`);
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
