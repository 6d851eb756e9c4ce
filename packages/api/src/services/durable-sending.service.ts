import { AlertService } from '../alerts/alert.service';
import { PgHealthStore } from '../health/pg-health-store';
import type { Logger } from '../logger';
import { DeliveryMetrics } from '../metrics/delivery-metrics';
import { DeliveryWorker } from '../queue/delivery-worker';
import { DEFAULT_DURABLE_CONFIG, type DurableConfig } from '../queue/durable-config';
import { ChangeListener } from '../database/change-listener';
import { Housekeeping } from '../queue/housekeeping';
import { dataSourceExecutor } from '../queue/sql-executor';
import { consumeAllOrNothing, createRateLimiter, type RateLimiter } from '../rate-limit';
import type { Closable, ServiceContainer, Startable } from '../service-container';
import { DeliveryService } from './delivery.service';
import { HealthStoreService } from './health-store.service';
import { MailerService } from './mailer.service';
import { SettingsService } from './settings.service';

/** How long a shutdown waits for rounds in flight before interrupting them. */
const DRAIN_MS = 25_000;
/** The first purge after a worker starts, so that frequent restarts do not put it off for a whole interval. */
const FIRST_PURGE_DELAY_MS = 60_000;

/**
 * Durable sending for one server: this process's delivery worker and its housekeeping (MODE worker or
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
  private worker: DeliveryWorker | undefined;
  private housekeeping: Housekeeping | undefined;
  private listener: ChangeListener | undefined;
  private webhookWake: (() => void) | undefined;
  private mailIdle: (() => void) | undefined;

  constructor(private readonly services: ServiceContainer) {
    this.settings = services.config.durable ?? DEFAULT_DURABLE_CONFIG;
    this.logger = services.logger.child({ component: 'durable-sending' });
    // Created first so it is closed last: rounds still draining at shutdown need the mailer.
    this.mailerService = services.get(MailerService);
    const sql = dataSourceExecutor(services.dataSource);
    this.alerts = new AlertService({
      sql,
      logger: this.logger,
      settings: { quietMs: this.settings.alertQuietMs },
    });
    const store = services.get(HealthStoreService).store;
    if (store instanceof PgHealthStore)
      store.onTransition((transition) => this.alerts.circuitChanged(transition));
    this.deliveries = new DeliveryService({
      dataSource: services.dataSource,
      limits: this.settings.limits,
      maxBatch: this.settings.maxBatch,
      consumeQuota: (key, points) =>
        consumeAllOrNothing(this.sendLimiter, key, 'Too many messages for your sending quota', points),
      announceQueued: services.config.mode === 'api',
      onEnqueued: (count) => {
        this.metrics.recordAccepted(count);
        this.worker?.notify();
      },
      onSuppressed: (count) => {
        this.metrics.recordAccepted(count);
        this.metrics.recordFinished('SUPPRESSED', count);
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
    const worker = this.services.config.mode === 'api' ? undefined : this.startWorker();
    this.worker = worker;
    this.listener = await ChangeListener.start(
      connectionString,
      {
        onProvidersChanged: () => {
          this.mailerService.invalidate();
          worker?.providersChanged();
        },
        ...(worker ? { onQueued: () => worker.notify(), onWebhookQueued: () => this.webhookWake?.() } : {}),
      },
      this.logger,
    );
    if (!worker) return;
    this.housekeeping = this.startHousekeeping();
    this.logger.info(
      { workerId: worker.workerId, concurrency: this.settings.workerConcurrency },
      'delivery worker started',
    );
  }

  /** Has this process's listener (MODE worker or all) call `wake` when webhook messages are queued. */
  onWebhookQueued(wake: () => void): void {
    this.webhookWake = wake;
  }

  /** Has this process's delivery worker call `listener` each time it has no more mail in flight. */
  onMailIdle(listener: () => void): void {
    this.mailIdle = listener;
  }

  /** Whether this process's delivery worker holds rounds it has not finished. */
  mailInFlight(): boolean {
    return this.worker?.busy ?? false;
  }

  /** Starts this process's delivery worker (MODE worker or all); its metrics and alerts are this server's. */
  private startWorker(): DeliveryWorker {
    const worker = new DeliveryWorker({
      dataSource: this.services.dataSource,
      mailer: () => this.mailerService.mailer,
      logger: this.logger,
      settings: {
        retry: this.settings.retry,
        leaseSeconds: this.settings.leaseSeconds,
        crashRetryLimit: this.settings.crashRetryLimit,
        concurrency: this.settings.workerConcurrency,
        pollIntervalMs: this.settings.pollIntervalMs,
      },
      hooks: {
        onAttempts: (attempts) => {
          for (const attempt of attempts) this.metrics.recordAttempt(attempt);
        },
        onFinished: (status) => this.metrics.recordFinished(status),
        onIdle: () => this.mailIdle?.(),
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

  /** The lease sweep and the purge of a process with a worker. */
  private startHousekeeping(): Housekeeping {
    const housekeeping = new Housekeeping({
      dataSource: this.services.dataSource,
      logger: this.logger,
      settings: {
        leaseSeconds: this.settings.leaseSeconds,
        crashRetryLimit: this.settings.crashRetryLimit,
        leaseSweepIntervalMs: this.settings.leaseSweepIntervalSeconds * 1000,
        purgeIntervalMs: this.settings.purgeIntervalMinutes * 60_000,
        firstPurgeDelayMs: FIRST_PURGE_DELAY_MS,
      },
      purge: async (signal) => {
        await this.purge(new Date(), signal);
      },
    });
    housekeeping.start();
    return housekeeping;
  }

  /**
   * Deletes deliveries older than the retention period, as set in the database when this runs (see
   * SettingsService) or DELIVERY_RETENTION_DAYS; returns how many.
   */
  async purge(now: Date = new Date(), signal?: AbortSignal): Promise<number> {
    const retentionDays = await this.services.get(SettingsService).deliveryRetentionDays();
    const before = new Date(now.getTime() - retentionDays * 24 * 3_600_000);
    const deleted = await this.deliveries.purge(before, signal);
    this.logger.info({ deleted, before: before.toISOString(), retentionDays }, 'delivery log purged');
    return deleted;
  }

  /** Stops claiming, lets rounds in flight finish, and stops the housekeeping. */
  async close(): Promise<void> {
    await this.listener?.stop();
    this.listener = undefined;
    await this.housekeeping?.stop();
    this.housekeeping = undefined;
    await this.worker?.stop(DRAIN_MS);
    await this.alerts.close();
    this.worker = undefined;
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
