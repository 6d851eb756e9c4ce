import 'reflect-metadata';
import http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { expressMiddleware, type ExpressContextFunctionArgument } from '@as-integrations/express5';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import { AggregatorRegistry, Counter, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { authenticate } from './auth/authenticate';
import { metricsAccess, openMetricsWarning } from './auth/metrics-access';
import { adminPasswordIgnoredWarning, UserService, type FirstAdmin } from './auth/user.service';
import type { AppConfig } from './config';
import { localeFromAcceptLanguage, type Context } from './context';
import { migrateAndBootstrap } from './database/datasource';
import { AppError } from './errors';
import { createApolloServer } from './graphql/apollo-server';
import { buildAppSchema } from './graphql/build-schema';
import { serveAdmin } from './http/admin-static';
import { errorHandler, notFound } from './http/error-handler';
import { graphqlExchange } from './http/graphql-exchange';
import { httpDrain } from './http/http-drain';
import { serveOAuthCallback } from './http/oauth-callback';
import { serveVendorWebhooks } from './http/vendor-webhook';
import { InboundWebhookService } from './inbound/inbound-webhook.service';
import { requestIdOf, requestLogging } from './http/request-logging';
import { securityHeaders } from './http/security-headers';
import { createLogger, type Logger } from './logger';
import { OAuthSignInService } from './oauth/oauth-sign-in.service';
import { startPlatform } from './platform';
import { reencryptSecrets } from './secrets/reencrypt-secrets';
import type { SecretBox } from './secrets/secret-box';
import { ServiceContainer } from './service-container';
import { DeliveryWorkerThread } from './worker-thread/delivery-worker-thread';

export interface CreateAppOptions {
  /** Defaults to a pino logger on stdout at config.logLevel. */
  logger?: Logger;
  /**
   * MODE=all with WORKER_THREAD on: the built entry of the delivery worker's thread (main.ts passes it).
   * The worker then runs on an event loop of its own, and this thread answers requests only; without
   * it, both share one.
   */
  workerThreadEntry?: string;
}

export interface App {
  app: Express;
  /** Where the server listens, e.g. http://127.0.0.1:4000. */
  url: string;
  port: number;
  services: ServiceContainer;
  /** What this start did about the first admin account, once listening (main prints it). */
  firstAdmin: FirstAdmin;
  /** Where the embedded PostgreSQL keeps its files; undefined with DATABASE_URL. */
  databaseFiles?: string;
  /** Graceful stop: refuse new connections, finish requests, close services, the database and embedded PostgreSQL. */
  close(): Promise<void>;
}

/** How long a shutdown lets requests in flight finish before cutting their connections. */
const HTTP_DRAIN_MS = 10_000;

class ServiceUnavailableError extends AppError {
  constructor() {
    super('The service cannot reach its database right now; try again shortly.', 'INTERNAL_SERVER_ERROR', {
      http: { status: 503 },
    });
  }
}

function displayUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error(`Could not read the port the server listens on (${String(address)}).`));
    });
  });
}

async function databaseIsReachable(dataSource: DataSource): Promise<boolean> {
  if (!dataSource.isInitialized) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), 2000);
  });
  try {
    return await Promise.race([dataSource.query('SELECT 1').then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** The GraphQL context of a request: who calls (bearer token, else session cookie), its language, its logger. */
function graphqlContext(
  services: ServiceContainer,
): (exchange: ExpressContextFunctionArgument) => Promise<Context> {
  const { logger } = services;
  return async ({ req, res }) => {
    let requestLogger: Logger | undefined;
    const log = (): Logger => (requestLogger ??= logger.child({ reqId: requestIdOf(res) }));
    let auth;
    try {
      auth = await authenticate(req, services);
    } catch (error) {
      log().error(
        { error: error instanceof Error ? error.message : String(error) },
        'could not check the credentials of a request',
      );
      throw new ServiceUnavailableError();
    }
    const locale =
      auth.kind === 'session' ? auth.user.locale : localeFromAcceptLanguage(req.headers['accept-language']);
    return { auth, services, http: graphqlExchange(req, res), locale, log };
  };
}

/** Migrations under the database-wide lock, then the re-encryption of secrets under an older key. */
function migrateAndReencrypt(logger: Logger) {
  return async (dataSource: DataSource, _services: ServiceContainer, box: SecretBox): Promise<void> => {
    await migrateAndBootstrap(dataSource, (manager) => reencryptSecrets(manager, box, logger));
  };
}

/**
 * The first administrator, created only once the server can serve (migrated, listening): a start that
 * fails before leaves no account behind whose generated password nobody saw. A worker process never
 * creates one. main.ts prints what was done.
 */
async function settleFirstAdmin(
  config: AppConfig,
  services: ServiceContainer,
  logger: Logger,
): Promise<FirstAdmin> {
  if (config.mode === 'worker') return { created: false, email: config.adminEmail };
  const firstAdmin = await services.get(UserService).ensureFirstAdmin(config);
  if (firstAdmin.created) logger.info({ email: firstAdmin.email }, 'created the first administrator');
  const ignored = adminPasswordIgnoredWarning(firstAdmin);
  if (ignored) logger.warn({ email: firstAdmin.email }, ignored);
  return firstAdmin;
}

/**
 * Builds and starts the whole server: the platform (startPlatform), the delivery worker (on a thread of
 * its own when `options.workerThreadEntry` is given in MODE=all), and (unless MODE=worker) GraphQL and
 * the admin panel; listens on config.host:config.port (0 = any free port) with /healthz, /readyz and
 * /metrics in every mode. Used by main.ts and by the tests, which start it in-process and talk to it
 * over HTTP.
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config);
  const threadEntry = config.mode === 'all' && config.workerThread ? options.workerThreadEntry : undefined;
  // With the worker on its own thread, this thread is an api server, and the thread a worker.
  const platform = await startPlatform(
    threadEntry ? { ...config, mode: 'api' } : config,
    logger,
    { scraped: true },
    migrateAndReencrypt(logger),
  );
  const { databaseUrl, dataSource, metrics, services, undo, rollback } = platform;

  try {
    const workerThread = threadEntry
      ? await DeliveryWorkerThread.start(threadEntry, { config, databaseUrl }, logger, {
          onRestart: threadRestartCounter(metrics),
        })
      : undefined;
    if (workerThread) undo.push(() => workerThread.close());
    const requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by route and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [metrics],
    });

    const app = express();
    const httpServer = http.createServer(app);
    const requestsInFlight = httpDrain(httpServer);
    // A worker process serves only its probes and metrics: GraphQL and the panel belong to api processes.
    let apollo: ApolloServer<Context> | undefined;
    if (config.mode !== 'worker') {
      const started = createApolloServer({ schema: await buildAppSchema(), config, logger });
      await started.start();
      undo.push(() => started.stop());
      apollo = started;
    }

    let closing = false;
    app.disable('x-powered-by');
    app.set('trust proxy', config.trustProxy);
    app.use(requestLogging(logger, requests));
    app.use(securityHeaders());
    app.get('/healthz', (_req, res) => {
      res.json({ status: 'ok' });
    });
    // A worker thread that is down leaves the server ready: what it accepts waits in the queue, for the
    // thread once it is back or for any other worker on the database. The answer still says so.
    const deliveryWorker = (): 'thread' | 'restarting' | 'main-thread' | 'none' => {
      if (workerThread) return workerThread.running ? 'thread' : 'restarting';
      return config.mode === 'api' ? 'none' : 'main-thread';
    };
    app.get('/readyz', async (_req, res) => {
      const ready = !closing && (await databaseIsReachable(dataSource));
      res.status(ready ? 200 : 503).json({
        status: ready ? 'ready' : 'unavailable',
        database: ready,
        deliveryWorker: deliveryWorker(),
      });
    });
    const metricsOpen = openMetricsWarning(config);
    if (metricsOpen) logger.warn(metricsOpen);
    app.get('/metrics', metricsAccess(config.metricsToken), async (_req, res) => {
      const scraped = workerThread
        ? AggregatorRegistry.aggregate([await metrics.getMetricsAsJSON(), await workerThread.metrics()])
        : metrics;
      res.type(metrics.contentType).send(await scraped.metrics());
    });
    if (apollo) {
      // Same origin only: no CORS headers. Bodies that are not JSON stay unread, so Apollo's CSRF
      // prevention sees them and refuses them.
      app.use(
        '/graphql',
        express.json({ limit: config.bodyLimit }),
        cookieParser(),
        expressMiddleware(apollo, { context: graphqlContext(services) }),
      );
      serveOAuthCallback(app, () => services.get(OAuthSignInService), logger);
      serveVendorWebhooks(app, () => services.get(InboundWebhookService));
      serveAdmin(app, config.adminDistDir);
    }
    app.use(notFound);
    app.use(errorHandler(logger, config.bodyLimit));

    const port = await listen(httpServer, config.port, config.host);
    undo.push(() => requestsInFlight.drain(HTTP_DRAIN_MS));
    const url = displayUrl(config.host, port);
    logger.info({ url, mode: config.mode, workerThread: workerThread !== undefined }, 'listening');
    const firstAdmin = await settleFirstAdmin(config, services, logger);

    let closed: Promise<void> | undefined;
    const close = () => {
      closed ??= (async () => {
        closing = true;
        logger.info('shutting down: finishing requests');
        // In reverse order of start: HTTP (drained), Apollo, the worker thread (it finishes its rounds),
        // services (an in-process worker finishes its rounds, then the queue stops), the database pool,
        // and last the embedded PostgreSQL.
        await rollback();
        logger.info('stopped');
      })();
      return closed;
    };
    return { app, url, port, services, firstAdmin, databaseFiles: platform.databaseFiles, close };
  } catch (error) {
    await rollback();
    throw error;
  }
}

/** Counts the worker thread's restarts at /metrics (a thread that keeps dying shows there). */
function threadRestartCounter(metrics: Registry): () => void {
  const restarts = new Counter({
    name: 'mailer_worker_thread_restarts_total',
    help: 'Times the delivery worker thread died and was started again.',
    registers: [metrics],
  });
  return () => restarts.inc();
}
