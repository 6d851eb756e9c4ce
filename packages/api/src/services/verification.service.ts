import { ProviderConfigError, type VerifyResult } from '@mail-providers/mailer-core';
import type { ProviderEntity } from '../entities/provider.entity';
import { BadUserInputError } from '../errors';
import type { ProviderInput } from '../resolvers/types/provider.input';
import type { ServiceContainer } from '../service-container';
import { ConnectionCheckGate } from './connection-check-gate';
import { MailerService } from './mailer.service';
import { ProviderService, type Caller } from './provider.service';
import { OAuthConnectionService } from '../oauth/oauth-connection.service';
import { validProviderSettings, type StoredPassword, type ValidateOptions } from './provider-validation';

/**
 * Connection checks: connect and authenticate, send nothing. A saved provider's result is kept on it;
 * settings not saved yet are only checked. Each goes through the {@link ConnectionCheckGate} first.
 */
export class VerificationService {
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
    await this.services.get(ConnectionCheckGate).admit(caller, provider.host, 'provider.host');
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
    let storedAuth: ValidateOptions['storedAuth'];
    let priority = 1;
    if (id !== null) {
      const provider = await this.providers.get(id);
      stored = this.providers.configOf(provider);
      storedAuth = {
        method: provider.authMethod,
        app: await this.services.get(OAuthConnectionService).storedApp(provider.id),
      };
      priority = provider.priority;
    }
    const settings = validProviderSettings(input, { stored, storedAuth });
    if (settings.authMethod === 'oauth2' && id === null) {
      throw new BadUserInputError([
        {
          field: 'input.authMethod',
          message:
            'An OAuth2 provider is verified with its own sign-in: save it, click Connect, then verify it.',
        },
      ]);
    }
    await this.services.get(ConnectionCheckGate).admit(caller, settings.host, 'input.host');
    return this.mailer.verify({ ...settings, id: id ?? 'unsaved-provider', priority });
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
