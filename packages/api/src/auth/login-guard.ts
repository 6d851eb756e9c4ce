import { RateLimiterRes } from 'rate-limiter-flexible';
import type { LoginLimits } from '../config';
import { RateLimitedError } from '../errors';
import { createRateLimiter, rateLimitKey, type RateLimiter } from '../rate-limit';
import type { ServiceContainer } from '../service-container';
import { clientNetwork } from './client-network';

/** A run of failures of one account from one address is remembered this long after its first failure. */
const PAIR_MEMORY_SECONDS = 24 * 3600;
const DAY_SECONDS = 24 * 3600;
/** Counters that never refuse by themselves: the guard reads them and decides. */
const UNLIMITED = 1_000_000_000;
const PAIR_FAILURES = 'login_pair';
const PAIR_BLOCK = 'login_pair_block';

/**
 * How long a pair (account, address) waits after its `failures`-th failure in a row: nothing before
 * `failuresBeforeBlock`, then `blockSeconds`, doubling with each further failure up to `maxBlockSeconds`.
 */
export function blockSecondsAfter(failures: number, limits: LoginLimits): number {
  if (failures < limits.failuresBeforeBlock) return 0;
  const doublings = Math.min(failures - limits.failuresBeforeBlock, 30);
  return Math.min(limits.blockSeconds * 2 ** doublings, limits.maxBlockSeconds);
}

/**
 * Throttles password guessing without letting anyone lock others out:
 *
 * - Failures in a row are counted per account and client address (an IPv6 client by its /64). After
 *   `failuresBeforeBlock` of them that pair waits `blockSeconds`, doubling with each further failure up to
 *   `maxBlockSeconds`, and is then allowed one attempt per wait. A successful login clears the pair. The
 *   same account from another address is not slowed down: nobody can lock an account by failing on it.
 * - An address that fails `ipFailuresPerDay` times within a day, across accounts, is refused for the rest
 *   of that day; only that address.
 *
 * Every attempt counts as a failure from the moment it starts (a success gives it back), and a blocked
 * pair's one attempt per wait is taken in one atomic step, so guesses sent in parallel cannot slip past
 * the counts. The counters live in PostgreSQL (table rate_limits), shared by every process.
 */
export class LoginGuard {
  private readonly limits: LoginLimits;
  /** Failures in a row per pair. */
  private readonly pairFailures: RateLimiter;
  /** Per pair: one attempt per wait; taken, it makes the next attempt wait. */
  private readonly pairBlock: RateLimiter;
  private readonly ipFailures: RateLimiter;

  constructor(private readonly services: ServiceContainer) {
    this.limits = services.config.loginLimits;
    this.pairFailures = createRateLimiter(services, {
      name: PAIR_FAILURES,
      points: UNLIMITED,
      windowSeconds: PAIR_MEMORY_SECONDS,
    });
    this.pairBlock = createRateLimiter(services, {
      name: PAIR_BLOCK,
      points: 1,
      windowSeconds: this.limits.blockSeconds,
    });
    this.ipFailures = createRateLimiter(services, {
      name: 'login_ip_day',
      points: this.limits.ipFailuresPerDay,
      windowSeconds: DAY_SECONDS,
    });
  }

  /**
   * Call before checking a password; throws RATE_LIMITED (with the wait) when this account may not be
   * tried from this address now. The attempt counts as failed unless `succeeded` follows.
   */
  async beginAttempt(email: string, ip: string): Promise<void> {
    const ipKey = rateLimitKey(clientNetwork(ip));
    const pairKey = pairKeyOf(email, ip);
    await refuseWhenOver(this.ipFailures.consume(ipKey), 'Too many failed logins from your address today');
    const failures = (await this.pairFailures.penalty(pairKey)).consumedPoints;
    const wait = blockSecondsAfter(failures, this.limits);
    if (wait === 0) return;
    try {
      // Free: this attempt is the pair's one for now, and the next waits as long as its failure asks.
      await this.pairBlock.consume(pairKey, 1, { customDuration: wait });
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) {
        // Refused before any password was checked: not a failure of the pair, nor of the address.
        await this.pairFailures.reward(pairKey);
        await this.ipFailures.reward(ipKey);
        throw new RateLimitedError(
          refusal.msBeforeNext,
          'Too many failed logins for this account from your address',
        );
      }
      throw refusal;
    }
  }

  /** The password was right: the pair starts afresh, and the attempt is not a failure of the address. */
  async succeeded(email: string, ip: string): Promise<void> {
    const pairKey = pairKeyOf(email, ip);
    await this.pairFailures.delete(pairKey);
    await this.pairBlock.delete(pairKey);
    await this.ipFailures.reward(rateLimitKey(clientNetwork(ip)));
  }

  /** Clears the failed logins counted against an account from every address (its password was just reset). */
  async forgetAccount(email: string): Promise<void> {
    const account = accountKeyOf(email);
    await this.services.dataSource.query(
      'DELETE FROM rate_limits WHERE starts_with(key, $1) OR starts_with(key, $2)',
      [`${PAIR_FAILURES}:${account}:`, `${PAIR_BLOCK}:${account}:`],
    );
  }
}

function accountKeyOf(email: string): string {
  return rateLimitKey(email);
}

/** The account first, so that every address's counters of one account share a prefix. */
function pairKeyOf(email: string, ip: string): string {
  return `${accountKeyOf(email)}:${rateLimitKey(clientNetwork(ip))}`;
}

async function refuseWhenOver(consumed: Promise<RateLimiterRes>, what: string): Promise<void> {
  try {
    await consumed;
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) throw new RateLimitedError(refusal.msBeforeNext, what);
    throw refusal;
  }
}
