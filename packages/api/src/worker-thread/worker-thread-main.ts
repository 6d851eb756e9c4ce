// Entry of the delivery worker's thread in a MODE=all server (see delivery-worker-thread.ts).
import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../logger';
import { startWorkerCore } from '../platform';
import type { FromWorkerThread, ToWorkerThread, WorkerThreadStart } from './delivery-worker-thread';

async function run(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('worker-thread-main runs as a worker thread of a MODE=all server.');
  const send = (message: FromWorkerThread) => port.postMessage(message);
  const { config, databaseUrl, heartbeatMs } = workerData as WorkerThreadStart;
  const logger = createLogger(config).child({ thread: 'delivery-worker' });
  let worker: Awaited<ReturnType<typeof startWorkerCore>>;
  try {
    worker = await startWorkerCore(config, databaseUrl, logger);
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  port.on('message', (message: ToWorkerThread) => {
    if (message.type === 'metrics') {
      // Unanswered, the request times out and the last metrics are served instead.
      worker.services.metrics.getMetricsAsJSON().then(
        (metrics) => send({ type: 'metrics', id: message.id, metrics }),
        (error: unknown) => logger.warn({ err: error }, 'could not read the worker thread metrics'),
      );
    } else {
      void worker.close().finally(() => {
        send({ type: 'closed' });
        port.close();
      });
    }
  });
  send({ type: 'ready' });
  // The starting thread stops and restarts a thread that falls silent: its event loop is blocked.
  setInterval(() => send({ type: 'heartbeat' }), heartbeatMs).unref();
}

void run();
