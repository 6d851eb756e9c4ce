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

/**
 * The channel on which a process that revoked an API token tells the others to forget it. The payload is
 * the token's id, or {@link EVERY_CREDENTIAL}.
 */
export const CREDENTIALS_REVOKED_CHANNEL = 'mail_providers_credentials_revoked';

/** The payload that stands for every credential (the listener may have missed some revocations). */
export const EVERY_CREDENTIAL = 'all';

/**
 * The channels a {@link ChangeListener} can listen on, with what it calls for each: a provider changed by
 * any process (every server), new mail (a server with a worker), an API token revoked by any process (a
 * process that remembers tokens it looked up).
 */
interface ChannelHandlers {
  onProvidersChanged: () => void;
  onQueued: () => void;
  /** Called with a token id, or with {@link EVERY_CREDENTIAL} when listening starts or stops. */
  onCredentialsRevoked: (revoked: string) => void;
}

/**
 * Some of the handlers, at least one: a listener listens on the channels it has a handler for, so its
 * LISTEN statement can never be empty.
 */
export type ChangeHandlers = {
  [Name in keyof ChannelHandlers]: Pick<ChannelHandlers, Name> & Partial<ChannelHandlers>;
}[keyof ChannelHandlers];

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
 * Tells every process that the API token `id` (or {@link EVERY_CREDENTIAL}) is revoked. Run it inside the
 * transaction that revokes: PostgreSQL delivers the notification at commit, before the caller can answer.
 */
export async function announceCredentialsRevoked(
  sql: { query(text: string, parameters: unknown[]): Promise<unknown> },
  id: string,
): Promise<void> {
  await sql.query('SELECT pg_notify($1, $2)', [CREDENTIALS_REVOKED_CHANNEL, id]);
}

/**
 * Listens over a connection of its own on {@link QUEUED_CHANNEL}, so a worker in another process (or
 * thread) than the API starts on new mail at once instead of at its next poll, and on
 * {@link PROVIDERS_CHANGED_CHANNEL}, so a server uses a provider as it is the moment it is added, changed or
 * removed in any process, instead of once its cached list is old, and on
 * {@link CREDENTIALS_REVOKED_CHANNEL}, so a process forgets a revoked API token the moment any process
 * revokes it. It listens only on the channels it has a handler for. Each handler is also called once each
 * time listening starts, for what happened while nobody listened (and the credentials handler once more
 * when listening stops: nothing said from then on is heard). When the connection breaks it reconnects with
 * backoff; polling, the cache's age and `listening` cover the gap.
 */
export class ChangeListener {
  private client: Client | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private nextWaitMs = RECONNECT_FIRST_MS;

  private readonly channels: string[];

  private constructor(
    private readonly connectionString: string,
    private readonly handlers: ChangeHandlers,
    private readonly logger: Logger,
    private readonly applicationName: string,
  ) {
    this.channels = [
      ...(handlers.onProvidersChanged ? [PROVIDERS_CHANGED_CHANNEL] : []),
      ...(handlers.onQueued ? [QUEUED_CHANNEL] : []),
      ...(handlers.onCredentialsRevoked ? [CREDENTIALS_REVOKED_CHANNEL] : []),
    ];
  }

  /**
   * Starts listening; resolves once the first attempt to listen succeeded or failed (then retried).
   * `applicationName` names the connection in pg_stat_activity.
   */
  static async start(
    connectionString: string,
    handlers: ChangeHandlers,
    logger: Logger,
    applicationName = 'mail-providers-listener',
  ): Promise<ChangeListener> {
    const listener = new ChangeListener(connectionString, handlers, logger, applicationName);
    await listener.listen();
    return listener;
  }

  /** True while the connection is up and listening: everything announced meanwhile reaches the handlers. */
  get listening(): boolean {
    return this.client !== null;
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
      application_name: this.applicationName,
    });
    const { onQueued, onProvidersChanged, onCredentialsRevoked } = this.handlers;
    client.on('notification', (message) => {
      if (message.channel === QUEUED_CHANNEL) onQueued?.();
      else if (message.channel === PROVIDERS_CHANGED_CHANNEL) onProvidersChanged?.();
      else if (message.channel === CREDENTIALS_REVOKED_CHANNEL)
        onCredentialsRevoked?.(message.payload || EVERY_CREDENTIAL);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(this.channels.map((channel) => `LISTEN ${channel};`).join(' '));
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
    // What changed while nobody listened: providers are read again, mail is looked for, and every
    // remembered token is forgotten.
    onProvidersChanged?.();
    onQueued?.();
    onCredentialsRevoked?.(EVERY_CREDENTIAL);
  }

  private lost(client: Client, error?: unknown): void {
    if (this.stopped || (this.client !== null && this.client !== client)) return;
    const wasListening = this.client === client;
    this.client = null;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    // Revocations announced from now on go unheard until listening starts again.
    if (wasListening) this.handlers.onCredentialsRevoked?.(EVERY_CREDENTIAL);
    if (this.retryTimer) return;
    this.logger.warn(
      { err: error, retryInMs: this.nextWaitMs, channels: this.channels },
      'listening for changes made by other processes stopped; reconnecting (meanwhile a worker polls, and API tokens are looked up on every request)',
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) void this.listen();
    }, this.nextWaitMs);
    this.retryTimer.unref();
    this.nextWaitMs = Math.min(this.nextWaitMs * 2, RECONNECT_MAX_MS);
  }
}
