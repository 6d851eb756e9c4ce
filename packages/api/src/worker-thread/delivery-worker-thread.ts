import { Worker } from 'node:worker_threads';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { AppConfig } from '../config';
import type { Logger } from '../logger';

export type ThreadMetrics = Array<MetricObjectWithValues<MetricValue<string>>>;

/** What the starting thread tells the worker thread. */
export type ToWorkerThread = { type: 'metrics'; id: number } | { type: 'close' };

/** What the worker thread answers. */
export type FromWorkerThread =
  | { type: 'ready' }
  /** Sent every `heartbeatMs` while the thread's event loop turns. */
  | { type: 'heartbeat' }
  | { type: 'failed'; message: string }
  | { type: 'metrics'; id: number; metrics: ThreadMetrics }
  | { type: 'closed' };

/** Handed to the thread at start (structured clone: plain data only). */
export interface WorkerThreadData {
  /** The starting server's configuration, as read from the environment. */
  config: AppConfig;
  /** The database the starting server uses (its embedded PostgreSQL, or DATABASE_URL). */
  databaseUrl: string;
}

/** What the thread's entry receives: the data, and how often to say it is alive. */
export interface WorkerThreadStart extends WorkerThreadData {
  heartbeatMs: number;
}

export interface WorkerThreadTimings {
  startMs: number;
  metricsMs: number;
  /** How long a stop waits for the thread: its worker drains rounds for up to 25 s, then records the rest as interrupted. */
  closeMs: number;
  /** The first wait before a restart; it doubles with each restart up to restartMaxMs. */
  restartMinMs: number;
  restartMaxMs: number;
  /** A thread that ran this long before it died restarts after the shortest wait again. */
  stableMs: number;
  /** How often the thread says it is alive. */
  heartbeatMs: number;
  /** A thread silent this long is taken for hung (its event loop blocked), stopped and started again. */
  hangMs: number;
}

export interface WorkerThreadOptions {
  /** Called each time a thread that died is started again (counted at /metrics). */
  onRestart?: () => void;
  /** For tests. */
  timings?: Partial<WorkerThreadTimings>;
}

const TIMINGS: WorkerThreadTimings = {
  startMs: 120_000,
  metricsMs: 5_000,
  closeMs: 45_000,
  restartMinMs: 1_000,
  restartMaxMs: 30_000,
  stableMs: 60_000,
  heartbeatMs: 1_000,
  hangMs: 30_000,
};

/**
 * The delivery worker of a MODE=all server, on a thread of its own: requests and deliveries then each
 * have an event loop (and so a core) instead of sharing one. The thread is a headless worker
 * (startWorkerCore) on the same database; it learns of new deliveries through the queue's NOTIFY like a
 * worker process, and its metrics are served here with this thread's own.
 *
 * A thread that dies is started again, after a wait that doubles up to 30 s; so is one that stops saying
 * it is alive (a blocked event loop does not exit by itself). What it was sending is claimed again once
 * its lease expires, as after a crashed worker process.
 */
export class DeliveryWorkerThread {
  private worker: Worker | undefined;
  private closing = false;
  private restartTimer: NodeJS.Timeout | undefined;
  /** A restart under way (the thread is starting). */
  private restarting: Promise<void> | undefined;
  private restartDelayMs: number;
  private nextRequest = 0;
  /** Answers awaited from the thread; undefined when it ended without answering. */
  private readonly pending = new Map<number, (metrics: ThreadMetrics | undefined) => void>();
  private lastMetrics: ThreadMetrics = [];

  private constructor(
    private readonly entry: string,
    private readonly data: WorkerThreadData,
    private readonly logger: Logger,
    private readonly timings: WorkerThreadTimings,
    private readonly onRestart: (() => void) | undefined,
  ) {
    this.restartDelayMs = timings.restartMinMs;
  }

  /** Starts the thread and resolves once its worker runs; rejects with the thread's reason if it cannot start. */
  static async start(
    entry: string,
    data: WorkerThreadData,
    logger: Logger,
    options: WorkerThreadOptions = {},
  ): Promise<DeliveryWorkerThread> {
    const thread = new DeliveryWorkerThread(
      entry,
      data,
      logger.child({ component: 'worker-thread' }),
      { ...TIMINGS, ...options.timings },
      options.onRestart,
    );
    thread.worker = await thread.spawn();
    return thread;
  }

  /** Whether a thread runs now: false while one that died waits to start again, or is starting. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /**
   * The thread's metrics now. While it is down, or when it does not answer in time, the last ones it
   * gave: its counters then stay where they were instead of seeming to start again from zero (they do
   * start again once a restarted thread answers, as after a process restart).
   */
  metrics(): Promise<ThreadMetrics> {
    const worker = this.worker;
    if (!worker) return Promise.resolve(this.lastMetrics);
    const id = this.nextRequest++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(this.lastMetrics);
      }, this.timings.metricsMs);
      this.pending.set(id, (metrics) => {
        clearTimeout(timer);
        if (metrics) this.lastMetrics = metrics;
        resolve(this.lastMetrics);
      });
      this.post(worker, { type: 'metrics', id });
    });
  }

  /** Lets the worker finish its rounds and stop; stops the thread outright if it takes too long. */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.restartTimer);
    await this.restarting;
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const closed = new Promise<boolean>((resolve) => {
      worker.on('message', (message: FromWorkerThread) => {
        if (message.type === 'closed') resolve(true);
      });
      worker.once('exit', () => resolve(false));
      setTimeout(() => resolve(false), this.timings.closeMs).unref();
    });
    this.post(worker, { type: 'close' });
    if (!(await closed)) this.logger.warn('the delivery worker thread did not stop in time; stopping it');
    await worker.terminate();
    await exited;
  }

  private post(worker: Worker, message: ToWorkerThread): void {
    worker.postMessage(message);
  }

  private spawn(): Promise<Worker> {
    return new Promise((resolve, reject) => {
      const start: WorkerThreadStart = { ...this.data, heartbeatMs: this.timings.heartbeatMs };
      const worker = new Worker(this.entry, { workerData: start });
      const startedAt = Date.now();
      let ready = false;
      let lastBeat = Date.now();
      const watchdog = setInterval(() => {
        if (!ready || Date.now() - lastBeat <= this.timings.hangMs) return;
        clearInterval(watchdog);
        this.logger.error(
          { silentMs: Date.now() - lastBeat },
          'the delivery worker thread stopped answering (its event loop is blocked); stopping it',
        );
        void worker.terminate();
      }, this.timings.heartbeatMs);
      watchdog.unref();
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error('The delivery worker thread did not start in time.'));
      }, this.timings.startMs);
      worker.on('message', (message: FromWorkerThread) => {
        if (message.type === 'heartbeat') {
          lastBeat = Date.now();
        } else if (message.type === 'ready') {
          ready = true;
          lastBeat = Date.now();
          clearTimeout(timer);
          resolve(worker);
        } else if (message.type === 'failed' && !ready) {
          clearTimeout(timer);
          reject(new Error(`The delivery worker thread could not start: ${message.message}`));
        } else if (message.type === 'metrics') {
          this.pending.get(message.id)?.(message.metrics);
          this.pending.delete(message.id);
        }
      });
      worker.on('error', (error) => {
        this.logger.error({ err: error }, 'the delivery worker thread failed');
        if (!ready) {
          clearTimeout(timer);
          reject(error);
        }
      });
      worker.on('exit', (code) => {
        clearInterval(watchdog);
        for (const answer of this.pending.values()) answer(undefined);
        this.pending.clear();
        if (!ready) {
          clearTimeout(timer);
          reject(new Error(`The delivery worker thread exited (code ${code}) before it started.`));
          return;
        }
        if (this.closing || this.worker !== worker) return;
        this.worker = undefined;
        this.restartLater(Date.now() - startedAt, code);
      });
    });
  }

  private restartLater(ranMs: number, code: number): void {
    if (ranMs >= this.timings.stableMs) this.restartDelayMs = this.timings.restartMinMs;
    const delayMs = this.restartDelayMs;
    this.restartDelayMs = Math.min(this.restartDelayMs * 2, this.timings.restartMaxMs);
    this.logger.error(
      { exitCode: code, restartInMs: delayMs },
      'the delivery worker thread stopped; restarting it',
    );
    this.restartTimer = setTimeout(() => {
      this.restarting = this.spawn()
        .then(
          (worker) => {
            // Set even while closing: close() waits for this start, then stops the thread gracefully.
            this.worker = worker;
            if (!this.closing) this.onRestart?.();
          },
          (error: unknown) => {
            this.logger.error({ err: error }, 'the delivery worker thread did not start again');
            if (!this.closing) this.restartLater(0, 1);
          },
        )
        .finally(() => {
          this.restarting = undefined;
        });
    }, delayMs);
  }
}
