import { InMemoryHealthStore, type HealthStore } from '@mail-providers/mailer-core';
import type { ServiceContainer } from '../service-container';

/**
 * The one place that decides where circuit-breaker state lives. In memory for now: each process keeps its
 * own view. A store shared through PostgreSQL replaces it here, and every user of `store` follows.
 */
export class HealthStoreService {
  readonly store: HealthStore;

  constructor(_services: ServiceContainer) {
    this.store = new InMemoryHealthStore();
  }
}
