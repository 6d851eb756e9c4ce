import 'reflect-metadata';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { AppConfig } from './config';
import { createDataSource } from './database/datasource';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './database/embedded/embedded-database';
import { waitForDatabase } from './database/wait-for-database';
import type { Logger } from './logger';
import type { SecretBox } from './secrets/secret-box';
import { loadSecretKeys } from './secrets/secret-keys';
import { ServiceContainer } from './service-container';
import { startupServices } from './services';

// What a server and a worker thread both start, without HTTP or GraphQL: a worker thread loads this
// module and not server.ts, so it carries no Express, Apollo or schema.

/** What every server starts before it serves anything: database, migrations, services. */
export interface Platform<Bootstrapped> {
  /** The database it uses: DATABASE_URL, or the embedded PostgreSQL it started. */
  databaseUrl: string;
  /** The embedded cluster's folder, when this platform started it. */
  databaseFiles?: string;
  dataSource: DataSource;
  metrics: Registry;
  services: ServiceContainer;
  /** What `bootstrap` returned. */
  bootstrapped: Bootstrapped;
  /** Steps that undo the start, run newest first by `rollback`. */
  undo: Array<() => Promise<void>>;
  rollback(): Promise<void>;
}

/**
 * Secrets, database (embedded or DATABASE_URL), `bootstrap` (before any service starts), and the startup
 * services (durable sending). `scraped`: this server serves its metrics at /metrics itself, so it registers
 * the process metrics and the gauges read at scrape time; a worker thread only counts. `runningDatabase`:
 * the database another thread of this process already uses (its embedded PostgreSQL, or DATABASE_URL).
 */
export async function startPlatform<Bootstrapped>(
  config: AppConfig,
  logger: Logger,
  { scraped, runningDatabase }: { scraped: boolean; runningDatabase?: string },
  bootstrap: (dataSource: DataSource, services: ServiceContainer, box: SecretBox) => Promise<Bootstrapped>,
): Promise<Platform<Bootstrapped>> {
  // Before touching any database: a missing key on a server database must stop the start.
  const keys = await loadSecretKeys(config, logger);

  const undo: Array<() => Promise<void>> = [];
  const rollback = async () => {
    for (const step of undo.reverse()) await step().catch(() => undefined);
  };

  try {
    let embedded: EmbeddedDatabase | undefined;
    if (!config.databaseUrl && !runningDatabase) {
      const started = await startEmbeddedDatabase({ dataDir: config.dataDir, logger });
      embedded = started;
      undo.push(() => started.stop());
    }
    const databaseUrl = runningDatabase ?? config.databaseUrl ?? embedded?.url;
    if (!databaseUrl) throw new Error('No database: set DATABASE_URL or let the embedded PostgreSQL start.');

    if (config.databaseUrl && !runningDatabase) {
      await waitForDatabase(config.databaseUrl, config.databaseWaitSeconds, logger);
    }
    const dataSource = createDataSource({ url: databaseUrl });
    await dataSource.initialize();
    undo.push(() => dataSource.destroy());

    const metrics = new Registry();
    if (scraped) collectDefaultMetrics({ register: metrics });
    const services = new ServiceContainer({
      config,
      dataSource,
      logger,
      secretBox: keys.box,
      metrics,
      scraped,
    });
    undo.push(() => services.close());

    const bootstrapped = await bootstrap(dataSource, services, keys.box);
    for (const serviceClass of startupServices) await services.get(serviceClass).start();
    return {
      databaseUrl,
      databaseFiles: embedded?.clusterDir,
      dataSource,
      metrics,
      services,
      bootstrapped,
      undo,
      rollback,
    };
  } catch (error) {
    await rollback();
    throw error;
  }
}

/**
 * A delivery worker with no HTTP server, for the thread a MODE=all server starts: its configuration, on
 * the database that server uses, which that server has already migrated and bootstrapped. Its counters
 * are read through `services.metrics` and served by it.
 */
export async function startWorkerCore(
  config: AppConfig,
  databaseUrl: string,
  logger: Logger,
): Promise<{ services: ServiceContainer; close(): Promise<void> }> {
  const platform = await startPlatform(
    { ...config, mode: 'worker' },
    logger,
    { scraped: false, runningDatabase: databaseUrl },
    async () => undefined,
  );
  return { services: platform.services, close: platform.rollback };
}
