import { vetHost } from '@mail-providers/mailer-core';
import { BadUserInputError } from '../errors';
import { consumeOrThrow, createRateLimiter, type RateLimiter } from '../rate-limit';
import type { ServiceContainer } from '../service-container';
import { callerKey } from './caller-key';
import { MailerService } from './mailer.service';
import type { Caller } from './provider.service';

/**
 * Verifications one caller may start per window: plenty for setting providers up, too few to sweep a
 * network's hosts and ports through the server.
 */
export const VERIFICATION_LIMIT = { points: 60, windowSeconds: 60 } as const;

/**
 * What every verification takes first, whether asked for or done by saving a provider as ACTIVE: one of
 * the caller's verifications this minute, and a host the outbound policy (ALLOWED_PROVIDER_HOSTS) lets a
 * connection reach, refused as bad input before any connection.
 */
export class ConnectionCheckGate {
  private limiter: RateLimiter | undefined;

  constructor(private readonly services: ServiceContainer) {}

  async admit(caller: Caller, host: string, field: string): Promise<void> {
    this.limiter ??= createRateLimiter(this.services, { name: 'verify_provider', ...VERIFICATION_LIMIT });
    await consumeOrThrow(this.limiter, callerKey(caller), 'Too many verifications');
    // The transports refuse the host again at connect time: a name may resolve differently by then.
    const refusal = await vetHost(this.services.get(MailerService).outbound, host);
    if (refusal === undefined) return;
    throw new BadUserInputError(
      [{ field, message: refusal.message }],
      'This server does not connect to the provider’s address; see the host field for why and what to do.',
    );
  }
}
