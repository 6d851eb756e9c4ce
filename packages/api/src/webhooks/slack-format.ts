// Placeholder for the interface another branch implements; replaced when the branches are joined.
import { eventText, type OutboundEvent, type WebhookLanguage } from './event-text';

export function slackMessage(event: OutboundEvent, language: WebhookLanguage): { text: string } {
  return { text: eventText(event, language) };
}
