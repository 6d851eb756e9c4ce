import type { ServiceClass, Startable } from '../service-container';
import { OAuthHealthCheckService } from '../oauth/oauth-health-check.service';
import { WebhookService } from '../webhooks/webhook.service';
import { DurableSendingService } from './durable-sending.service';

/**
 * Services started when the server boots (after migrations), in this order, and closed at
 * shutdown in reverse. Services that need no start are created on first use instead.
 * Append new entries at the end; do not reorder.
 */
export const startupServices: Array<ServiceClass<Startable>> = [
  DurableSendingService,
  OAuthHealthCheckService,
  WebhookService,
];
