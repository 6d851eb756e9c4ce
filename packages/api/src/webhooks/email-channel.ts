import { MessageValidationError, type Attempt, type SendResult } from '@mail-providers/mailer-core';
import { FAILURE_CATEGORY_LABELS } from '../alerts/alert-text';
import type { ServiceContainer } from '../service-container';
import { MailerService } from '../services/mailer.service';
import { eventText, eventTitle, type OutboundEvent, type WebhookLanguage } from './event-text';

interface EmailWords {
  subject(title: string): string;
  details(type: string, at: string): string;
  delivery(id: string): string;
  provider(id: string): string;
  footer: string;
}

const WORDS: Record<WebhookLanguage, EmailWords> = {
  en: {
    subject: (title) => `Mail Providers: ${title}`,
    details: (type, at) => `Event ${type} at ${at} UTC.`,
    delivery: (id) => `Delivery: ${id}`,
    provider: (id) => `Provider: ${id}`,
    footer:
      'Mail Providers sent this to the addresses of an email notification endpoint (Settings > Notifications).',
  },
  tr: {
    subject: (title) => `Mail Providers: ${title}`,
    details: (type, at) => `${type} olayı, ${at} UTC.`,
    delivery: (id) => `Teslimat: ${id}`,
    provider: (id) => `Sağlayıcı: ${id}`,
    footer:
      'Bu e-postayı Mail Providers, bir e-posta bildirim uç noktasının adreslerine gönderdi (Ayarlar > Bildirimler).',
  },
};

/** The alert email of an event: its title as the subject, its sentence, and where to look it up. */
export function alertEmail(
  event: OutboundEvent,
  language: WebhookLanguage,
): { subject: string; text: string } {
  const words = WORDS[language];
  const lines = [eventText(event, language), ''];
  if (event.type !== 'WEBHOOK_TEST' && event.deliveryId) lines.push(words.delivery(event.deliveryId));
  if (event.type !== 'WEBHOOK_TEST' && event.providerId) lines.push(words.provider(event.providerId));
  lines.push(words.details(event.type, event.occurredAt.toISOString().slice(0, 19).replace('T', ' ')));
  lines.push('', words.footer);
  return { subject: words.subject(eventTitle(event.type, language)), text: `${lines.join('\n')}\n` };
}

/** Why no provider sent it, in words: each provider tried with what went wrong, or that none was left. */
function notSent(result: SendResult, excluded: boolean): string {
  const tried = result.attempts.filter((attempt) => attempt.outcome === 'FAILED');
  if (tried.length > 0) {
    return `No provider could send the alert email: ${tried.map(describeAttempt).join('; ')}.`;
  }
  if (result.attempts.length === 0 && excluded) {
    return 'No provider could send the alert email: no active provider is left besides the one this event is about; email alerts need a second working provider.';
  }
  if (result.attempts.length === 0) {
    return 'No provider could send the alert email: no provider is active.';
  }
  return `No provider could send the alert email: ${result.failure?.message ?? 'every provider was skipped'}`;
}

function describeAttempt(attempt: Attempt): string {
  const category = attempt.failure ? FAILURE_CATEGORY_LABELS.en[attempt.failure.category] : 'failed';
  const message = attempt.failure?.message;
  return `"${attempt.providerName}" ${category}${message ? ` (${message.replace(/\s+/g, ' ').trim()})` : ''}`;
}

/**
 * Sends events as alert emails to a list of addresses, through the live DEFAULT chain without the provider
 * the event is about: an alert that a provider fails must not wait for that provider. When no other
 * provider works, the email cannot arrive; `send` then throws, saying why, and the endpoint's attempt
 * records it.
 */
export class EmailAlertChannel {
  constructor(private readonly services: ServiceContainer) {}

  /** Throws an Error saying in words why, when no provider accepted the email. */
  async send(event: OutboundEvent, addresses: string[], language: WebhookLanguage): Promise<void> {
    if (addresses.length === 0) throw new Error('The alert email has no address to go to.');
    const exclude = event.type !== 'WEBHOOK_TEST' && event.providerId ? [event.providerId] : [];
    const { subject, text } = alertEmail(event, language);
    let result: SendResult;
    try {
      result = await this.services.get(MailerService).mailer.send(
        {
          to: addresses,
          subject,
          text,
          // RFC 3834: an automatic message; vacation responders and list servers leave it alone.
          headers: { 'Auto-Submitted': 'auto-generated' },
        },
        { channel: 'DEFAULT', exclude },
      );
    } catch (error) {
      if (error instanceof MessageValidationError) {
        throw new Error(`The alert email could not be built: ${error.message}`);
      }
      throw error;
    }
    if (!result.ok) throw new Error(notSent(result, exclude.length > 0));
  }
}
