import { initialHealthRecord, type HealthRecord } from './health-record';
import type { HealthStore } from './health-store';

/**
 * The default {@link HealthStore}: a map in this process. `update` runs `fn` synchronously between reading
 * and writing, so no other update can interleave on Node's single thread: it is atomic by construction.
 */
export class InMemoryHealthStore implements HealthStore {
  private readonly records = new Map<string, HealthRecord>();

  async get(providerId: string): Promise<HealthRecord> {
    return this.records.get(providerId) ?? initialHealthRecord();
  }

  async list(): Promise<Array<{ providerId: string; record: HealthRecord }>> {
    return [...this.records].map(([providerId, record]) => ({ providerId, record }));
  }

  async update(providerId: string, fn: (current: HealthRecord) => HealthRecord): Promise<HealthRecord> {
    const current = this.records.get(providerId) ?? initialHealthRecord();
    const next = fn(current);
    if (next !== current) this.records.set(providerId, next);
    return next;
  }

  async reset(providerId: string): Promise<void> {
    this.records.delete(providerId);
  }
}
