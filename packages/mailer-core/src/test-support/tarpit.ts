import { createServer, type Server, type Socket } from 'node:net';

/** A TCP listener on loopback that accepts connections and never says a word: a hung mail server. */
export interface Tarpit {
  readonly host: string;
  readonly port: number;
  /** Connections accepted so far. */
  readonly connectionCount: number;
  /** Connections still held open. */
  readonly openConnections: number;
  /** Drops every held connection and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a tarpit on 127.0.0.1 and an ephemeral port. Whatever a client sends is read and ignored, so
 * only the client's own timeouts end the exchange.
 *
 * @example
 * const tarpit = await startTarpit();
 * const provider = { ...config, host: tarpit.host, port: tarpit.port };
 * // ... a send must fail with TIMEOUT within its greeting budget
 * await tarpit.close();
 */
export async function startTarpit(): Promise<Tarpit> {
  const sockets = new Set<Socket>();
  let connectionCount = 0;
  const server: Server = createServer((socket) => {
    connectionCount += 1;
    sockets.add(socket);
    // Read and drop the client's bytes so its writes never block.
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('tarpit: no TCP address'));
        return;
      }
      resolve(address.port);
    });
  });

  return {
    host: '127.0.0.1',
    port,
    get connectionCount() {
      return connectionCount;
    },
    get openConnections() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        sockets.clear();
        server.close(() => resolve());
      }),
  };
}
