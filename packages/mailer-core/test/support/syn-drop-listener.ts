import { connect, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';

/**
 * A loopback port whose listener never accepts, with its accept queue full: the kernel drops further SYNs,
 * so a connection attempt neither succeeds nor fails; it hangs as toward a host behind a dropping firewall.
 */
export interface SynDropListener {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

// node accepts on its event loop, so a listener on a thread whose loop is blocked accepts nothing. The
// thread waits on a shared flag until it is told to close.
const LISTENER_THREAD = `
const { createServer } = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData);
const server = createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  Atomics.wait(flag, 0, 0);
  server.close();
});
`;

async function attempt(
  host: string,
  port: number,
  waitMs: number,
): Promise<{ socket: Socket; connected: boolean }> {
  const socket = connect({ host, port });
  socket.on('error', () => undefined);
  const connected = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), waitMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  return { socket, connected };
}

/**
 * Starts the listener and fills its accept queue with raw connections until one hangs, which proves that
 * further connection attempts hang on this machine.
 *
 * @throws when connections keep being accepted (the kernel queues more than expected).
 */
export async function startSynDropListener(): Promise<SynDropListener> {
  const flag = new SharedArrayBuffer(4);
  const worker = new Worker(LISTENER_THREAD, { eval: true, workerData: flag });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (value: unknown) =>
      typeof value === 'number' ? resolve(value) : reject(new Error('no port')),
    );
    worker.once('error', reject);
  });
  const host = '127.0.0.1';
  const sockets: Socket[] = [];
  const close = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    Atomics.store(new Int32Array(flag), 0, 1);
    Atomics.notify(new Int32Array(flag), 0);
    await worker.terminate();
  };
  for (let filled = 0; filled < 8; filled += 1) {
    const { socket, connected } = await attempt(host, port, 500);
    sockets.push(socket);
    if (!connected) return { host, port, close };
  }
  await close();
  throw new Error('The listener kept accepting connections: its accept queue never filled.');
}
