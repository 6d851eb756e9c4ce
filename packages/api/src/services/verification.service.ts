import { ProviderConfigError, vetHost, type VerifyResult } from '@mail-providers/mailer-core';
import type { ProviderEntity } from '../entities/provider.entity';
import { BadUserInputError } from '../errors';
import { consumeOrThrow, createRateLimiter, type RateLimiter } from '../rate-limit';
import type { ProviderInput } from '../resolvers/types/provider.input';
import type { ServiceContainer } from '../service-container';
import { callerKey } from './caller-key';
import { MailerService } from './mailer.service';
import { ProviderService, type Caller } from './provider.service';
import { validProviderSettings, type StoredPassword } from './provider-validation';

/**
 * Verifications one caller may start per window: plenty for setting providers up, too few to sweep a
 * network's hosts and ports through the server.
 */
export const VERIFICATION_LIMIT = { points: 60, windowSeconds: 60 } as const;

/**
 * Connection checks (SPEC §2 "Verification"): connect and authenticate, send nothing. A saved provider's
 * result is kept on it; settings not saved yet are only checked. Each caller may start a limited number per
 * minute, and a host the outbound policy refuses (ALLOWED_PROVIDER_HOSTS) is answered as bad input, before
 * any connection.
 */
export class VerificationService {
  private limiter: RateLimiter | undefined;

  constructor(private readonly services: ServiceContainer) {}

  private get providers(): ProviderService {
    return this.services.get(ProviderService);
  }

  private get mailer(): MailerService {
    return this.services.get(MailerService);
  }

  /** Verifies a saved provider's current settings and keeps the result (and `verifiedAt` when it passed). */
  async verifyProvider(
    id: string,
    caller: Caller,
  ): Promise<{ result: VerifyResult; provider: ProviderEntity }> {
    const provider = await this.providers.get(id);
    await consumeOrThrow(this.rateLimiter(), callerKey(caller), 'Too many verifications');
    await this.assertReachable(provider.host, 'provider.host');
    const result = await this.verifyStored(provider);
    const updated = await this.providers.recordVerification(provider, result, caller);
    return { result, provider: updated };
  }

  /**
   * Verifies settings before they are saved. With `id`, the input may leave the password out to use the
   * one stored for that provider (the Edit form never shows it), as long as the input keeps the type,
   * vendor, host, port, username and encryption it was stored for: the stored secret goes nowhere else.
   */
  async verifySettings(input: ProviderInput, id: string | null, caller: Caller): Promise<VerifyResult> {
    let stored: StoredPassword | undefined;
    let priority = 1;
    if (id !== null) {
      const provider = await this.providers.get(id);
      stored = this.providers.configOf(provider);
      priority = provider.priority;
    }
    const settings = validProviderSettings(input, { stored });
    await consumeOrThrow(this.rateLimiter(), callerKey(caller), 'Too many verifications');
    await this.assertReachable(settings.host, 'input.host');
    return this.mailer.verify({ ...settings, id: id ?? 'unsaved-provider', priority });
  }

  /**
   * Refuses, as bad input the operator can act on, a host the outbound policy would not let any connection
   * reach. The transports refuse it again at connect time (a name may resolve differently by then).
   */
  private async assertReachable(host: string, field: string): Promise<void> {
    const refusal = await vetHost(this.mailer.outbound, host);
    if (refusal === undefined) return;
    throw new BadUserInputError(
      [{ field, message: refusal.message }],
      'This server does not connect to the provider’s address; see the host field for why and what to do.',
    );
  }

  private rateLimiter(): RateLimiter {
    this.limiter ??= createRateLimiter(this.services, { name: 'verify_provider', ...VERIFICATION_LIMIT });
    return this.limiter;
  }

  private async verifyStored(provider: ProviderEntity): Promise<VerifyResult> {
    try {
      return await this.mailer.verify(this.providers.configOf(provider));
    } catch (error) {
      // Settings saved before a rule existed can break it now; say which, so the operator edits them.
      if (error instanceof ProviderConfigError) {
        throw new BadUserInputError(
          error.issues.map((issue) => ({ field: `provider.${issue.field}`, message: issue.message })),
          'This provider’s saved settings break a rule; edit the provider, correct the fields listed and verify again.',
        );
      }
      throw error;
    }
  }
}
