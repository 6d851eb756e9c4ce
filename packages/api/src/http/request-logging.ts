import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Counter } from 'prom-client';
import type { Logger } from '../logger';
import { originalPath } from './original-path';

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Gives a request an id (X-Request-Id), counts it by route and status for /metrics, and logs it once
 * answered. `path` gives the path asked for, without the query string (read when the answer is out).
 * Returns the id.
 */
export type RequestTracker = (req: IncomingMessage, res: ServerResponse, path: () => string) => string;

/** The {@link RequestTracker} of a server: probes are logged at debug level, everything else at info. */
export function requestTracker(
  logger: Logger,
  requests: Counter<'method' | 'route' | 'status'>,
): RequestTracker {
  return (req, res, pathOf) => {
    const started = process.hrtime.bigint();
    const id = randomUUID();
    res.setHeader('X-Request-Id', id);
    res.on('finish', () => {
      const path = pathOf();
      const route = /^\/(graphql|healthz|readyz|metrics)\b/.exec(path)?.[0] ?? 'static';
      requests.inc({ method: req.method ?? '', route, status: String(res.statusCode) });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const entry = { reqId: id, method: req.method, path, status: res.statusCode, ms: Math.round(ms) };
      if (PROBES.has(route)) logger.debug(entry, 'request');
      else logger.info(entry, 'request');
    });
    return id;
  };
}

/** The tracker as Express middleware, for everything Express serves. */
export function requestLogging(track: RequestTracker): RequestHandler {
  return (req, res, next) => {
    track(req, res, () => originalPath(req));
    next();
  };
}
