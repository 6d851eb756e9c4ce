import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { AppConfig } from './config';
import type { Logger } from './logger';
import type { SecretBox } from './secrets/secret-box';

/** What every service can build on. */
export interface PlatformDeps {
  config: AppConfig;
  dataSource: DataSource;
  logger: Logger;
  secretBox: SecretBox;
  /** Prometheus registry of this server, served at /metrics. */
  metrics: Registry;
  /**
   * This server serves its registry at /metrics itself. False on the delivery worker's thread (MODE=all),
   * whose counters the thread that started it serves with its own, and which keeps no gauges.
   */
  scraped: boolean;
}

/** A service class: constructed once per server with the container, from which it takes what it needs. */
export type ServiceClass<T> = new (services: ServiceContainer) => T;

/** Optional lifecycle of a service: `start` at boot (for services listed in services/index.ts), `close` at shutdown. */
export interface Startable {
  start(): Promise<void>;
}
export interface Closable {
  close(): Promise<void>;
}

function isClosable(value: unknown): value is Closable {
  return typeof value === 'object' && value !== null && 'close' in value && typeof value.close === 'function';
}

/**
 * One instance of each service per server. Services ask for each other by class
 * (`services.get(AuditService)`), so adding a service touches no shared file. Instances with a
 * `close()` are closed in reverse order of creation at shutdown.
 */
export class ServiceContainer {
  private readonly instances = new Map<ServiceClass<unknown>, unknown>();
  private readonly creating = new Set<ServiceClass<unknown>>();

  constructor(readonly deps: PlatformDeps) {}

  get config(): AppConfig {
    return this.deps.config;
  }
  get dataSource(): DataSource {
    return this.deps.dataSource;
  }
  get logger(): Logger {
    return this.deps.logger;
  }
  get secretBox(): SecretBox {
    return this.deps.secretBox;
  }
  get metrics(): Registry {
    return this.deps.metrics;
  }

  get<T>(serviceClass: ServiceClass<T>): T {
    const existing = this.instances.get(serviceClass);
    if (existing !== undefined) return existing as T;
    if (this.creating.has(serviceClass)) {
      throw new Error(`Service ${serviceClass.name} depends on itself through its constructor.`);
    }
    this.creating.add(serviceClass);
    try {
      const instance = new serviceClass(this);
      this.instances.set(serviceClass, instance);
      return instance;
    } finally {
      this.creating.delete(serviceClass);
    }
  }

  /** Closes every service that has a `close()`, newest first; one failure does not stop the others. */
  async close(): Promise<void> {
    const created = [...this.instances.values()].reverse();
    for (const instance of created) {
      if (!isClosable(instance)) continue;
      try {
        await instance.close();
      } catch (error) {
        this.logger.error({ err: error }, 'a service failed to close');
      }
    }
    this.instances.clear();
  }
}
