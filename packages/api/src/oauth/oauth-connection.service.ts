import { vetHost } from '@mail-providers/mailer-core';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { PROVIDERS_CHANGED_NOTIFICATION } from '../database/change-listener';
import type { ProviderEntity } from '../entities/provider.entity';
import { BadUserInputError, ProviderNotVerifiedError, type FieldError } from '../errors';
import type { ServiceContainer } from '../service-container';
import { MailerService } from '../services/mailer.service';
import { ProviderService, type Caller } from '../services/provider.service';
import { endpointsOf, hostOf, type OAuthAppSettings, type OAuthEndpoints } from './oauth-endpoints';
import type { AuthMethod } from './auth-method';
import { oauthSecretContext } from './oauth-secrets';
import {
  appSettingsOf,
  sameConsent,
  type OAuthAppWrite,
  type OAuthInput,
  type StoredOAuthApp,
} from './oauth-settings';

/** What saving a provider does to its OAuth2 registration (see OAuthConnectionService.plan). */
export interface OAuthSavePlan {
  /** The registration or the secret changes (an audited field, and a credential change). */
  changed: boolean;
  /** The sign-in no longer holds (another registration or other scopes): the tokens go. */
  dropsTokens: boolean;
  /** Writes it, inside the provider's transaction, after the provider row. */
  apply(manager: EntityManager, providerId: string): Promise<void>;
}

/** A row of oauth_connections as read (ciphertexts stay sealed). */
export interface ConnectionRow {
  provider_id: string;
  flavour: OAuthAppSettings['flavour'];
  client_id: string;
  client_secret_ciphertext: string | null;
  client_secret_key_id: string | null;
  tenant: string | null;
  authorize_url: string | null;
  token_url: string | null;
  scopes: string[];
  refresh_token_ciphertext: string | null;
  refresh_token_key_id: string | null;
  access_token_ciphertext: string | null;
  access_token_key_id: string | null;
  access_token_expires_at: Date | null;
  account: string | null;
  connected_at: Date | null;
  last_refresh_at: Date | null;
  last_error: string | null;
  last_error_code: string | null;
}

/** The connection as the API shows it (see OAuthConnection in the schema): no secret, no token. */
export interface OAuthConnectionView extends StoredOAuthApp {
  connected: boolean;
  account: string | null;
  accessTokenExpiresAt: Date | null;
  lastRefreshAt: Date | null;
  lastError: string | null;
}

export function appOf(row: ConnectionRow): OAuthAppSettings {
  return {
    flavour: row.flavour,
    clientId: row.client_id,
    tenant: row.tenant,
    authorizeUrl: row.authorize_url,
    tokenUrl: row.token_url,
    scopes: row.scopes,
  };
}

export function viewOf(row: ConnectionRow): OAuthConnectionView {
  return {
    ...appOf(row),
    clientSecretSet: row.client_secret_ciphertext !== null,
    connected: row.refresh_token_ciphertext !== null,
    account: row.account,
    accessTokenExpiresAt: row.access_token_expires_at,
    lastRefreshAt: row.last_refresh_at,
    lastError: row.last_error,
  };
}

/** The columns a sign-in's tokens live in, emptied when the connection ends. */
export const DROP_TOKENS = `refresh_token_ciphertext = NULL, refresh_token_key_id = NULL,
  access_token_ciphertext = NULL, access_token_key_id = NULL, access_token_expires_at = NULL,
  connected_at = NULL, account = NULL, updated_at = now()`;

/**
 * The OAuth2 registration and connection of each provider that signs in with OAuth2 (table
 * oauth_connections): saved with the provider, in its transaction; the client secret and tokens sealed
 * with the secret box, each bound to its row and column.
 */
export class OAuthConnectionService {
  constructor(private readonly services: ServiceContainer) {}

  /** The endpoints of a registration, with this server's overrides (OAUTH_* variables). */
  endpointsOf(app: OAuthAppSettings): OAuthEndpoints {
    return endpointsOf(app, this.services.config.oauthEndpoints);
  }

  /** The provider's registration and connection as stored, or null when it has none. */
  async row(providerId: string): Promise<ConnectionRow | null> {
    const rows: unknown = await this.services.dataSource.query(
      'SELECT * FROM oauth_connections WHERE provider_id = $1',
      [providerId],
    );
    return Array.isArray(rows) && rows.length > 0 ? (rows[0] as ConnectionRow) : null;
  }

  /** Every provider's connection, by provider id, from one query. */
  async views(): Promise<Map<string, OAuthConnectionView>> {
    const rows: unknown = await this.services.dataSource.query('SELECT * FROM oauth_connections');
    return new Map((rows as ConnectionRow[]).map((row) => [row.provider_id, viewOf(row)]));
  }

  async storedApp(providerId: string): Promise<StoredOAuthApp | null> {
    const row = await this.row(providerId);
    return row ? { ...appOf(row), clientSecretSet: row.client_secret_ciphertext !== null } : null;
  }

  /**
   * What a save of a valid input does to the OAuth2 registration: saves the one given (GENERIC URLs
   * vetted by the outbound policy first), keeps the stored one when none is given, removes it when the
   * provider stops signing in with OAuth2.
   */
  async plan(
    method: AuthMethod,
    input: OAuthInput | null | undefined,
    stored: StoredOAuthApp | null,
  ): Promise<OAuthSavePlan> {
    if (method !== 'oauth2') {
      return {
        changed: stored !== null,
        dropsTokens: stored !== null,
        apply: async (manager, id) => {
          if (stored) await this.remove(manager, id);
        },
      };
    }
    if (!input) return { changed: false, dropsTokens: false, apply: async () => undefined };
    const app = appSettingsOf(input);
    await this.vetUrls(app);
    const secret =
      typeof input.clientSecret === 'string' && input.clientSecret.trim() !== ''
        ? input.clientSecret.trim()
        : null;
    const dropsTokens = stored !== null && !sameConsent(stored, app);
    const write: OAuthAppWrite = { ...app, clientSecret: secret };
    return {
      changed: stored === null || dropsTokens || secret !== null,
      dropsTokens,
      apply: (manager, id) => this.write(manager, id, write, dropsTokens),
    };
  }

  /** Refuses to activate an OAuth2 provider that is not connected (or whose save drops its connection). */
  async assertConnected(providerId: string | null, dropsTokens = false): Promise<void> {
    const row = providerId === null || dropsTokens ? null : await this.row(providerId);
    if (row?.refresh_token_ciphertext) return;
    throw new ProviderNotVerifiedError(
      'A provider that signs in with OAuth2 can be activated only once it is connected and verified: save it, click Connect to sign in, verify it, then activate it.',
      null,
    );
  }

  /**
   * Refuses, as bad input naming the field, authorize and token URLs whose hosts the outbound policy
   * (ALLOWED_PROVIDER_HOSTS) does not let this server reach. The token request is guarded again when made.
   */
  async vetUrls(app: OAuthAppSettings, argument = 'input'): Promise<void> {
    const endpoints = this.endpointsOf(app);
    const issues: FieldError[] = [];
    const policy = this.services.get(MailerService).outbound;
    for (const field of ['authorizeUrl', 'tokenUrl'] as const) {
      const refusal = await vetHost(policy, hostOf(endpoints[field]));
      if (refusal) issues.push({ field: `${argument}.oauth.${field}`, message: refusal.message });
    }
    if (issues.length > 0) {
      throw new BadUserInputError(
        issues,
        'This server does not connect to the OAuth2 server’s address; see the fields listed for why and what to do.',
      );
    }
  }

  /**
   * Saves the registration inside the provider's transaction. The tokens are dropped when the registration
   * or the scopes changed (the sign-in was made for others); a new client secret keeps them.
   */
  async write(
    manager: EntityManager,
    providerId: string,
    app: OAuthAppWrite,
    dropTokens: boolean,
  ): Promise<void> {
    const sealed =
      app.clientSecret === null
        ? null
        : this.services.secretBox.seal(app.clientSecret, oauthSecretContext(providerId, 'clientSecret'));
    await manager.query(
      `INSERT INTO oauth_connections
         (provider_id, flavour, client_id, client_secret_ciphertext, client_secret_key_id, tenant,
          authorize_url, token_url, scopes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (provider_id) DO UPDATE SET
         flavour = excluded.flavour, client_id = excluded.client_id,
         client_secret_ciphertext = coalesce(excluded.client_secret_ciphertext, oauth_connections.client_secret_ciphertext),
         client_secret_key_id = coalesce(excluded.client_secret_key_id, oauth_connections.client_secret_key_id),
         tenant = excluded.tenant, authorize_url = excluded.authorize_url, token_url = excluded.token_url,
         scopes = excluded.scopes, updated_at = now()`,
      [
        providerId,
        app.flavour,
        app.clientId,
        sealed?.ciphertext ?? null,
        sealed?.keyId ?? null,
        app.tenant,
        app.authorizeUrl,
        app.tokenUrl,
        app.scopes,
      ],
    );
    if (dropTokens) {
      await manager.query(
        `UPDATE oauth_connections SET ${DROP_TOKENS}, last_error = NULL, last_error_code = NULL WHERE provider_id = $1`,
        [providerId],
      );
    }
  }

  /**
   * Ends a provider's OAuth2 connection: its tokens are dropped (the registration stays, ready for a new
   * sign-in), and an ACTIVE provider that signs in with OAuth2 becomes INACTIVE, since it can no longer
   * send. Audited; a provider with no connection is returned as it is.
   */
  async disconnect(providerId: string, caller: Caller): Promise<ProviderEntity> {
    const providers = this.services.get(ProviderService);
    const provider = await providers.get(providerId);
    const changed = await this.services.dataSource.transaction(async (manager) => {
      const dropped = await this.dropTokens(manager, provider.id);
      if (!dropped) return false;
      const fields = ['oauth'];
      const deactivated: unknown = await manager.query(
        `UPDATE providers SET status = 'inactive', updated_at = now()
          WHERE id = $1 AND status = 'active' AND auth_method = 'oauth2' RETURNING id`,
        [provider.id],
      );
      if (Array.isArray(deactivated) && Array.isArray(deactivated[0]) && deactivated[0].length > 0)
        fields.push('status');
      await this.services.get(AuditService).record(
        {
          actor: caller.auth,
          action: 'provider.oauthDisconnect',
          entityType: 'provider',
          entityId: provider.id,
          fields,
        },
        manager,
      );
      await manager.query(`SELECT ${PROVIDERS_CHANGED_NOTIFICATION}`);
      return true;
    });
    if (!changed) return provider;
    await this.services.get(MailerService).providerChanged(provider.id, true);
    return providers.get(provider.id);
  }

  /** The provider no longer signs in with OAuth2: registration and tokens go. */
  async remove(manager: EntityManager, providerId: string): Promise<void> {
    await manager.query('DELETE FROM oauth_connections WHERE provider_id = $1', [providerId]);
  }

  /** Ends the connection (the registration stays); returns whether there was one. */
  async dropTokens(manager: EntityManager, providerId: string): Promise<boolean> {
    const result: unknown = await manager.query(
      `UPDATE oauth_connections SET ${DROP_TOKENS} WHERE provider_id = $1 AND refresh_token_ciphertext IS NOT NULL RETURNING provider_id`,
      [providerId],
    );
    return Array.isArray(result) && Array.isArray(result[0]) && result[0].length > 0;
  }
}
