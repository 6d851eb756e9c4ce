import type { OutboundPolicy } from '@mail-providers/mailer-core';
import type { OutboundEvent, WebhookLanguage } from './event-text';
import { postJson, type PostOutcome } from './webhook-http';
import { signatureHeaders } from './webhook-signing';
import { slackMessage } from './slack-format';
import { mailtoAddresses, type WebhookFormat } from './webhook-validation';

/** What a send needs to know of its endpoint. */
export interface SendTarget {
  url: string;
  format: WebhookFormat;
  language: string;
  /** Opens the endpoint's signing secret (only STANDARD sends sign). */
  secret: () => string;
}

export interface SenderDeps {
  policy: () => OutboundPolicy;
  timeoutMs: number;
  /** Sends an event by email through the provider chain; throws an Error saying why it could not. */
  email: (event: OutboundEvent, addresses: string[], language: WebhookLanguage) => Promise<void>;
}

/**
 * The JSON a STANDARD endpoint receives: the event type, when it happened, and the event (its id, the
 * delivery or provider it is about, and its payload).
 */
export function standardBody(event: OutboundEvent): string {
  const data =
    'seq' in event
      ? {
          id: event.id,
          type: event.type,
          occurredAt: event.occurredAt.toISOString(),
          deliveryId: event.deliveryId,
          recipient: event.recipient,
          providerId: event.providerId,
          ...event.payload,
        }
      : {
          id: event.id,
          type: event.type,
          occurredAt: event.occurredAt.toISOString(),
          deliveryId: null,
          recipient: null,
          providerId: null,
        };
  return JSON.stringify({ type: event.type, timestamp: event.occurredAt.toISOString(), data });
}

function languageOf(value: string): WebhookLanguage {
  return value === 'tr' ? 'tr' : 'en';
}

/**
 * Sends one event to one endpoint in its format: signed JSON (STANDARD, `webhookId` stays the same across
 * retries), a short message for Slack or Mattermost (SLACK), or an email to the `mailto:` addresses
 * (EMAIL). Never throws: a failure is an outcome with its reason.
 */
export async function sendEvent(
  target: SendTarget,
  event: OutboundEvent,
  webhookId: string,
  deps: SenderDeps,
): Promise<PostOutcome> {
  const language = languageOf(target.language);
  if (target.format === 'EMAIL') {
    const started = Date.now();
    try {
      await deps.email(event, mailtoAddresses(target.url), language);
      return { ok: true, status: null, body: null, error: null, durationMs: Date.now() - started };
    } catch (error) {
      return {
        ok: false,
        status: null,
        body: null,
        error: error instanceof Error ? error.message : String(error),
        durationMs: Date.now() - started,
      };
    }
  }
  const options = { policy: deps.policy(), timeoutMs: deps.timeoutMs };
  if (target.format === 'SLACK') {
    return postJson(target.url, JSON.stringify(slackMessage(event, language)), {}, options);
  }
  const body = standardBody(event);
  const headers = signatureHeaders(target.secret(), webhookId, body, new Date());
  return postJson(target.url, body, { ...headers }, options);
}
