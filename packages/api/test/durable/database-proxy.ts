import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP relay on loopback between one client and PostgreSQL, to take the database away from that client
 * alone while everyone else keeps it:
 * - `open`: bytes flow both ways;
 * - `held`: nothing flows, on open connections and new ones alike (a network that stalls); what was sent
 *   meanwhile arrives when the relay is opened again;
 * - `down`: every connection is cut and new ones are cut at once (a database that is gone).
 */
export interface DatabaseProxy {
  /** The database URL to hand to the client. */
  url: string;
  readonly mode: 'open' | 'held' | 'down';
  open(): void;
  hold(): void;
  cut(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  server: Socket;
}

export async function startDatabaseProxy(databaseUrl: string): Promise<DatabaseProxy> {
  const target = new URL(databaseUrl);
  const targetPort = Number(target.port || '5432');
  const pairs = new Set<Pair>();
  let mode: DatabaseProxy['mode'] = 'open';

  const pause = (pair: Pair) => {
    pair.client.pause();
    pair.server.pause();
  };
  const resume = (pair: Pair) => {
    pair.client.resume();
    pair.server.resume();
  };
  const destroy = (pair: Pair) => {
    pair.client.destroy();
    pair.server.destroy();
    pairs.delete(pair);
  };

  const server: Server = createServer((client) => {
    if (mode === 'down') {
      client.destroy();
      return;
    }
    const pair: Pair = { client, server: connect(targetPort, target.hostname) };
    pairs.add(pair);
    // Forwarded by hand rather than piped: a pipe resumes a paused socket when the other side drains.
    pair.client.on('data', (chunk: Buffer) => pair.server.write(chunk));
    pair.server.on('data', (chunk: Buffer) => pair.client.write(chunk));
    const end = () => destroy(pair);
    pair.client.on('error', end).on('close', end);
    pair.server.on('error', end).on('close', end);
    if (mode === 'held') pause(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The proxy has no TCP address.');

  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);

  return {
    url: url.toString(),
    get mode() {
      return mode;
    },
    open() {
      mode = 'open';
      for (const pair of pairs) resume(pair);
    },
    hold() {
      mode = 'held';
      for (const pair of pairs) pause(pair);
    },
    cut() {
      mode = 'down';
      for (const pair of [...pairs]) destroy(pair);
    },
    async close() {
      for (const pair of [...pairs]) destroy(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
