import type { Attempt, CircuitState } from '@mail-providers/mailer-core';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What the gauges read when Prometheus scrapes: current numbers from the database. */
export interface MetricsSources {
  /** Deliveries not finished yet, by status (QUEUED, SENDING, RETRYING). */
  pendingDeliveries(): Promise<Array<{ status: string; count: number }>>;
  /** Every provider with its circuit state now. */
  circuits(): Promise<Array<{ providerId: string; providerName: string; state: CircuitState }>>;
}

const CIRCUIT_VALUE: Record<CircuitState, number> = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 };

/**
 * The Prometheus metrics of sending. Labels are bounded: provider id and name (one pair per configured
 * provider), the failure category (a fixed list), the attempt outcome and the delivery status. Nothing
 * about a message or a credential is ever a label or a value.
 *
 * They go into the server's own registry (served at /metrics), so several servers in one process (tests)
 * do not collide. The gauges (read from the database at scrape time) exist only with `sources`: a worker
 * thread's counters are added to those of the thread that serves /metrics, whose gauges count for both.
 */
export class DeliveryMetrics {
  private readonly sends: Counter<'provider_id' | 'provider_name'>;
  private readonly failures: Counter<'provider_id' | 'provider_name' | 'category'>;
  private readonly skips: Counter<'provider_id' | 'provider_name' | 'reason'>;
  private readonly latency: Histogram<'provider_id' | 'provider_name' | 'outcome'>;
  private readonly finished: Counter<'status'>;
  private readonly accepted: Counter;

  constructor(registry: Registry, sources?: MetricsSources) {
    const registers = [registry];
    this.sends = new Counter({
      name: 'mailer_sends_total',
      help: 'Messages a provider accepted.',
      labelNames: ['provider_id', 'provider_name'],
      registers,
    });
    this.failures = new Counter({
      name: 'mailer_send_failures_total',
      help: 'Failed delivery attempts, by provider and failure category.',
      labelNames: ['provider_id', 'provider_name', 'category'],
      registers,
    });
    this.skips = new Counter({
      name: 'mailer_attempts_skipped_total',
      help: 'Providers skipped because their circuit was open or they were cooling down after a rate limit.',
      labelNames: ['provider_id', 'provider_name', 'reason'],
      registers,
    });
    this.latency = new Histogram({
      name: 'mailer_attempt_duration_seconds',
      help: 'Time one provider took to accept or refuse a message.',
      labelNames: ['provider_id', 'provider_name', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.finished = new Counter({
      name: 'mailer_deliveries_finished_total',
      help: 'Deliveries that reached SENT, FAILED or SUPPRESSED in this process.',
      labelNames: ['status'],
      registers,
    });
    this.accepted = new Counter({
      name: 'mailer_deliveries_accepted_total',
      help: 'Messages accepted by sendEmail/sendEmails in this process.',
      registers,
    });
    if (sources) registerGauges(registers, sources);
  }

  /** Counts one attempt (sent, failed or skipped) and its latency. */
  recordAttempt(attempt: Attempt): void {
    const provider = { provider_id: attempt.providerId, provider_name: attempt.providerName };
    if (attempt.outcome === 'SKIPPED') {
      this.skips.inc({ ...provider, reason: attempt.skippedReason ?? 'circuit_open' });
      return;
    }
    this.latency.observe({ ...provider, outcome: attempt.outcome }, attempt.durationMs / 1000);
    if (attempt.outcome === 'SENT') this.sends.inc(provider);
    else this.failures.inc({ ...provider, category: attempt.failure?.category ?? 'UNKNOWN' });
  }

  /** SUPPRESSED deliveries finish at acceptance (every recipient on the suppression list), with no attempt. */
  recordFinished(status: 'SENT' | 'FAILED' | 'SUPPRESSED', count = 1): void {
    this.finished.inc({ status }, count);
  }

  recordAccepted(count: number): void {
    this.accepted.inc(count);
  }
}

/** Queue depth and circuit states, read from the database when Prometheus scrapes. */
function registerGauges(registers: Registry[], sources: MetricsSources): void {
  new Gauge({
    name: 'mailer_queue_depth',
    help: 'Deliveries waiting or being sent, by status (all processes, read from the database).',
    labelNames: ['status'],
    registers,
    async collect() {
      const counts = new Map<string, number>([
        ['QUEUED', 0],
        ['SENDING', 0],
        ['RETRYING', 0],
      ]);
      for (const row of await sources.pendingDeliveries()) counts.set(row.status, row.count);
      this.reset();
      for (const [status, count] of counts) this.set({ status }, count);
    },
  });
  new Gauge({
    name: 'mailer_circuit_state',
    help: 'Circuit breaker state per provider: 0 closed, 1 half-open (next send probes it), 2 open.',
    labelNames: ['provider_id', 'provider_name'],
    registers,
    async collect() {
      this.reset();
      for (const circuit of await sources.circuits()) {
        this.set(
          { provider_id: circuit.providerId, provider_name: circuit.providerName },
          CIRCUIT_VALUE[circuit.state],
        );
      }
    },
  });
}
