import { OAuth2GrantError, type OAuth2TokenSource, type OutboundPolicy } from '@mail-providers/mailer-core';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { Logger } from '../logger';
import type { SecretBox } from '../secrets/secret-box';
import { appOf, type ConnectionRow } from './oauth-connection.service';
import type { OAuthAppSettings, OAuthEndpoints } from './oauth-endpoints';
import { oauthSecretContext } from './oauth-secrets';
import { requestToken, TokenRequestError, type TokenGrant } from './token-client';

/** An access token is refreshed this long before it expires, so none expires on its way to the server. */
export const REFRESH_MARGIN_MS = 2 * 60_000;
/** Leeway between this process's clock and the database's when telling whether a refresh is newer. */
const CLOCK_SKEW_MS = 1000;

/** Why a refresh is asked for (see PgOAuth2TokenSource.refresh). */
export type RefreshReason = 'expiring' | 'refused' | 'check';

/** Assumed when a token endpoint does not say how long its access token lives. */
const DEFAULT_TTL_SECONDS = 3600;

export interface TokenSourceDeps {
  dataSource: DataSource;
  secretBox: SecretBox;
  outbound: OutboundPolicy;
  endpointsOf: (app: OAuthAppSettings) => OAuthEndpoints;
  logger: Logger;
  /** A refresh token was refused with invalid_grant (revoked, expired, consent withdrawn). Never throws. */
  onGrantRevoked: (providerId: string, message: string) => void;
}

/** The message every caller reads for a connection that needs the admin to sign in again. */
export function reconnectMessage(reason: string): string {
  return `${reason} Open the provider in Security > Mail Providers and click Reconnect.`;
}

/** Stores what a token endpoint granted: the access token, a rotated refresh token, when it expires. */
export async function storeGrant(
  manager: EntityManager | QueryRunner,
  secretBox: SecretBox,
  providerId: string,
  grant: TokenGrant,
): Promise<Date> {
  const access = secretBox.seal(grant.accessToken, oauthSecretContext(providerId, 'accessToken'));
  const refresh = grant.refreshToken
    ? secretBox.seal(grant.refreshToken, oauthSecretContext(providerId, 'refreshToken'))
    : null;
  const expiresAt = new Date(Date.now() + (grant.expiresIn ?? DEFAULT_TTL_SECONDS) * 1000);
  await manager.query(
    `UPDATE oauth_connections SET
       access_token_ciphertext = $2, access_token_key_id = $3, access_token_expires_at = $4,
       refresh_token_ciphertext = coalesce($5, refresh_token_ciphertext),
       refresh_token_key_id = coalesce($6, refresh_token_key_id),
       last_refresh_at = now(), last_error = NULL, last_error_code = NULL, last_error_at = NULL, updated_at = now()
     WHERE provider_id = $1`,
    [
      providerId,
      access.ciphertext,
      access.keyId,
      expiresAt,
      refresh?.ciphertext ?? null,
      refresh?.keyId ?? null,
    ],
  );
  return expiresAt;
}

/**
 * mailer-core's OAuth2TokenSource over PostgreSQL. The access token is cached, sealed, in the provider's
 * oauth_connections row with its expiry, so every process and thread shares it. A refresh takes the row
 * FOR UPDATE and looks again once it holds it: whoever waited behind another's refresh uses the token that
 * refresh stored, so one refresh serves all, and a rotated refresh token is never used twice.
 */
export class PgOAuth2TokenSource implements OAuth2TokenSource {
  /** Refreshes this process is making, so its own senders wait in memory rather than on the row lock. */
  private readonly refreshing = new Map<string, Promise<string>>();

  constructor(private readonly deps: TokenSourceDeps) {}

  async accessToken(providerId: string, options: { forceRefresh?: boolean } = {}): Promise<string> {
    if (!options.forceRefresh) {
      const rows: unknown = await this.deps.dataSource.query(
        'SELECT * FROM oauth_connections WHERE provider_id = $1',
        [providerId],
      );
      const cached = this.usableToken(firstRow(rows), providerId);
      if (cached !== undefined) return cached;
    }
    const running = this.refreshing.get(providerId);
    if (running) return running;
    const refresh = this.refresh(providerId, options.forceRefresh ? 'refused' : 'expiring').finally(() =>
      this.refreshing.delete(providerId),
    );
    this.refreshing.set(providerId, refresh);
    return refresh;
  }

  /**
   * Refreshes the provider's access token under the row lock, unless, once the lock is held, the stored
   * one will do. Why it is asked: `expiring` (the stored one is near its end: any good one will do, such as
   * one another process stored meanwhile), `refused` (the server refused the token this process read: only
   * one stored after the refusal will do), `check` (the daily check: always refresh).
   */
  async refresh(providerId: string, why: RefreshReason = 'expiring'): Promise<string> {
    const asked = Date.now();
    const runner = this.deps.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const row = firstRow(
        await runner.query('SELECT * FROM oauth_connections WHERE provider_id = $1 FOR UPDATE', [providerId]),
      );
      const refreshedMeanwhile =
        row?.last_refresh_at != null && new Date(row.last_refresh_at).getTime() >= asked - CLOCK_SKEW_MS;
      const stored = why === 'check' ? undefined : this.usableToken(row, providerId);
      if (stored !== undefined && (why === 'expiring' || refreshedMeanwhile)) {
        await runner.commitTransaction();
        return stored;
      }
      if (!row?.refresh_token_ciphertext || !row.refresh_token_key_id) {
        await runner.commitTransaction();
        throw new OAuth2GrantError(
          'not_connected',
          reconnectMessage(
            'This provider is not signed in with OAuth2 (never connected, disconnected, or its sign-in was refused).',
          ),
        );
      }
      const refreshToken = this.deps.secretBox.open(
        { ciphertext: row.refresh_token_ciphertext, keyId: row.refresh_token_key_id },
        oauthSecretContext(providerId, 'refreshToken'),
      );
      const clientSecret = this.clientSecretOf(row);
      const app = appOf(row);
      const endpoints = this.deps.endpointsOf(app);
      const form: Record<string, string> = {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: app.clientId,
      };
      if (clientSecret) form.client_secret = clientSecret;
      if (app.flavour !== 'google') form.scope = endpoints.scopes.join(' ');
      let grant: TokenGrant;
      try {
        grant = await requestToken(endpoints.tokenUrl, form, this.deps.outbound, [
          refreshToken,
          clientSecret ?? '',
        ]);
      } catch (error) {
        const failure =
          error instanceof TokenRequestError ? error : new TokenRequestError('network', String(error));
        const revoked = failure.code === 'invalid_grant';
        await runner.query(
          `UPDATE oauth_connections SET last_error = $2, last_error_code = $3, last_error_at = now()
             ${revoked ? ', refresh_token_ciphertext = NULL, refresh_token_key_id = NULL, access_token_ciphertext = NULL, access_token_key_id = NULL, access_token_expires_at = NULL' : ''}
           WHERE provider_id = $1`,
          [providerId, failure.message, failure.code],
        );
        await runner.commitTransaction();
        this.deps.logger.warn({ providerId, code: failure.code }, 'an OAuth2 token refresh failed');
        if (revoked) {
          const message = reconnectMessage(
            `The OAuth2 sign-in of this provider was revoked or expired (${failure.message}).`,
          );
          this.deps.onGrantRevoked(providerId, message);
          throw new OAuth2GrantError('invalid_grant', message);
        }
        throw new Error(`Could not refresh the OAuth2 access token: ${failure.message}`);
      }
      await storeGrant(runner, this.deps.secretBox, providerId, grant);
      await runner.commitTransaction();
      return grant.accessToken;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private clientSecretOf(row: ConnectionRow): string | undefined {
    if (!row.client_secret_ciphertext || !row.client_secret_key_id) return undefined;
    return this.deps.secretBox.open(
      { ciphertext: row.client_secret_ciphertext, keyId: row.client_secret_key_id },
      oauthSecretContext(row.provider_id, 'clientSecret'),
    );
  }

  /** The stored access token while it has more than the margin left, else undefined. */
  private usableToken(row: ConnectionRow | undefined, providerId: string): string | undefined {
    if (!row?.access_token_ciphertext || !row.access_token_key_id || !row.access_token_expires_at)
      return undefined;
    if (new Date(row.access_token_expires_at).getTime() - REFRESH_MARGIN_MS <= Date.now()) return undefined;
    return this.deps.secretBox.open(
      { ciphertext: row.access_token_ciphertext, keyId: row.access_token_key_id },
      oauthSecretContext(providerId, 'accessToken'),
    );
  }
}

function firstRow(rows: unknown): ConnectionRow | undefined {
  return Array.isArray(rows) && rows.length > 0 ? (rows[0] as ConnectionRow) : undefined;
}
