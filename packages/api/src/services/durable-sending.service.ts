import { AlertService } from '../alerts/alert.service';
import { PgHealthStore } from '../health/pg-health-store';
import type { Logger } from '../logger';
import { DeliveryMetrics } from '../metrics/delivery-metrics';
import { DeliveryQueue } from '../queue/delivery-queue';
import { DeliveryWorker } from '../queue/delivery-worker';
import { DEFAULT_DURABLE_CONFIG, type DurableConfig } from '../queue/durable-config';
import { ChangeListener } from '../database/change-listener';
import { dataSourceExecutor } from '../queue/sql-executor';
import { consumeAllOrNothing, createRateLimiter, type RateLimiter } from '../rate-limit';
import type { Closable, ServiceContainer, Startable } from '../service-container';
import { DeliveryService } from './delivery.service';
import { HealthStoreService } from './health-store.service';
import { MailerService } from './mailer.service';

/** How long a shutdown waits for rounds in flight before interrupting them. */
const DRAIN_MS = 25_000;

/**
 * Durable sending for one server: the pg-boss queue, this process's delivery worker (MODE worker or
 * all), the delivery log, alerts and metrics, and the listener that has providers changed by any process
 * read again at once (and wakes the worker for new mail). Started at boot, after migrations.
 */
export class DurableSendingService implements Startable, Closable {
  readonly settings: DurableConfig;
  readonly deliveries: DeliveryService;
  readonly alerts: AlertService;
  readonly metrics: DeliveryMetrics;
  private readonly mailerService: MailerService;
  private readonly logger: Logger;
  private readonly sendLimiter: RateLimiter;
  private queue: DeliveryQueue | undefined;
  private worker: DeliveryWorker | undefined;
  private listener: ChangeListener | undefined;

  constructor(private readonly services: ServiceContainer) {
    this.settings = services.config.durable ?? DEFAULT_DURABLE_CONFIG;
    this.logger = services.logger.child({ component: 'durable-sending' });
    // Created first so it is closed last: rounds still draining at shutdown need the mailer.
    this.mailerService = services.get(MailerService);
    const sql = dataSourceExecutor(services.dataSource);
    this.alerts = new AlertService({
      sql,
      logger: this.logger,
      settings: {
        webhookUrl: this.settings.alertWebhookUrl,
        webhookTimeoutMs: this.settings.alertWebhookTimeoutMs,
        quietMs: this.settings.alertQuietMs,
      },
    });
    const store = services.get(HealthStoreService).store;
    if (store instanceof PgHealthStore)
      store.onTransition((transition) => this.alerts.circuitChanged(transition));
    this.deliveries = new DeliveryService({
      dataSource: services.dataSource,
      queue: () => this.requireQueue(),
      limits: this.settings.limits,
      maxBatch: this.settings.maxBatch,
      consumeQuota: (key, points) =>
        consumeAllOrNothing(this.sendLimiter, key, 'Too many messages for your sending quota', points),
      announceQueued: services.config.mode === 'api',
      onEnqueued: (count) => {
        this.metrics.recordAccepted(count);
        this.worker?.notify();
      },
    });
    this.metrics = new DeliveryMetrics(
      services.deps.metrics,
      services.deps.scraped
        ? { pendingDeliveries: () => this.deliveries.pendingCounts(), circuits: () => this.circuits() }
        : undefined,
    );
    this.sendLimiter = createRateLimiter(services, {
      name: 'send_email',
      points: this.settings.sendPerMinute,
      windowSeconds: 60,
    });
  }

  async start(): Promise<void> {
    const options = this.services.dataSource.options;
    const connectionString = options.type === 'postgres' ? options.url : undefined;
    if (!connectionString) throw new Error('Durable sending needs a PostgreSQL connection URL.');
    this.queue = await DeliveryQueue.start(
      {
        connectionString,
        jobTimeoutSeconds: this.settings.jobTimeoutSeconds,
        crashRetryLimit: this.settings.crashRetryLimit,
        maintenanceIntervalSeconds: this.settings.maintenanceIntervalSeconds,
        purgeCron: this.settings.purgeCron,
        poolSize: 4,
      },
      this.logger,
      dataSourceExecutor(this.services.dataSource),
    );
    const worker = this.services.config.mode === 'api' ? undefined : this.startWorker(this.queue);
    this.worker = worker;
    this.listener = await ChangeListener.start(
      connectionString,
      {
        onProvidersChanged: () => {
          this.mailerService.invalidate();
          worker?.providersChanged();
        },
        ...(worker ? { onQueued: () => worker.notify() } : {}),
      },
      this.logger,
    );
    if (!worker) return;
    await this.queue.workPurge(async () => {
      await this.purge();
    });
    this.logger.info(
      { workerId: worker.workerId, concurrency: this.settings.workerConcurrency },
      'delivery worker started',
    );
  }

  /** Starts this process's delivery worker (MODE worker or all); its metrics and alerts are this server's. */
  private startWorker(queue: DeliveryQueue): DeliveryWorker {
    const worker = new DeliveryWorker({
      dataSource: this.services.dataSource,
      queue,
      mailer: () => this.mailerService.mailer,
      logger: this.logger,
      settings: {
        retry: this.settings.retry,
        jobTimeoutSeconds: this.settings.jobTimeoutSeconds,
        concurrency: this.settings.workerConcurrency,
        pollIntervalMs: this.settings.pollIntervalMs,
        deadLetterIntervalMs: Math.max(1000, this.settings.maintenanceIntervalSeconds * 1000),
      },
      hooks: {
        onAttempts: (attempts) => {
          for (const attempt of attempts) this.metrics.recordAttempt(attempt);
        },
        onFinished: (status) => this.metrics.recordFinished(status),
        onFallback: (primary, deliveredBy) =>
          this.alerts.fallbackUsed(
            { id: primary.providerId, name: primary.providerName, failure: primary.failure ?? null },
            { name: deliveredBy.providerName },
          ),
      },
    });
    worker.start();
    return worker;
  }

  /** Deletes deliveries older than the retention period; returns how many. */
  async purge(now: Date = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.settings.retentionDays * 24 * 3_600_000);
    const deleted = await this.deliveries.purge(before);
    this.logger.info({ deleted, before: before.toISOString() }, 'delivery log purged');
    return deleted;
  }

  /** Stops taking jobs, lets rounds in flight finish, then stops the queue. */
  async close(): Promise<void> {
    await this.listener?.stop();
    this.listener = undefined;
    await this.worker?.stop(DRAIN_MS);
    await this.alerts.close();
    await this.queue?.stop();
    this.worker = undefined;
    this.queue = undefined;
  }

  private requireQueue(): DeliveryQueue {
    if (!this.queue) throw new Error('The delivery queue is not started.');
    return this.queue;
  }

  private async circuits(): Promise<
    Array<{ providerId: string; providerName: string; state: 'CLOSED' | 'OPEN' | 'HALF_OPEN' }>
  > {
    const providers = await this.mailerService.providers();
    const health = await this.mailerService.healthOf(providers.map((provider) => provider.id));
    return providers.map((provider) => ({
      providerId: provider.id,
      providerName: provider.name,
      state: health.get(provider.id)?.state ?? 'CLOSED',
    }));
  }
}
