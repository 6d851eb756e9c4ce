import { randomUUID } from 'node:crypto';
import { vetHost } from '@mail-providers/mailer-core';
import { AuditService } from '../audit/audit.service';
import type { Auth } from '../context';
import type { CursorPage } from '../database/cursor-page';
import { BadUserInputError, NotFoundError, type FieldError } from '../errors';
import { PROVIDER_EVENT_TYPES, type EventType } from '../events/event-types';
import type { Logger } from '../logger';
import { dataSourceExecutor, managerExecutor, type SqlExecutor } from '../queue/sql-executor';
import type { Closable, ServiceContainer, Startable } from '../service-container';
import { DurableSendingService } from '../services/durable-sending.service';
import { MailerService } from '../services/mailer.service';
import { SettingsService } from '../services/settings.service';
import { EmailAlertChannel } from './email-channel';
import type { OutboundEvent } from './event-text';
import { DEFAULT_WEBHOOK_CONFIG, type WebhookConfig } from './webhook-config';
import { WebhookDispatcher } from './webhook-dispatcher';
import type { PostOutcome } from './webhook-http';
import { sendEvent, type SenderDeps } from './webhook-sender';
import { newSigningSecret } from './webhook-signing';
import {
  ALERT_URL_CREATOR,
  attemptsOf,
  deleteEndpoint,
  findEndpoint,
  insertAttempt,
  insertEndpoint,
  lastAttempts,
  listEndpoints,
  openSecret,
  replaceSecret,
  toEndpointView,
  updateEndpoint,
  type EndpointRow,
  type WebhookAttemptView,
  type WebhookEndpointView,
} from './webhook-store';
import { endpointProblems, type EndpointSettings, type WebhookFormat } from './webhook-validation';

/** A new endpoint as the caller describes it; unset fields take their defaults. */
export interface NewEndpoint {
  url: string;
  eventTypes: EventType[];
  description?: string | null;
  format?: WebhookFormat | null;
  enabled?: boolean | null;
  language?: string | null;
}

/** The fields of an endpoint to change; unset ones are kept. */
export type EndpointChange = Partial<NewEndpoint>;

/** An endpoint with its signing secret: returned once, when it is created or its secret is replaced. */
export interface EndpointWithSecret {
  endpoint: WebhookEndpointView;
  signingSecret: string;
}

/** The event types ALERT_WEBHOOK_URL receives: the provider alerts. */
const ALERT_EVENT_TYPES: EventType[] = [...PROVIDER_EVENT_TYPES];

const ENTITY = 'webhookEndpoint';

/**
 * Outbound webhook endpoints: managing them (audited, the signing secret sealed and shown only when made),
 * test sends, the attempts log, and in a process with a delivery worker (MODE worker or all) the
 * dispatcher that sends queued events.
 */
export class WebhookService implements Startable, Closable {
  readonly settings: WebhookConfig;
  private readonly logger: Logger;
  private readonly sql: SqlExecutor;
  private dispatcher: WebhookDispatcher | undefined;

  constructor(private readonly services: ServiceContainer) {
    this.settings = services.config.webhooks ?? DEFAULT_WEBHOOK_CONFIG;
    this.logger = services.logger.child({ component: 'webhooks' });
    this.sql = dataSourceExecutor(services.dataSource);
  }

  async start(): Promise<void> {
    await this.ensureAlertEndpoint();
    if (this.services.config.mode === 'api') return;
    const durable = this.services.get(DurableSendingService);
    const dispatcher = new WebhookDispatcher({
      dataSource: this.services.dataSource,
      logger: this.logger,
      settings: { ...this.settings, pollIntervalMs: durable.settings.pollIntervalMs },
      mailInFlight: () => durable.mailInFlight(),
      send: (message) => this.send(message.endpoint, message.event, message.event.id),
      onDisabled: (endpoint) =>
        durable.alerts.webhookEndpointDisabled({ id: endpoint.id, name: endpointName(endpoint) }),
      retentionDays: () => this.services.get(SettingsService).deliveryRetentionDays(),
    });
    this.dispatcher = dispatcher;
    durable.onWebhookQueued(() => dispatcher.notify());
    durable.onMailIdle(() => dispatcher.mailDone());
    dispatcher.start();
  }

  async close(): Promise<void> {
    await this.dispatcher?.stop();
    this.dispatcher = undefined;
  }

  /** Looks for due messages now, in this process (no-op without a dispatcher). */
  wake(): void {
    this.dispatcher?.notify();
  }

  async list(): Promise<WebhookEndpointView[]> {
    return (await listEndpoints(this.sql)).map(toEndpointView);
  }

  /** The newest attempt of each endpoint, for `lastDelivery`. */
  lastDeliveries(endpointIds: readonly string[]): Promise<Map<string, WebhookAttemptView>> {
    return lastAttempts(this.sql, endpointIds);
  }

  /** Attempts to one endpoint, newest first. */
  async deliveries(
    endpointId: string,
    first: number,
    after: string | null,
  ): Promise<CursorPage<WebhookAttemptView>> {
    await this.row(endpointId);
    return attemptsOf(this.sql, endpointId, first, after);
  }

  async create(auth: Auth, input: NewEndpoint): Promise<EndpointWithSecret> {
    const settings: EndpointSettings = {
      url: input.url.trim(),
      eventTypes: [...new Set(input.eventTypes)],
      description: emptyAsNull(input.description),
      format: input.format ?? 'STANDARD',
      enabled: input.enabled ?? true,
      language: input.language ?? 'en',
    };
    await this.check(settings);
    const secret = newSigningSecret();
    const row = await this.services.dataSource.transaction(async (manager) => {
      const created = await insertEndpoint(
        managerExecutor(manager),
        this.services.secretBox,
        settings,
        secret,
        createdByOf(auth),
      );
      if (!created) throw new Error('The endpoint was not saved.');
      await this.services.get(AuditService).record(
        {
          actor: auth,
          action: 'webhook.create',
          entityType: ENTITY,
          entityId: created.id,
          fields: fieldsOf(input),
        },
        manager,
      );
      return created;
    });
    return { endpoint: toEndpointView(row), signingSecret: secret };
  }

  async update(auth: Auth, id: string, change: EndpointChange): Promise<WebhookEndpointView> {
    const current = await this.row(id);
    const settings: EndpointSettings = {
      url: change.url?.trim() ?? current.url,
      eventTypes: change.eventTypes ? [...new Set(change.eventTypes)] : current.event_types,
      description: change.description === undefined ? current.description : emptyAsNull(change.description),
      format: change.format ?? current.format,
      enabled: change.enabled ?? current.enabled,
      language: change.language ?? current.language,
    };
    await this.check(settings);
    const row = await this.services.dataSource.transaction(async (manager) => {
      const updated = await updateEndpoint(managerExecutor(manager), id, settings);
      if (!updated) throw new NotFoundError('No webhook endpoint has this id; reload the list.');
      await this.services.get(AuditService).record(
        {
          actor: auth,
          action: 'webhook.update',
          entityType: ENTITY,
          entityId: id,
          fields: fieldsOf(change),
        },
        manager,
      );
      return updated;
    });
    // Enabled again by hand: a WEBHOOK_DISABLED alert about it is over.
    if (settings.enabled && !current.enabled)
      this.services.get(DurableSendingService).alerts.webhookEndpointRestored(id);
    return toEndpointView(row);
  }

  async remove(auth: Auth, id: string): Promise<boolean> {
    const deleted = await this.services.dataSource.transaction(async (manager) => {
      const removed = await deleteEndpoint(managerExecutor(manager), id);
      if (!removed) throw new NotFoundError('No webhook endpoint has this id; reload the list.');
      await this.services
        .get(AuditService)
        .record(
          { actor: auth, action: 'webhook.delete', entityType: ENTITY, entityId: id, fields: [] },
          manager,
        );
      return true;
    });
    // A deleted endpoint's WEBHOOK_DISABLED alert is over.
    this.services.get(DurableSendingService).alerts.webhookEndpointRestored(id);
    return deleted;
  }

  /** A new signing secret; the old one stops working at once. */
  async rotateSecret(auth: Auth, id: string): Promise<EndpointWithSecret> {
    await this.row(id);
    const secret = newSigningSecret();
    const row = await this.services.dataSource.transaction(async (manager) => {
      const updated = await replaceSecret(managerExecutor(manager), this.services.secretBox, id, secret);
      if (!updated) throw new NotFoundError('No webhook endpoint has this id; reload the list.');
      await this.services.get(AuditService).record(
        {
          actor: auth,
          action: 'webhook.rotateSecret',
          entityType: ENTITY,
          entityId: id,
          fields: ['signingSecret'],
        },
        manager,
      );
      return updated;
    });
    return { endpoint: toEndpointView(row), signingSecret: secret };
  }

  /**
   * Sends a WEBHOOK_TEST event now (enabled or not) and records the attempt. It does not count toward the
   * endpoint's failing time: a test proves the receiver, it does not end or start an outage.
   */
  async sendTest(id: string): Promise<WebhookAttemptView> {
    const endpoint = await this.row(id);
    const event: OutboundEvent = { id: randomUUID(), type: 'WEBHOOK_TEST', occurredAt: new Date() };
    const outcome = await this.send(endpoint, event, event.id);
    return insertAttempt(this.sql, {
      messageId: null,
      endpointId: endpoint.id,
      eventId: null,
      eventType: event.type,
      attempt: 1,
      ok: outcome.ok,
      durationMs: outcome.durationMs,
      responseStatus: outcome.status,
      responseBody: outcome.body,
      error: outcome.error,
      nextAttemptAt: null,
    });
  }

  private async send(endpoint: EndpointRow, event: OutboundEvent, webhookId: string): Promise<PostOutcome> {
    const deps: SenderDeps = {
      policy: () => this.services.get(MailerService).outbound,
      timeoutMs: this.settings.timeoutMs,
      email: (outbound, addresses, language) =>
        this.services.get(EmailAlertChannel).send(outbound, addresses, language),
    };
    try {
      return await sendEvent(
        {
          url: endpoint.url,
          format: endpoint.format,
          language: endpoint.language,
          secret: () => openSecret(this.services.secretBox, endpoint),
        },
        event,
        webhookId,
        deps,
      );
    } catch (error) {
      // The secret could not be opened (a key missing from MAILER_SECRET_KEY*): nothing was sent.
      return {
        ok: false,
        status: null,
        body: null,
        error: `Not sent: ${error instanceof Error ? error.message : String(error)}`,
        durationMs: 0,
      };
    }
  }

  /**
   * ALERT_WEBHOOK_URL is an endpoint for the provider events, created at start if it is missing; every
   * process may try, the unique index keeps one. Changes made to it in the panel are kept.
   */
  private async ensureAlertEndpoint(): Promise<void> {
    const url = this.services.config.durable?.alertWebhookUrl;
    if (!url) return;
    await this.services.dataSource.transaction(async (manager) => {
      const created = await insertEndpoint(
        managerExecutor(manager),
        this.services.secretBox,
        {
          url,
          eventTypes: ALERT_EVENT_TYPES,
          description: 'ALERT_WEBHOOK_URL',
          format: 'STANDARD',
          enabled: true,
          language: 'en',
        },
        newSigningSecret(),
        ALERT_URL_CREATOR,
      );
      if (!created) return;
      await this.services.get(AuditService).record(
        {
          actor: { kind: 'system' },
          action: 'webhook.create',
          entityType: ENTITY,
          entityId: created.id,
          fields: ['url', 'eventTypes'],
        },
        manager,
      );
      this.logger.info({ endpointId: created.id }, 'ALERT_WEBHOOK_URL was added as a webhook endpoint');
    });
  }

  private async row(id: string): Promise<EndpointRow> {
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await findEndpoint(this.sql, id) : undefined;
    if (!row) throw new NotFoundError('No webhook endpoint has this id; reload the list.');
    return row;
  }

  /** Refuses bad settings, and URLs the outbound policy does not let this server reach, naming each field. */
  private async check(settings: EndpointSettings): Promise<void> {
    const problems: FieldError[] = endpointProblems(settings);
    if (problems.length === 0 && settings.format !== 'EMAIL') {
      const refusal = await vetHost(
        this.services.get(MailerService).outbound,
        new URL(settings.url).hostname,
      );
      if (refusal) problems.push({ field: 'input.url', message: refusal.message });
    }
    if (problems.length > 0) {
      throw new BadUserInputError(
        problems,
        'The webhook endpoint is not valid; see the fields listed for what to change.',
      );
    }
  }
}

/** How alerts name an endpoint: its description, else its URL's host (the path of a Slack URL is a secret). */
function endpointName(endpoint: EndpointRow): string {
  if (endpoint.description) return endpoint.description;
  if (endpoint.format === 'EMAIL') return endpoint.url;
  try {
    return new URL(endpoint.url).host;
  } catch {
    return endpoint.id;
  }
}

function emptyAsNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function createdByOf(auth: Auth): string | null {
  if (auth.kind === 'session') return auth.user.email;
  if (auth.kind === 'token') return `token:${auth.token.name}`;
  return null;
}

/** The names of the fields the caller set, for the audit log. */
function fieldsOf(input: EndpointChange): string[] {
  return Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .map(([name]) => name);
}
