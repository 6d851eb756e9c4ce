// Placeholder for the interface another branch implements; replaced when the branches are joined.
import type { ServiceContainer } from '../service-container';
import type { OutboundEvent, WebhookLanguage } from './event-text';

export class EmailAlertChannel {
  constructor(private readonly services: ServiceContainer) {}

  send(_event: OutboundEvent, _addresses: string[], _language: WebhookLanguage): Promise<void> {
    return Promise.reject(new Error('Email alerts are not available in this build.'));
  }
}
