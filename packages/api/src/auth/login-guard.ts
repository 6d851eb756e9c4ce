import { consumeOrThrow, createRateLimiter, rateLimitKey, type RateLimiter } from '../rate-limit';
import type { ServiceContainer } from '../service-container';

/**
 * Limits login attempts per account (against guessing one person's password) and per IP address
 * (against trying many accounts). Every attempt takes a point before the password is checked, so
 * parallel guesses cannot slip past the count; a success gives the points back.
 */
export class LoginGuard {
  private readonly perAccount: RateLimiter;
  private readonly perIp: RateLimiter;

  constructor(services: ServiceContainer) {
    const { perAccount, perIp, windowSeconds } = services.config.loginLimits;
    this.perAccount = createRateLimiter(services, {
      name: 'login_account',
      points: perAccount,
      windowSeconds,
    });
    this.perIp = createRateLimiter(services, { name: 'login_ip', points: perIp, windowSeconds });
  }

  async beginAttempt(email: string, ip: string): Promise<void> {
    await consumeOrThrow(this.perIp, rateLimitKey(ip), 'Too many failed logins from this address');
    await consumeOrThrow(this.perAccount, rateLimitKey(email), 'Too many failed logins for this account');
  }

  async succeeded(email: string, ip: string): Promise<void> {
    await this.perAccount.delete(rateLimitKey(email));
    await this.perIp.reward(rateLimitKey(ip), 1);
  }

  /** Clears the failed logins counted against an account (its password was just reset). */
  async forgetAccount(email: string): Promise<void> {
    await this.perAccount.delete(rateLimitKey(email));
  }
}
