import {
  createMailer,
  createOutboundPolicy,
  describeHealth,
  initialHealthRecord,
  parseAllowList,
  transportFactoryWith,
  type HealthStore,
  type Mailer,
  type OutboundPolicy,
  type ProviderConfig,
  type ProviderHealth,
  type VerifyResult,
} from '@mail-providers/mailer-core';
import { sendsNoPassword } from '@mail-providers/mailer-core/rules';
import { ProviderEntity } from '../entities/provider.entity';
import type { Logger } from '../logger';
import type { SecretBox } from '../secrets/secret-box';
import type { Closable, ServiceContainer } from '../service-container';
import { authMethodOfEntity } from '../oauth/auth-method';
import { OAuthConnectionService } from '../oauth/oauth-connection.service';
import { PgOAuth2TokenSource } from '../oauth/pg-token-source';
import { DurableSendingService } from './durable-sending.service';
import { HealthStoreService } from './health-store.service';

/** How long the providers read for sending may be reused before the table is read again. */
const PROVIDER_CACHE_MS = 1_000;

/** The AES-GCM context a provider's password is sealed with: a ciphertext opens only in its own row. */
export function passwordContext(providerId: string): string {
  return `provider:${providerId}:password`;
}

/**
 * The engine's view of a stored provider, with the password opened in memory. An SMTP relay whose username
 * is empty has no login: a password saved with it before that rule was never sent, and is left out so the
 * settings pass the rules the engine checks.
 */
export function toProviderConfig(entity: ProviderEntity, secretBox: SecretBox): ProviderConfig {
  const authMethod = authMethodOfEntity(entity);
  // An OAuth2 provider logs in with an access token from the token source, never a password.
  const noLogin = sendsNoPassword({ ...entity, authMethod });
  return {
    id: entity.id,
    type: entity.type,
    name: entity.name,
    apiVendor: entity.apiVendor,
    host: entity.host,
    port: entity.port,
    username: entity.username,
    password: noLogin
      ? ''
      : secretBox.open(
          { ciphertext: entity.passwordCiphertext, keyId: entity.passwordKeyId },
          passwordContext(entity.id),
        ),
    authMethod,
    encryption: entity.encryption,
    fromEmail: entity.fromEmail,
    fromName: entity.fromName,
    serviceType: entity.serviceType,
    status: entity.status,
    priority: entity.priority,
  };
}

/**
 * The process's one fallback engine, fed from the providers table. Passwords are opened only in memory,
 * for the engine; the list is cached briefly and dropped at once when this process changes a provider, so
 * a change made here applies to the next send and one made by another process within a second.
 */
export class MailerService implements Closable {
  readonly healthStore: HealthStore;
  /** Which addresses providers may be reached at (ALLOWED_PROVIDER_HOSTS); every transport of the engine obeys it. */
  readonly outbound: OutboundPolicy;
  /** OAuth2 access tokens for XOAUTH2, shared through the database with every process. */
  readonly tokenSource: PgOAuth2TokenSource;
  private readonly logger: Logger;
  private engine: Mailer | undefined;
  private cached: { at: number; providers: Promise<ProviderConfig[]> } | undefined;

  constructor(private readonly services: ServiceContainer) {
    this.healthStore = services.get(HealthStoreService).store;
    this.outbound = createOutboundPolicy(parseAllowList(services.config.allowedProviderHosts));
    this.logger = services.logger.child({ component: 'mailer' });
    this.tokenSource = new PgOAuth2TokenSource({
      dataSource: services.dataSource,
      secretBox: services.secretBox,
      outbound: this.outbound,
      endpointsOf: (app) => services.get(OAuthConnectionService).endpointsOf(app),
      logger: this.logger,
      onGrantRevoked: (providerId) => services.get(DurableSendingService).alerts.oauthRevoked(providerId),
    });
  }

  /** The engine (created on first use). */
  get mailer(): Mailer {
    this.engine ??= createMailer({
      providers: () => this.providers(),
      healthStore: this.healthStore,
      logger: this.logger,
      createTransport: transportFactoryWith(this.outbound),
      oauth2: this.tokenSource,
    });
    return this.engine;
  }

  /** Every stored provider as the engine takes it, any status. */
  providers(): Promise<ProviderConfig[]> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > PROVIDER_CACHE_MS) {
      const providers = this.load();
      this.cached = { at: now, providers };
      // A failed read must not be served from the cache.
      providers.catch(() => {
        if (this.cached?.providers === providers) this.cached = undefined;
      });
    }
    return this.cached.providers;
  }

  /** Forget the cached providers: this process just changed one. */
  invalidate(): void {
    this.cached = undefined;
  }

  /** Makes sure the engine's list holds this provider (created by another process a moment ago, say). */
  async ensureKnown(providerId: string): Promise<void> {
    const providers = await this.providers();
    if (!providers.some((provider) => provider.id === providerId)) this.invalidate();
  }

  /** A provider's credentials changed or it is gone: its circuit starts closed again. */
  async providerChanged(providerId: string, credentialsChanged: boolean): Promise<void> {
    this.invalidate();
    if (credentialsChanged) await this.healthStore.reset(providerId);
  }

  /** Connects and authenticates with these settings, sending nothing. The settings must be valid. */
  verify(config: ProviderConfig): Promise<VerifyResult> {
    return this.mailer.verify(config);
  }

  /** Every provider's health as operators read it now, from one read of the store. */
  async healthSnapshot(): Promise<(providerId: string) => ProviderHealth> {
    const stored = new Map((await this.healthStore.list()).map((entry) => [entry.providerId, entry.record]));
    const now = Date.now();
    return (providerId) => describeHealth(providerId, stored.get(providerId) ?? initialHealthRecord(), now);
  }

  /** The health of the given providers, from one read of the store. */
  async healthOf(providerIds: readonly string[]): Promise<Map<string, ProviderHealth>> {
    const read = await this.healthSnapshot();
    return new Map(providerIds.map((id) => [id, read(id)]));
  }

  async close(): Promise<void> {
    await this.engine?.close();
    this.engine = undefined;
  }

  private async load(): Promise<ProviderConfig[]> {
    const rows = await this.services.dataSource
      .getRepository(ProviderEntity)
      .find({ order: { priority: 'ASC' } });
    const configs: ProviderConfig[] = [];
    for (const row of rows) {
      try {
        configs.push(toProviderConfig(row, this.services.secretBox));
      } catch (error) {
        // One unreadable secret (a key missing after a botched rotation) must not stop the other providers.
        this.logger.error(
          {
            providerId: row.id,
            providerName: row.name,
            error: error instanceof Error ? error.message : String(error),
          },
          'cannot open this provider’s password; it is left out of sending',
        );
      }
    }
    return configs;
  }
}
