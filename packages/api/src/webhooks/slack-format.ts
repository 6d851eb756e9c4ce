import { eventText, eventTitle, type OutboundEvent, type WebhookLanguage } from './event-text';

/** What the details line calls a delivery and a provider. */
const LABELS: Record<WebhookLanguage, { delivery: string; provider: string }> = {
  en: { delivery: 'delivery', provider: 'provider' },
  tr: { delivery: 'teslimat', provider: 'sağlayıcı' },
};

/**
 * Slack's mrkdwn (and Mattermost's Markdown) read `&`, `<` and `>` as markup: `<url|text>` links and
 * `<!channel>` mentions. Escaped, a recipient or a vendor's words are shown as written and cannot ping
 * anyone.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** "delivery `…` · event `DELIVERY_BOUNCED` · 2026-12-07 18:04:05 UTC": where to look it up. */
export function detailLine(event: OutboundEvent, language: WebhookLanguage): string {
  const labels = LABELS[language];
  const parts: string[] = [];
  if (event.type !== 'WEBHOOK_TEST') {
    if (event.deliveryId) parts.push(`${labels.delivery} \`${event.deliveryId}\``);
    else if (event.providerId) parts.push(`${labels.provider} \`${event.providerId}\``);
  }
  parts.push(`\`${event.type}\``);
  parts.push(`${event.occurredAt.toISOString().slice(0, 19).replace('T', ' ')} UTC`);
  return parts.join(' · ');
}

/**
 * The body of a Slack or Mattermost incoming webhook: the event's title in bold, its sentence, and a
 * details line (the delivery or provider id, the event type and the time) for finding it in the panel.
 */
export function slackMessage(event: OutboundEvent, language: WebhookLanguage): { text: string } {
  const title = escapeMrkdwn(eventTitle(event.type, language));
  const sentence = escapeMrkdwn(eventText(event, language));
  return { text: `*${title}*: ${sentence}\n${escapeMrkdwn(detailLine(event, language))}` };
}
