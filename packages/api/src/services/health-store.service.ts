import type { HealthStore } from '@mail-providers/mailer-core';
import { PgHealthStore } from '../health/pg-health-store';
import { DEFAULT_DURABLE_CONFIG } from '../queue/durable-config';
import { dataSourceExecutor } from '../queue/sql-executor';
import type { ServiceContainer } from '../service-container';

/**
 * The one place that decides where circuit-breaker state lives: in PostgreSQL (provider_health), so every
 * API and worker process on the database shares circuits, probe slots and rate-limit cooldowns.
 */
export class HealthStoreService {
  readonly store: HealthStore;

  constructor(services: ServiceContainer) {
    this.store = new PgHealthStore(dataSourceExecutor(services.dataSource), {
      snapshotMs: (services.config.durable ?? DEFAULT_DURABLE_CONFIG).healthSnapshotMs,
    });
  }
}
