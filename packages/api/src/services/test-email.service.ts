import {
  MessageValidationError,
  ProviderConfigError,
  type Channel,
  type SendResult,
} from '@mail-providers/mailer-core';
import { isAddrSpec } from '@mail-providers/mailer-core/rules';
import { hasPermission } from '../auth/auth-checker';
import { BadUserInputError, ForbiddenError } from '../errors';
import { consumeOrThrow, createRateLimiter, type RateLimiter } from '../rate-limit';
import type { ServiceContainer } from '../service-container';
import { callerKey } from './caller-key';
import { MailerService } from './mailer.service';
import { ProviderService, type Caller } from './provider.service';
import type { TestEmailRecord } from './provider-records';
import { buildTestEmail } from './test-email-message';
import { SuppressionService, type SuppressionView } from '../suppressions/suppression.service';

/** Test emails one caller may send per window: enough to debug a setup, too few to relay spam. */
export const TEST_EMAIL_LIMIT = { points: 10, windowSeconds: 60 } as const;

/**
 * Test emails: through one provider alone, the result kept on it, or through the live chain of a
 * channel with every attempt returned, which is how an operator proves the fallback works; each provider
 * the chain tried keeps its part (see {@link perProvider}).
 */
export class TestEmailService {
  private limiter: RateLimiter | undefined;

  constructor(private readonly services: ServiceContainer) {}

  private get providers(): ProviderService {
    return this.services.get(ProviderService);
  }

  private get mailer(): MailerService {
    return this.services.get(MailerService);
  }

  async send(
    request: { to: string; providerId: string | null; channel: Channel },
    caller: Caller,
  ): Promise<TestEmailRecord> {
    // One provider, active or not, is tested while managing providers; senders only reach the live chain.
    if (request.providerId !== null && !hasPermission(caller.auth, 'MANAGE')) {
      throw new ForbiddenError(
        'A test email through one provider needs the MANAGE scope; leave out providerId to test the chain.',
      );
    }
    const to = request.to.trim();
    // The shared address check, whose length limit is the forward path's (254).
    if (!isAddrSpec(to)) {
      throw new BadUserInputError([
        { field: 'to', message: 'Enter one recipient as a plain address such as you@example.com.' },
      ]);
    }
    await this.refuseSuppressed(to, request.channel);
    const provider = request.providerId === null ? null : await this.providers.get(request.providerId);
    await consumeOrThrow(this.rateLimiter(), callerKey(caller), 'Too many test emails');

    const sentAt = new Date();
    try {
      if (provider) {
        const message = buildTestEmail({
          to,
          sentAt,
          locale: caller.locale,
          route: {
            kind: 'provider',
            name: provider.name,
            type: provider.type.toUpperCase(),
            host: provider.host,
            port: provider.port,
          },
        });
        await this.mailer.ensureKnown(provider.id);
        const result = await this.mailer.mailer.sendVia(provider.id, message);
        const record = toRecord(result, sentAt, { providerId: provider.id, channel: null });
        await this.providers.recordTestEmail(provider.id, record, caller);
        return record;
      }
      const chain = await this.mailer.mailer.chain(request.channel);
      const message = buildTestEmail({
        to,
        sentAt,
        locale: caller.locale,
        route: { kind: 'chain', channel: request.channel, providerNames: chain.map((p) => p.name) },
      });
      const result = await this.mailer.mailer.send(message, { channel: request.channel });
      const record = toRecord(result, sentAt, { providerId: null, channel: request.channel });
      await this.providers.recordTestEmails(perProvider(record), caller);
      return record;
    } catch (error) {
      if (error instanceof MessageValidationError) {
        throw new BadUserInputError([{ field: 'to', message: error.message }]);
      }
      if (error instanceof ProviderConfigError) {
        throw new BadUserInputError(
          error.issues.map((issue) => ({ field: `provider.${issue.field}`, message: issue.message })),
          'A provider’s saved settings break a rule; edit it, correct the fields listed and try again.',
        );
      }
      throw error;
    }
  }

  /**
   * A test to a suppressed address would prove nothing (real mail to it is dropped) and, after a hard bounce
   * or a complaint, harms the sender's reputation: it is refused with why and how to lift it.
   */
  private async refuseSuppressed(to: string, channel: Channel): Promise<void> {
    const [entry] = await this.services.get(SuppressionService).blocking(to, channel);
    if (!entry) return;
    const scope = entry.scope === 'ALL' ? 'for all mail' : `for ${entry.scope} mail`;
    throw new BadUserInputError([
      {
        field: 'to',
        message: `${entry.email} is on the suppression list ${scope} since ${entry.createdAt.toISOString()} (${suppressionWhy(entry)}). Remove it on the Suppression list page or with removeSuppression, then send the test again.`,
      },
    ]);
  }

  private rateLimiter(): RateLimiter {
    this.limiter ??= createRateLimiter(this.services, { name: 'test_email', ...TEST_EMAIL_LIMIT });
    return this.limiter;
  }
}

/** Why an entry is on the list, in words. */
function suppressionWhy(entry: SuppressionView): string {
  const reason = entry.reason ? `: ${entry.reason}` : '';
  switch (entry.source) {
    case 'HARD_BOUNCE':
      return `a hard bounce${reason}`;
    case 'COMPLAINT':
      return `a spam complaint${reason}`;
    case 'MANUAL':
      return `added by hand${entry.createdBy ? ` by ${entry.createdBy}` : ''}${reason}`;
    case 'IMPORT':
      return `imported${reason}`;
  }
}

/**
 * What a chain test says about each provider it tried: the one that delivered passed (the whole walk kept
 * on it), each that failed has its own attempt as a failed test. Skipped providers were not tested.
 */
export function perProvider(record: TestEmailRecord): Array<{ providerId: string; record: TestEmailRecord }> {
  return record.attempts.flatMap((attempt) => {
    if (attempt.outcome === 'SENT' && attempt.providerId === record.deliveredBy) {
      return [{ providerId: attempt.providerId, record }];
    }
    if (attempt.outcome !== 'FAILED') return [];
    const failed: TestEmailRecord = {
      ...record,
      ok: false,
      deliveredBy: null,
      messageId: null,
      attempts: [attempt],
      failure: attempt.failure ?? null,
    };
    return [{ providerId: attempt.providerId, record: failed }];
  });
}

function toRecord(
  result: SendResult,
  sentAt: Date,
  route: { providerId: string | null; channel: Channel | null },
): TestEmailRecord {
  return {
    ok: result.ok,
    providerId: route.providerId,
    channel: route.channel,
    deliveredBy: result.deliveredBy ?? null,
    messageId: result.messageId,
    attempts: result.attempts,
    failure: result.ok ? null : (result.failure ?? null),
    sentAt,
  };
}
