import { OAuth2GrantError, type OAuth2TokenSource } from '../../src/oauth2';
import type { OAuthServerEmulator, OAuthTokenResponse } from '../../src/test-support';

/**
 * The smallest honest token source: one grant per provider, the access token cached until the server
 * refuses it (or it is forced), refreshed at the emulator's token endpoint with the rotated refresh token.
 * Applications keep grants in their database and share refreshes between processes; this one does neither.
 */
export class EmulatorTokenSource implements OAuth2TokenSource {
  private readonly grants = new Map<string, { accessToken: string; refreshToken: string }>();
  readonly requests: Array<{ providerId: string; forceRefresh: boolean }> = [];

  constructor(private readonly oauth: OAuthServerEmulator) {}

  /** Starts `providerId` with tokens as a code exchange gives them. */
  connect(providerId: string, tokens: OAuthTokenResponse): void {
    this.grants.set(providerId, { accessToken: tokens.access_token, refreshToken: tokens.refresh_token });
  }

  async accessToken(providerId: string, options?: { forceRefresh?: boolean }): Promise<string> {
    const forceRefresh = options?.forceRefresh === true;
    this.requests.push({ providerId, forceRefresh });
    const grant = this.grants.get(providerId);
    if (!grant) throw new OAuth2GrantError('invalid_grant', `Provider ${providerId} is not connected.`);
    if (!forceRefresh) return grant.accessToken;
    const response = await fetch(this.oauth.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: grant.refreshToken,
        client_id: this.oauth.clientId,
        client_secret: this.oauth.clientSecret,
      }),
    });
    const body = (await response.json()) as Partial<OAuthTokenResponse> & { error?: string };
    if (response.status === 400 && body.error === 'invalid_grant') throw new OAuth2GrantError(body.error);
    if (!response.ok || !body.access_token || !body.refresh_token) {
      throw new Error(`The token endpoint answered ${response.status}.`);
    }
    grant.accessToken = body.access_token;
    grant.refreshToken = body.refresh_token;
    return grant.accessToken;
  }
}
