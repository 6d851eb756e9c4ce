import { createHash } from 'node:crypto';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from './errors';
import type { ServiceContainer } from './service-container';

export interface RateLimitOptions {
  /** Namespace of the counters, e.g. `login_account`. */
  name: string;
  /** How many actions are allowed per window. */
  points: number;
  windowSeconds: number;
}

export type RateLimiter = RateLimiterPostgres;

/**
 * A limiter whose counters live in PostgreSQL (table rate_limits), so every API process of an
 * installation shares them.
 */
export function createRateLimiter(services: ServiceContainer, options: RateLimitOptions): RateLimiter {
  return new RateLimiterPostgres({
    storeClient: services.dataSource,
    storeType: 'typeorm',
    tableName: 'rate_limits',
    tableCreated: true,
    keyPrefix: options.name,
    points: options.points,
    duration: options.windowSeconds,
  });
}

/** Keys can be emails or other user input: hash them to a fixed length that fits the key column. */
export function rateLimitKey(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 40);
}

/**
 * Takes one point; when the window is used up, throws RATE_LIMITED with the time to wait.
 * `what` starts the message, e.g. "Too many test emails".
 */
export async function consumeOrThrow(
  limiter: RateLimiter,
  key: string,
  what: string,
  points = 1,
): Promise<void> {
  try {
    await limiter.consume(key, points);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw new RateLimitedError(rejection.msBeforeNext, what);
    throw rejection;
  }
}

/**
 * Like {@link consumeOrThrow}, but a refusal takes nothing: the points of a refused call are given back, so
 * a caller over its quota can still send what fits once the window has room.
 */
export async function consumeAllOrNothing(
  limiter: RateLimiter,
  key: string,
  what: string,
  points: number,
): Promise<void> {
  try {
    await consumeOrThrow(limiter, key, what, points);
  } catch (error) {
    if (error instanceof RateLimitedError) await limiter.reward(key, points);
    throw error;
  }
}
