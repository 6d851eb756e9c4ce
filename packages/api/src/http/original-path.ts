import type { Request } from 'express';

/**
 * The path the client asked for, without the query string. `req.path` is relative to the router a
 * handler is mounted on (`/` for everything under `/graphql`), so logs and metrics use this instead.
 */
export function originalPath(req: Request): string {
  const query = req.originalUrl.indexOf('?');
  return query < 0 ? req.originalUrl : req.originalUrl.slice(0, query);
}
