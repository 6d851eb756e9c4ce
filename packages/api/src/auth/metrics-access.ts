import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Guards /metrics with METRICS_TOKEN: the request must carry `Authorization: Bearer <token>`, compared in
 * constant time (digests of equal length, so neither the content nor the length of the token leaks).
 * Anything else gets 401 with a WWW-Authenticate challenge. Without a token the metrics stay open.
 */
export function metricsAccess(token: string | undefined): RequestHandler {
  if (token === undefined) return (_req, _res, next) => next();
  const expected = digest(token);
  return (req, res, next) => {
    const given = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];
    if (given !== undefined && timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    res
      .status(401)
      .set('WWW-Authenticate', 'Bearer realm="metrics"')
      .type('text/plain')
      .send('Send Authorization: Bearer <METRICS_TOKEN> to read the metrics.\n');
  };
}

/** The warning for a production server whose metrics anyone who reaches it can read; undefined otherwise. */
export function openMetricsWarning(config: {
  nodeEnv: string;
  metricsToken: string | undefined;
}): string | undefined {
  if (config.nodeEnv !== 'production' || config.metricsToken !== undefined) return undefined;
  return '/metrics is open to anyone who can reach this server (provider names and traffic included); set METRICS_TOKEN to require a bearer token.';
}
