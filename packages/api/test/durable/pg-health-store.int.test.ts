import 'reflect-metadata';
import {
  availabilityOf,
  DEFAULT_BREAKER_SETTINGS,
  holdsProbe,
  initialHealthRecord,
  recordFailure,
  recordSuccess,
  takeProbe,
  type Failure,
} from '@mail-providers/mailer-core';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/database/datasource';
import { PgHealthStore, type CircuitTransition } from '../../src/health/pg-health-store';
import { dataSourceExecutor } from '../../src/queue/sql-executor';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const hint = { en: 'Check the server.', tr: 'Sunucuyu kontrol edin.' };
const connection: Failure = {
  category: 'CONNECTION',
  fallback: true,
  countsAgainstHealth: true,
  retryable: true,
  message: 'connect ECONNREFUSED',
  hint,
};
const auth: Failure = { ...connection, category: 'AUTH', message: '535 5.7.8 authentication failed' };
const rateLimited: Failure = {
  ...connection,
  category: 'RATE_LIMITED',
  countsAgainstHealth: false,
  retryAfterMs: 60_000,
  message: '454 4.7.0 Throttling',
};

/** Two processes' stores on one database: separate data sources, separate connection pools. */
describe('PgHealthStore shared by two processes', () => {
  let database: TestDatabase;
  let sourceA: DataSource;
  let sourceB: DataSource;
  let a: PgHealthStore;
  let b: PgHealthStore;
  const transitions: CircuitTransition[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    sourceA = createDataSource({ url: database.url, poolSize: 5 });
    sourceB = createDataSource({ url: database.url, poolSize: 5 });
    await sourceA.initialize();
    await sourceB.initialize();
    await sourceA.runMigrations();
    a = new PgHealthStore(dataSourceExecutor(sourceA), {
      snapshotMs: 200,
      onTransition: (t) => transitions.push(t),
    });
    b = new PgHealthStore(dataSourceExecutor(sourceB), {
      snapshotMs: 200,
      onTransition: (t) => transitions.push(t),
    });
  });

  afterAll(async () => {
    await sourceA?.destroy();
    await sourceB?.destroy();
    await database?.drop();
  });

  beforeEach(() => {
    transitions.length = 0;
  });

  it('applies concurrent updates from both processes one after the other, losing none', async () => {
    const bump = (store: PgHealthStore) =>
      store.update('counter', (record) => ({
        ...record,
        consecutiveFailures: record.consecutiveFailures + 1,
      }));
    await Promise.all(Array.from({ length: 40 }, (_, i) => bump(i % 2 === 0 ? a : b)));
    a.invalidate();
    expect((await a.get('counter')).consecutiveFailures).toBe(40);
  });

  it('gives the half-open probe slot to exactly one sender', async () => {
    const now = Date.now();
    await a.update('probe', () => ({
      ...initialHealthRecord(),
      state: 'OPEN',
      openUntil: now - 1,
      openMs: 30_000,
    }));
    const tokens = Array.from({ length: 20 }, (_, i) => `token-${i}`);
    const results = await Promise.all(
      tokens.map((token, i) =>
        (i % 2 === 0 ? a : b).update('probe', (record) => takeProbe(record, { now, token, leaseMs: 60_000 })),
      ),
    );
    const holders = tokens.filter((token, i) => {
      const record = results[i];
      return record !== undefined && holdsProbe(record, token);
    });
    expect(holders).toHaveLength(1);
  });

  it('makes a circuit opened by one process skipped by the other within a second, and reports the change once', async () => {
    const now = Date.now();
    const context = { now, settings: DEFAULT_BREAKER_SETTINGS };
    expect(availabilityOf(await b.get('main'), now).kind).toBe('available');
    // Both processes see the same AUTH failure at the same moment; only one write opens the circuit.
    await Promise.all([
      a.update('main', (record) => recordFailure(record, auth, context)),
      b.update('main', (record) => recordFailure(record, auth, context)),
    ]);
    const opened = transitions.filter(
      (t) => t.providerId === 'main' && t.from === 'CLOSED' && t.to === 'OPEN',
    );
    expect(opened).toHaveLength(1);
    const started = Date.now();
    let seen = availabilityOf(await b.get('main'), Date.now());
    while (seen.kind !== 'skip' && Date.now() - started < 1000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen = availabilityOf(await b.get('main'), Date.now());
    }
    expect(seen).toMatchObject({ kind: 'skip', reason: 'circuit_open' });
    expect(Date.now() - started).toBeLessThan(1000);
    b.invalidate();
    expect((await b.get('main')).consecutiveFailures).toBe(2);

    await b.update('main', (record) => recordSuccess(record));
    expect(transitions.filter((t) => t.providerId === 'main' && t.to === 'CLOSED')).toHaveLength(1);
  });

  it('shares a rate-limit cooldown without counting it as a failure', async () => {
    const now = Date.now();
    await a.update('limited', (record) =>
      recordFailure(record, rateLimited, { now, settings: DEFAULT_BREAKER_SETTINGS }),
    );
    b.invalidate();
    const record = await b.get('limited');
    expect(record.consecutiveFailures).toBe(0);
    expect(availabilityOf(record, now + 1000)).toMatchObject({ kind: 'skip', reason: 'cooling_down' });
    expect(availabilityOf(record, now + 61_000).kind).toBe('available');
  });

  it('skips the write when nothing changes, and forgets a provider on reset', async () => {
    const unchanged = await a.update('quiet', (record) => recordSuccess(record));
    expect(unchanged).toEqual(initialHealthRecord());
    const { rows } = await dataSourceExecutor(sourceA).executeSql<{ n: number }>(
      `SELECT count(*)::int AS n FROM provider_health WHERE provider_id = 'quiet'`,
    );
    expect(rows).toEqual([{ n: 0 }]);

    await a.update('gone', (record) =>
      recordFailure(record, connection, {
        now: Date.now(),
        settings: { ...DEFAULT_BREAKER_SETTINGS, failureThreshold: 1 },
      }),
    );
    transitions.length = 0;
    await b.reset('gone');
    expect(transitions).toEqual([
      expect.objectContaining({ providerId: 'gone', from: 'OPEN', to: 'CLOSED', cause: 'reset' }),
    ]);
    a.invalidate();
    expect(await a.get('gone')).toEqual(initialHealthRecord());
  });
});
