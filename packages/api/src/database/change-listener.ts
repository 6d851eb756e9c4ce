import { Client } from 'pg';
import type { Logger } from '../logger';
import type { SqlExecutor } from '../queue/sql-executor';

/** The PostgreSQL channel on which an accepting process tells worker processes that mail is waiting. */
export const QUEUED_CHANNEL = 'mail_delivery_queued';

/** The SQL expression that announces enqueued jobs, for a statement that enqueues them itself. */
export const QUEUED_NOTIFICATION = `pg_notify('${QUEUED_CHANNEL}', '')`;

/** The channel on which a process that changed a provider tells the others to read the providers again. */
export const PROVIDERS_CHANGED_CHANNEL = 'mail_providers_changed';

/** The SQL expression that announces a provider change, for the transaction that makes it. */
export const PROVIDERS_CHANGED_NOTIFICATION = `pg_notify('${PROVIDERS_CHANGED_CHANNEL}', '')`;

/** The channel on which the events trigger says that webhook messages were queued (see the webhook migration). */
export const WEBHOOK_QUEUED_CHANNEL = 'mail_webhook_queued';

/**
 * What a {@link ChangeListener} calls: for a provider changed by any process (every server), and for new
 * mail (a server with a worker; without `onQueued` it does not listen for mail).
 */
export interface ChangeHandlers {
  onProvidersChanged: () => void;
  onQueued?: () => void;
  /** Webhook messages were queued (a server with a worker sends them). */
  onWebhookQueued?: () => void;
}

/** First wait before listening again after the connection broke; doubles up to the maximum. */
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 10_000;

/**
 * Tells the worker processes listening on {@link QUEUED_CHANNEL} that jobs were enqueued. Run it inside the
 * transaction that enqueues: PostgreSQL delivers the notification at commit (never for a rollback), and
 * one transaction's repeats arrive as one.
 */
export async function announceQueued(sql: SqlExecutor): Promise<void> {
  await sql.executeSql(`SELECT ${QUEUED_NOTIFICATION}`);
}

/**
 * Listens over a connection of its own on {@link QUEUED_CHANNEL}, so a worker in another process (or
 * thread) than the API starts on new mail at once instead of at its next poll, and on
 * {@link PROVIDERS_CHANGED_CHANNEL}, so a server uses a provider as it is the moment it is added, changed or
 * removed in any process, instead of once its cached list is old. Each handler is also called once each
 * time listening starts, for what happened while nobody listened. When the connection breaks it reconnects
 * with backoff; polling and the cache's age cover the gap.
 */
export class ChangeListener {
  private client: Client | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private nextWaitMs = RECONNECT_FIRST_MS;

  private constructor(
    private readonly connectionString: string,
    private readonly handlers: ChangeHandlers,
    private readonly logger: Logger,
  ) {}

  /** Starts listening; resolves once the first attempt to listen succeeded or failed (then retried). */
  static async start(
    connectionString: string,
    handlers: ChangeHandlers,
    logger: Logger,
  ): Promise<ChangeListener> {
    const listener = new ChangeListener(connectionString, handlers, logger);
    await listener.listen();
    return listener;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const client = new Client({
      connectionString: this.connectionString,
      application_name: 'mail-providers-listener',
    });
    const { onQueued, onProvidersChanged, onWebhookQueued } = this.handlers;
    client.on('notification', (message) => {
      if (message.channel === QUEUED_CHANNEL) onQueued?.();
      else if (message.channel === PROVIDERS_CHANGED_CHANNEL) onProvidersChanged();
      else if (message.channel === WEBHOOK_QUEUED_CHANNEL) onWebhookQueued?.();
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(
        `LISTEN ${PROVIDERS_CHANGED_CHANNEL};${onQueued ? ` LISTEN ${QUEUED_CHANNEL};` : ''}${
          onWebhookQueued ? ` LISTEN ${WEBHOOK_QUEUED_CHANNEL};` : ''
        }`,
      );
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.nextWaitMs = RECONNECT_FIRST_MS;
    // What changed while nobody listened: providers are read again, and mail is looked for.
    onProvidersChanged();
    onQueued?.();
    onWebhookQueued?.();
  }

  private lost(client: Client, error?: unknown): void {
    if (this.stopped || (this.client !== null && this.client !== client)) return;
    this.client = null;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (this.retryTimer) return;
    this.logger.warn(
      { err: error, retryInMs: this.nextWaitMs },
      'listening for new mail and provider changes stopped; reconnecting (a worker polls meanwhile)',
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) void this.listen();
    }, this.nextWaitMs);
    this.retryTimer.unref();
    this.nextWaitMs = Math.min(this.nextWaitMs * 2, RECONNECT_MAX_MS);
  }
}
