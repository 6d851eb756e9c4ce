import { createHash, randomBytes } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { hashToken } from '../auth/token-hash';
import { SessionService } from '../auth/session.service';
import type { Auth } from '../context';
import { PROVIDERS_CHANGED_NOTIFICATION } from '../database/change-listener';
import { BadUserInputError, ConflictError, ForbiddenError } from '../errors';
import type { ServiceContainer } from '../service-container';
import { MailerService } from '../services/mailer.service';
import { ProviderService, type Caller } from '../services/provider.service';
import { authMethodOfEntity } from './auth-method';
import { appOf, OAuthConnectionService, type ConnectionRow } from './oauth-connection.service';
import { codeVerifierContext, oauthSecretContext } from './oauth-secrets';
import { storeGrant } from './pg-token-source';
import { accountOfIdToken, requestToken, TokenRequestError } from './token-client';

/** How long a started sign-in may take before its state is refused. */
export const STATE_TTL_MS = 10 * 60_000;
/** Where the browser comes back to: the path the app registration names as its redirect URI. */
export const CALLBACK_PATH = '/oauth/callback';
/** The panel's page of the providers. */
const PROVIDERS_PAGE = '/security/mail-providers';

/**
 * Why a callback changed nothing (the `reason` of `?oauth=error&reason=`): no or unknown state, a state
 * used before, expired, or started by another session; no session at all; the provider's own refusal;
 * a code the token endpoint would not exchange; no refresh token in its answer.
 */
export type CallbackRefusal =
  | 'state_missing'
  | 'state_unknown'
  | 'state_used'
  | 'state_expired'
  | 'session_missing'
  | 'session_mismatch'
  | 'provider_changed'
  | 'access_denied'
  | 'code_missing'
  | 'exchange_failed'
  | 'no_refresh_token';

/** Where the callback sends the browser, and what happened (for the log). */
export interface CallbackOutcome {
  location: string;
  providerId: string | null;
  refusal: CallbackRefusal | null;
}

export interface CallbackRequest {
  state?: string;
  code?: string;
  error?: string;
  /** The session cookie the browser came back with. */
  sessionCookie?: string;
}

interface StateRow {
  state_hash: string;
  provider_id: string;
  session_token_hash: string;
  code_verifier_ciphertext: string;
  code_verifier_key_id: string;
  redirect_uri: string;
  expires_at: Date;
  used_at: Date | null;
}

function pageOf(providerId: string | null): string {
  return providerId ? `${PROVIDERS_PAGE}/${encodeURIComponent(providerId)}` : PROVIDERS_PAGE;
}

function refused(reason: CallbackRefusal, providerId: string | null): CallbackOutcome {
  return { location: `${pageOf(providerId)}?oauth=error&reason=${reason}`, providerId, refusal: reason };
}

/**
 * The authorization-code flow with PKCE (RFC 7636, S256): a signed-in admin starts it for a provider and
 * gets the provider's sign-in URL; the browser comes back to {@link CALLBACK_PATH} with a code, which is
 * exchanged for the tokens. The `state` is single-use, stored only as its hash, bound to the admin's
 * session and good for {@link STATE_TTL_MS}; the PKCE verifier is stored sealed.
 */
export class OAuthSignInService {
  constructor(private readonly services: ServiceContainer) {}

  private get connections(): OAuthConnectionService {
    return this.services.get(OAuthConnectionService);
  }

  /** The redirect URI: PUBLIC_URL, else the origin the admin's browser used. */
  redirectUri(requestOrigin: string): string {
    return `${this.services.config.publicUrl ?? requestOrigin}${CALLBACK_PATH}`;
  }

  async start(providerId: string, caller: Caller, requestOrigin: string): Promise<{ authorizeUrl: string }> {
    const auth = caller.auth;
    if (auth.kind !== 'session') {
      throw new ForbiddenError(
        'Connecting a provider with OAuth2 needs an administrator signed in to the panel: the sign-in comes back to that browser session.',
      );
    }
    const provider = await this.services.get(ProviderService).get(providerId);
    const row = await this.connections.row(provider.id);
    if (authMethodOfEntity(provider) !== 'oauth2' || !row) {
      throw new BadUserInputError(
        [
          {
            field: 'id',
            message:
              'This provider does not sign in with OAuth2; choose OAuth2 in its form and save it first.',
          },
        ],
        'Only a provider saved with OAuth2 sign-in can be connected.',
      );
    }
    const app = appOf(row);
    await this.connections.vetUrls(app, 'provider');
    const endpoints = this.connections.endpointsOf(app);

    const state = randomBytes(32).toString('base64url');
    const stateHash = hashToken(state);
    const verifier = randomBytes(48).toString('base64url');
    const challenge = createHash('sha256').update(verifier, 'ascii').digest('base64url');
    const sealed = this.services.secretBox.seal(verifier, codeVerifierContext(stateHash));
    const redirectUri = this.redirectUri(requestOrigin);
    await this.services.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM oauth_states WHERE expires_at < now() - interval '1 day'`);
      await manager.query(
        `INSERT INTO oauth_states (state_hash, provider_id, session_token_hash, code_verifier_ciphertext,
           code_verifier_key_id, redirect_uri, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() + $7 * interval '1 millisecond')`,
        [
          stateHash,
          provider.id,
          auth.sessionTokenHash,
          sealed.ciphertext,
          sealed.keyId,
          redirectUri,
          STATE_TTL_MS,
        ],
      );
    });

    const url = new URL(endpoints.authorizeUrl);
    const params: Record<string, string> = {
      client_id: app.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: endpoints.scopes.join(' '),
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...endpoints.authorizeParams,
    };
    if (provider.username !== '') params.login_hint = provider.username;
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return { authorizeUrl: url.toString() };
  }

  /**
   * Handles the browser's return. A state that is missing, unknown, used, expired or another session's,
   * or a return without a session, changes nothing; otherwise the state is spent, the code exchanged and
   * the refresh token stored. Always answers with where to send the browser.
   */
  async callback(request: CallbackRequest): Promise<CallbackOutcome> {
    if (!request.state) return refused('state_missing', null);
    const stateHash = hashToken(request.state);
    const found: unknown = await this.services.dataSource.query(
      'SELECT * FROM oauth_states WHERE state_hash = $1',
      [stateHash],
    );
    const state = Array.isArray(found) ? (found[0] as StateRow | undefined) : undefined;
    if (!state) return refused('state_unknown', null);
    const providerId = state.provider_id;
    if (state.used_at !== null) return refused('state_used', providerId);
    if (new Date(state.expires_at).getTime() <= Date.now()) return refused('state_expired', providerId);
    const session = request.sessionCookie
      ? await this.services.get(SessionService).resolve(request.sessionCookie)
      : null;
    if (!session) return refused('session_missing', providerId);
    if (session.tokenHash !== state.session_token_hash) return refused('session_mismatch', providerId);

    // Spent now, whatever follows: a code is good for one exchange, and the state for one return.
    const spent: unknown = await this.services.dataSource.query(
      'UPDATE oauth_states SET used_at = now() WHERE state_hash = $1 AND used_at IS NULL RETURNING state_hash',
      [stateHash],
    );
    if (!Array.isArray(spent) || !Array.isArray(spent[0]) || spent[0].length === 0)
      return refused('state_used', providerId);

    const auth: Auth = { kind: 'session', user: session.user, sessionTokenHash: session.tokenHash };
    const row = await this.connections.row(providerId);
    if (!row) return refused('provider_changed', providerId);
    if (request.error !== undefined) {
      await this.recordError(
        providerId,
        'access_denied',
        `The sign-in was not completed: the OAuth2 server answered "${sanitised(request.error)}".`,
      );
      return refused('access_denied', providerId);
    }
    if (!request.code) return refused('code_missing', providerId);

    const verifier = this.services.secretBox.open(
      { ciphertext: state.code_verifier_ciphertext, keyId: state.code_verifier_key_id },
      codeVerifierContext(stateHash),
    );
    const clientSecret = this.clientSecretOf(row);
    const app = appOf(row);
    const form: Record<string, string> = {
      grant_type: 'authorization_code',
      code: request.code,
      redirect_uri: state.redirect_uri,
      client_id: app.clientId,
      code_verifier: verifier,
    };
    if (clientSecret) form.client_secret = clientSecret;
    const outbound = this.services.get(MailerService).outbound;
    let grant;
    try {
      grant = await requestToken(this.connections.endpointsOf(app).tokenUrl, form, outbound, [
        request.code,
        verifier,
        clientSecret ?? '',
      ]);
    } catch (error) {
      const message =
        error instanceof TokenRequestError ? error.message : 'The token endpoint could not be reached.';
      await this.recordError(
        providerId,
        error instanceof TokenRequestError ? error.code : 'network',
        message,
      );
      return refused('exchange_failed', providerId);
    }
    if (!grant.refreshToken) {
      await this.recordError(
        providerId,
        'no_refresh_token',
        'The OAuth2 server gave no refresh token; ask for offline access (Microsoft: the offline_access scope) and sign in again.',
      );
      return refused('no_refresh_token', providerId);
    }
    const provider = await this.services.get(ProviderService).find(providerId);
    const account = accountOfIdToken(grant.idToken) ?? provider?.username ?? null;
    try {
      await this.services.dataSource.transaction(async (manager) => {
        const locked: unknown = await manager.query(
          'SELECT client_id FROM oauth_connections WHERE provider_id = $1 AND client_id = $2 FOR UPDATE',
          [providerId, app.clientId],
        );
        if (!Array.isArray(locked) || locked.length === 0) throw new ConflictError('changed');
        await storeGrant(manager, this.services.secretBox, providerId, grant);
        await manager.query(
          'UPDATE oauth_connections SET account = $2, connected_at = now() WHERE provider_id = $1',
          [providerId, account],
        );
        await this.services.get(AuditService).record(
          {
            actor: auth,
            action: 'provider.oauthConnect',
            entityType: 'provider',
            entityId: providerId,
            fields: ['oauth'],
          },
          manager,
        );
        await manager.query(
          `UPDATE alert_events SET resolved_at = now() WHERE kind = 'OAUTH_REVOKED' AND provider_id = $1 AND resolved_at IS NULL`,
          [providerId],
        );
        await manager.query(`SELECT ${PROVIDERS_CHANGED_NOTIFICATION}`);
      });
    } catch (error) {
      if (error instanceof ConflictError) return refused('provider_changed', providerId);
      throw error;
    }
    await this.services.get(MailerService).providerChanged(providerId, true);
    return { location: `${pageOf(providerId)}?oauth=connected`, providerId, refusal: null };
  }

  private clientSecretOf(row: ConnectionRow): string | undefined {
    if (!row.client_secret_ciphertext || !row.client_secret_key_id) return undefined;
    return this.services.secretBox.open(
      { ciphertext: row.client_secret_ciphertext, keyId: row.client_secret_key_id },
      oauthSecretContext(row.provider_id, 'clientSecret'),
    );
  }

  private async recordError(providerId: string, code: string, message: string): Promise<void> {
    await this.services.dataSource.query(
      `UPDATE oauth_connections SET last_error = $2, last_error_code = $3, last_error_at = now() WHERE provider_id = $1`,
      [providerId, message, code],
    );
  }
}

/** An error code as the OAuth2 server sent it, cut to a safe word. */
function sanitised(code: string): string {
  return code.replace(/[^\w.-]/g, '').slice(0, 64) || 'error';
}
