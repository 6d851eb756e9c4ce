import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Counter } from 'prom-client';
import type { Logger } from '../logger';
import { originalPath } from './original-path';

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

const requestIds = new WeakMap<ServerResponse, string>();

/** The id {@link requestLogging} gave the request this response answers ('' before it ran). */
export function requestIdOf(res: ServerResponse): string {
  return requestIds.get(res) ?? '';
}

/**
 * Gives every request an id (X-Request-Id), counts it by route and status for /metrics, and logs it once
 * answered, under the path asked for without the query string: probes at debug level, everything else at
 * info.
 */
export function requestLogging(
  logger: Logger,
  requests: Counter<'method' | 'route' | 'status'>,
): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const id = randomUUID();
    res.setHeader('X-Request-Id', id);
    requestIds.set(res, id);
    res.on('finish', () => {
      const path = originalPath(req);
      const route = /^\/(graphql|healthz|readyz|metrics)\b/.exec(path)?.[0] ?? 'static';
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const entry = { reqId: id, method: req.method, path, status: res.statusCode, ms: Math.round(ms) };
      if (PROBES.has(route)) logger.debug(entry, 'request');
      else logger.info(entry, 'request');
    });
    next();
  };
}
