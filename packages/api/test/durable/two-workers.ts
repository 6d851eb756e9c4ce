import { Writable } from 'node:stream';
import type { Mailer } from '@mail-providers/mailer-core';
import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/database/datasource';
import { createLogger } from '../../src/logger';
import { DeliveryWorker } from '../../src/queue/delivery-worker';
import { Housekeeping } from '../../src/queue/housekeeping';
import { DurableSendingService } from '../../src/services/durable-sending.service';
import { MailerService } from '../../src/services/mailer.service';
import { dataOf, type TestAgent } from '../support/test-agent';
import { startTestServer, type TestServer } from '../support/test-server';
import { startDatabaseProxy, type DatabaseProxy } from './database-proxy';
import { addSmtpProvider, FAST_QUEUE_ENV, SEND_EMAIL } from './durable-support';

/** Moments of a worker's sends the test acts in: before the send starts, and once it has ended. */
export interface SendHooks {
  beforeSend?: () => Promise<void> | void;
  afterSend?: () => Promise<void> | void;
}

export interface TestWorker {
  worker: DeliveryWorker;
  /** Every log line the worker wrote, as JSON text. */
  logs: string[];
  /** The log lines whose message is `msg`. */
  lines(msg: string): Array<Record<string, unknown>>;
  stop(drainMs?: number): Promise<void>;
}

/**
 * Two (or more) delivery workers in this process, each named and with a log of its own, over a server that
 * only accepts (MODE=api): the test decides which worker takes a round, and can take the database away from
 * one worker alone (it reaches PostgreSQL through {@link DatabaseProxy}) while the others keep it.
 */
export interface TwoWorkers {
  server: TestServer;
  smtp: SmtpTestServer;
  proxy: DatabaseProxy;
  /** Starts a worker named `name`, on the proxied database or on the direct one. */
  startWorker(name: string, options: { proxied: boolean } & SendHooks): Promise<TestWorker>;
  /** Accepts one message through the API; resolves with its delivery id. */
  send(subject: string): Promise<string>;
  /** The delivery's lease runs out now, as if its worker had died: the next claim takes it over. */
  expireLease(deliveryId: string): Promise<void>;
  /** Opens the proxy and stops every worker started so far, and their housekeeping (after each test, passed or not). */
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

export async function startTwoWorkers(env: Record<string, string> = {}): Promise<TwoWorkers> {
  const server = await startTestServer({ env: { ...FAST_QUEUE_ENV, ...env, MODE: 'api' } });
  const smtp = await startSmtpTestServer();
  await addSmtpProvider(server, smtp, { name: 'sink' });
  const sender: TestAgent = await server.tokenAgent(['SEND']);
  const proxy = await startDatabaseProxy(server.databaseUrl);
  const services = server.app.services;
  const settings = services.get(DurableSendingService).settings;
  const mailers = services.get(MailerService);
  // Each worker has its lease sweep, on its own way to the database, as a worker process has.
  const startHousekeeping = (dataSource: DataSource) => {
    const housekeeping = new Housekeeping({
      dataSource,
      logger: createLogger({ logLevel: 'silent' }),
      settings: {
        leaseSeconds: settings.leaseSeconds,
        crashRetryLimit: settings.crashRetryLimit,
        leaseSweepIntervalMs: 1000,
        purgeIntervalMs: 3_600_000,
        firstPurgeDelayMs: 3_600_000,
      },
      purge: () => Promise.resolve(),
    });
    housekeeping.start();
    return housekeeping;
  };
  let workers: TestWorker[] = [];
  const dataSources: DataSource[] = [];
  let housekeepers: Housekeeping[] = [];

  const stopWorkers = async () => {
    proxy.open();
    await Promise.all(workers.map((worker) => worker.stop()));
    await Promise.all(housekeepers.map((housekeeping) => housekeeping.stop()));
    workers = [];
    housekeepers = [];
  };

  const hooked = (mailer: Mailer, hooks: SendHooks): Mailer => ({
    send: async (message, options) => {
      await hooks.beforeSend?.();
      try {
        return await mailer.send(message, options);
      } finally {
        await hooks.afterSend?.();
      }
    },
    sendVia: (providerId, message, options) => mailer.sendVia(providerId, message, options),
    verify: (provider, options) => mailer.verify(provider, options),
    chain: (channel) => mailer.chain(channel),
    health: () => mailer.health(),
    close: () => mailer.close(),
  });

  return {
    server,
    smtp,
    proxy,
    async startWorker(name, { proxied, ...hooks }) {
      let dataSource = services.dataSource;
      if (proxied) {
        dataSource = await createDataSource({
          url: proxy.url,
          poolSize: 4,
          applicationName: name,
        }).initialize();
        dataSources.push(dataSource);
      }
      housekeepers.push(startHousekeeping(dataSource));
      const logs: string[] = [];
      const destination = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
          callback();
        },
      });
      const worker = new DeliveryWorker({
        dataSource,
        mailer: () => hooked(mailers.mailer, hooks),
        settings: {
          retry: settings.retry,
          leaseSeconds: settings.leaseSeconds,
          crashRetryLimit: settings.crashRetryLimit,
          concurrency: 1,
          pollIntervalMs: settings.pollIntervalMs,
        },
        logger: createLogger({ logLevel: 'info' }, destination),
        workerId: name,
      });
      worker.start();
      let stopped: Promise<void> | undefined;
      const testWorker: TestWorker = {
        worker,
        logs,
        lines: (msg) =>
          logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === msg),
        stop: (drainMs = 5000) => (stopped ??= worker.stop(drainMs)),
      };
      workers.push(testWorker);
      return testWorker;
    },
    async send(subject) {
      const response = await sender.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, {
        input: { to: ['ann@example.com'], subject, text: 'Hello' },
      });
      return dataOf(response).sendEmail.id;
    },
    async expireLease(deliveryId) {
      const { rowCount } = await server.db.query(
        `UPDATE deliveries SET lease_expires_at = now() - interval '1 second'
         WHERE id = $1 AND status = 'SENDING'`,
        [deliveryId],
      );
      if (rowCount !== 1) throw new Error(`Delivery ${deliveryId} is not SENDING.`);
    },
    stopWorkers,
    async close() {
      await stopWorkers();
      await Promise.all(dataSources.map((dataSource) => dataSource.destroy().catch(() => undefined)));
      await proxy.close();
      await smtp.close();
      await server.close();
    },
  };
}
