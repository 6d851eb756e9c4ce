/**
 * Where the engine gets OAuth2 access tokens for providers whose `authMethod` is `oauth2`. The engine never
 * sees a refresh token or a client secret: configurations stay plain data, and the application (which
 * stores the grant, refreshes it and shares refreshes between processes) answers here.
 */
export interface OAuth2TokenSource {
  /**
   * A current access token for this provider; `forceRefresh` after the server refused the last one.
   *
   * @throws {OAuth2GrantError} when the grant is dead (revoked, expired, consent withdrawn): only a new
   *   sign-in helps. Any other error (the token endpoint unreachable or failing) counts as a passing outage.
   */
  accessToken(providerId: string, options?: { forceRefresh?: boolean }): Promise<string>;
}

/**
 * The authorization server refused the grant itself (`invalid_grant` and the like): the refresh token is
 * revoked or expired, so the provider cannot sign in until an administrator connects it again.
 */
export class OAuth2GrantError extends Error {
  constructor(
    /** The OAuth2 error code the token endpoint answered, e.g. `invalid_grant`. */
    readonly code: string,
    message = `The OAuth2 grant was refused (${code}).`,
  ) {
    super(message);
    this.name = 'OAuth2GrantError';
  }
}

/** True for an {@link OAuth2GrantError}, also one from another copy of this package. */
export function isOAuth2GrantError(error: unknown): error is OAuth2GrantError {
  return (
    error instanceof OAuth2GrantError ||
    (error instanceof Error &&
      error.name === 'OAuth2GrantError' &&
      typeof (error as { code?: unknown }).code === 'string')
  );
}
