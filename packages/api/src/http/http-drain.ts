import type { Server, ServerResponse } from 'node:http';

export interface HttpDrain {
  /**
   * Stops accepting connections, lets the requests in flight finish (their connections close after
   * the response instead of waiting for keep-alive to time out), and resolves once every connection
   * is gone. Connections still open after `graceMs` are cut.
   */
  drain(graceMs: number): Promise<void>;
}

/** Tracks the requests in flight on `server` so that a shutdown can wait for them and no longer. */
export function httpDrain(server: Server): HttpDrain {
  const inFlight = new Set<ServerResponse>();
  server.on('request', (_req, res: ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });

  let drained: Promise<void> | undefined;
  const drain = (graceMs: number) => {
    drained ??= new Promise<void>((resolve) => {
      const cut = setTimeout(() => server.closeAllConnections(), graceMs);
      server.close(() => {
        clearTimeout(cut);
        resolve();
      });
      server.closeIdleConnections();
      for (const res of inFlight) {
        // Node would otherwise keep the connection open for the next request that never comes.
        if (!res.headersSent) res.setHeader('Connection', 'close');
        else res.once('finish', () => setImmediate(() => server.closeIdleConnections()));
      }
    });
    return drained;
  };
  return { drain };
}
