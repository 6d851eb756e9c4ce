import {
  DEFAULT_BREAKER_SETTINGS,
  availabilityOf,
  describeHealth,
  holdsProbe,
  recordFailure,
  recordSuccess,
  releaseProbe,
  resolveBreakerSettings,
  takeProbe,
} from '../../src/health/circuit-breaker';
import { initialHealthRecord, type HealthRecord } from '../../src/health/health-record';
import { InMemoryHealthStore } from '../../src/health/in-memory-health-store';
import type { FailureCategory } from '../../src/result';
import { failureOf } from '../support/failures';

const settings = DEFAULT_BREAKER_SETTINGS;
const LEASE = settings.probeLeaseMs;

/** A clock the test moves by hand. */
function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

function fail(
  record: HealthRecord,
  category: FailureCategory,
  now: number,
  probeToken?: string,
): HealthRecord {
  return recordFailure(record, failureOf(category), { now, settings, probeToken });
}

describe('circuit breaker', () => {
  it('opens after three consecutive counted failures, not before', () => {
    const t = clock();
    let record = initialHealthRecord();
    record = fail(record, 'CONNECTION', t.now());
    record = fail(record, 'PROVIDER_UNAVAILABLE', t.now());
    expect(record.state).toBe('CLOSED');
    expect(availabilityOf(record, t.now())).toEqual({ kind: 'available' });
    record = fail(record, 'CONNECTION', t.now());
    expect(record).toMatchObject({ state: 'OPEN', consecutiveFailures: 3, openUntil: t.now() + 30_000 });
    expect(availabilityOf(record, t.now())).toEqual({
      kind: 'skip',
      reason: 'circuit_open',
      until: t.now() + 30_000,
    });
  });

  it('a success in between starts the count again', () => {
    const t = clock();
    let record = fail(fail(initialHealthRecord(), 'CONNECTION', t.now()), 'CONNECTION', t.now());
    record = recordSuccess(record);
    record = fail(fail(record, 'CONNECTION', t.now()), 'CONNECTION', t.now());
    expect(record.state).toBe('CLOSED');
    expect(record.consecutiveFailures).toBe(2);
  });

  it.each<FailureCategory>(['AUTH', 'TIMEOUT'])('%s opens the circuit at once', (category) => {
    const record = fail(initialHealthRecord(), category, 5_000);
    expect(record).toMatchObject({
      state: 'OPEN',
      consecutiveFailures: 1,
      openUntil: 35_000,
      openMs: 30_000,
    });
    expect(record.lastFailure?.category).toBe(category);
    expect(record.lastFailureAt).toBe(5_000);
  });

  it.each<FailureCategory>(['RECIPIENT_REJECTED', 'MESSAGE_REJECTED'])(
    '%s changes nothing (another provider would get the same answer)',
    (category) => {
      const before = fail(initialHealthRecord(), 'CONNECTION', 1);
      expect(fail(before, category, 2)).toBe(before);
    },
  );

  it('walks open -> half-open -> closed with the clock', () => {
    const t = clock();
    let record = fail(initialHealthRecord(), 'AUTH', t.now());
    t.advance(29_999);
    expect(availabilityOf(record, t.now()).kind).toBe('skip');
    expect(describeHealth('p', record, t.now()).state).toBe('OPEN');
    t.advance(1);
    expect(availabilityOf(record, t.now())).toEqual({ kind: 'probe' });
    expect(describeHealth('p', record, t.now()).state).toBe('HALF_OPEN');

    record = takeProbe(record, { now: t.now(), token: 'probe-1', leaseMs: LEASE });
    expect(record.state).toBe('HALF_OPEN');
    expect(holdsProbe(record, 'probe-1')).toBe(true);

    record = recordSuccess(record);
    expect(record).toMatchObject({ state: 'CLOSED', consecutiveFailures: 0, openUntil: null, probe: null });
    expect(availabilityOf(record, t.now())).toEqual({ kind: 'available' });
    expect(describeHealth('p', record, t.now())).toMatchObject({ state: 'CLOSED', openUntil: null });
  });

  it('doubles the open window while probes keep failing, up to 10 minutes', () => {
    const t = clock();
    let record = fail(initialHealthRecord(), 'TIMEOUT', t.now());
    const windows: number[] = [];
    for (let i = 0; i < 7; i++) {
      windows.push((record.openUntil ?? 0) - t.now());
      t.advance(record.openMs ?? 0);
      const token = `probe-${i}`;
      record = takeProbe(record, { now: t.now(), token, leaseMs: LEASE });
      expect(holdsProbe(record, token)).toBe(true);
      record = fail(record, 'CONNECTION', t.now(), token);
      expect(record.state).toBe('OPEN');
    }
    windows.push((record.openUntil ?? 0) - t.now());
    expect(windows).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000, 600_000]);
  });

  it('a success after doubling starts again from 30 s', () => {
    const t = clock();
    let record = fail(initialHealthRecord(), 'TIMEOUT', t.now());
    t.advance(30_000);
    record = fail(takeProbe(record, { now: t.now(), token: 'a', leaseMs: LEASE }), 'TIMEOUT', t.now(), 'a');
    expect(record.openMs).toBe(60_000);
    t.advance(60_000);
    record = recordSuccess(takeProbe(record, { now: t.now(), token: 'b', leaseMs: LEASE }));
    record = fail(record, 'TIMEOUT', t.now());
    expect(record.openUntil).toBe(t.now() + 30_000);
  });

  it('lets one half-open probe through at a time', () => {
    const t = clock();
    let record = fail(initialHealthRecord(), 'AUTH', t.now());
    t.advance(30_000);
    record = takeProbe(record, { now: t.now(), token: 'first', leaseMs: LEASE });
    const second = takeProbe(record, { now: t.now(), token: 'second', leaseMs: LEASE });
    expect(second).toBe(record);
    expect(holdsProbe(second, 'second')).toBe(false);
    expect(availabilityOf(record, t.now())).toEqual({
      kind: 'skip',
      reason: 'circuit_open',
      until: t.now() + LEASE,
    });
  });

  it('frees the probe slot when its lease runs out (the prober died)', () => {
    const t = clock();
    let record = fail(initialHealthRecord(), 'AUTH', t.now());
    t.advance(30_000);
    record = takeProbe(record, { now: t.now(), token: 'lost', leaseMs: LEASE });
    t.advance(LEASE);
    expect(availabilityOf(record, t.now())).toEqual({ kind: 'probe' });
    record = takeProbe(record, { now: t.now(), token: 'next', leaseMs: LEASE });
    expect(holdsProbe(record, 'next')).toBe(true);
  });

  it('a failure from an attempt that was not the probe counts but does not extend the window', () => {
    const t = clock();
    let record = fail(initialHealthRecord(), 'TIMEOUT', t.now());
    const openUntil = record.openUntil;
    record = fail(record, 'TIMEOUT', t.now() + 10);
    record = fail(record, 'TIMEOUT', t.now() + 20);
    expect(record.openUntil).toBe(openUntil);
    expect(record.consecutiveFailures).toBe(3);
  });

  it('an early probe (lockout avoidance) may take the slot before the window ends, a normal one may not', () => {
    const t = clock();
    const record = fail(initialHealthRecord(), 'AUTH', t.now());
    expect(takeProbe(record, { now: t.now(), token: 'x', leaseMs: LEASE })).toBe(record);
    const early = takeProbe(record, { now: t.now(), token: 'x', leaseMs: LEASE, early: true });
    expect(holdsProbe(early, 'x')).toBe(true);
    expect(takeProbe(early, { now: t.now(), token: 'y', leaseMs: LEASE, early: true })).toBe(early);
  });

  it('releasing the probe returns the circuit to open, ready for the next probe', () => {
    const t = clock();
    let record = fail(initialHealthRecord(), 'AUTH', t.now());
    t.advance(30_000);
    record = takeProbe(record, { now: t.now(), token: 'p', leaseMs: LEASE });
    expect(releaseProbe(record, 'other')).toBe(record);
    record = releaseProbe(record, 'p');
    expect(record).toMatchObject({ state: 'OPEN', probe: null });
    expect(availabilityOf(record, t.now())).toEqual({ kind: 'probe' });
  });

  it('a probe answered with a recipient error proves nothing and frees the slot', () => {
    const t = clock();
    let record = fail(initialHealthRecord(), 'AUTH', t.now());
    t.advance(30_000);
    record = takeProbe(record, { now: t.now(), token: 'p', leaseMs: LEASE });
    record = fail(record, 'RECIPIENT_REJECTED', t.now(), 'p');
    expect(record).toMatchObject({ state: 'OPEN', probe: null, consecutiveFailures: 1, openMs: 30_000 });
  });

  describe('rate limits', () => {
    it('cool the provider down for Retry-After without counting a failure', () => {
      const t = clock();
      const record = recordFailure(
        initialHealthRecord(),
        failureOf('RATE_LIMITED', { retryAfterMs: 12_000 }),
        {
          now: t.now(),
          settings,
        },
      );
      expect(record).toMatchObject({
        state: 'CLOSED',
        consecutiveFailures: 0,
        cooldownUntil: t.now() + 12_000,
      });
      expect(availabilityOf(record, t.now())).toEqual({
        kind: 'skip',
        reason: 'cooling_down',
        until: t.now() + 12_000,
      });
      expect(describeHealth('p', record, t.now()).cooldownUntil).toEqual(new Date(t.now() + 12_000));
      t.advance(12_000);
      expect(availabilityOf(record, t.now())).toEqual({ kind: 'available' });
      expect(describeHealth('p', record, t.now()).cooldownUntil).toBeNull();
    });

    it('without Retry-After cool down for the default', () => {
      const record = fail(initialHealthRecord(), 'RATE_LIMITED', 0);
      expect(record.cooldownUntil).toBe(60_000);
    });

    it('never shorten a longer cooldown already running', () => {
      let record = recordFailure(initialHealthRecord(), failureOf('RATE_LIMITED', { retryAfterMs: 50_000 }), {
        now: 0,
        settings,
      });
      record = recordFailure(record, failureOf('RATE_LIMITED', { retryAfterMs: 1_000 }), {
        now: 10,
        settings,
      });
      expect(record.cooldownUntil).toBe(50_000);
    });

    it('do not break a run of counted failures', () => {
      let record = fail(fail(initialHealthRecord(), 'CONNECTION', 0), 'CONNECTION', 0);
      record = fail(record, 'RATE_LIMITED', 0);
      record = fail(record, 'CONNECTION', 0);
      expect(record.state).toBe('OPEN');
    });
  });

  it('fills unset settings with the defaults', () => {
    expect(resolveBreakerSettings({ openMs: 5 })).toEqual({ ...DEFAULT_BREAKER_SETTINGS, openMs: 5 });
  });
});

describe('InMemoryHealthStore', () => {
  it('starts every provider closed and applies updates atomically, one after another', async () => {
    const store = new InMemoryHealthStore();
    expect(await store.get('p')).toEqual(initialHealthRecord());
    await Promise.all(
      Array.from({ length: 5 }, () => store.update('p', (record) => fail(record, 'CONNECTION', 0))),
    );
    expect((await store.get('p')).consecutiveFailures).toBe(5);
    expect(await store.list()).toEqual([{ providerId: 'p', record: await store.get('p') }]);
  });

  it('gives the probe slot to exactly one of many concurrent takers', async () => {
    const store = new InMemoryHealthStore();
    await store.update('p', (record) => fail(record, 'AUTH', 0));
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map(async (token) => {
        const record = await store.update('p', (current) =>
          takeProbe(current, { now: 30_000, token, leaseMs: LEASE }),
        );
        return holdsProbe(record, token);
      }),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('reset forgets the provider', async () => {
    const store = new InMemoryHealthStore();
    await store.update('p', (record) => fail(record, 'AUTH', 0));
    await store.reset('p');
    expect(await store.get('p')).toEqual(initialHealthRecord());
    expect(await store.list()).toEqual([]);
  });
});
