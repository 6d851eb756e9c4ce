import type XOAuth2 from 'nodemailer/lib/xoauth2';
import { classifyFailure } from '../../classify';
import type { OAuth2TokenSource } from '../../oauth2';
import { isOAuth2GrantError } from '../../oauth2';
import type { ProviderConfig } from '../../provider';
import type { Failure } from '../../result';

type ProvisionCallback = NonNullable<XOAuth2.Options['provisionCallback']>;

/** How many access tokens of a provider are kept to take out of failure messages. */
const REMEMBERED_TOKENS = 4;

/**
 * The access tokens of one `oauth2` provider, as nodemailer asks for them: through `provisionCallback`
 * (`renew` when the server answered XOAUTH2 with its 334 error challenge). A token source's error reaches
 * nodemailer as an error of ours, because nodemailer rewrites an error's code; {@link failureOf} finds the
 * source's own error behind it again.
 */
export class XOAuth2Tokens {
  /** The latest tokens, to take out of any message (a server may echo the XOAUTH2 blob). */
  readonly secrets: string[] = [];
  private forced = 0;
  private readonly sourceErrors = new WeakMap<object, unknown>();

  constructor(
    private readonly provider: Pick<ProviderConfig, 'id' | 'username'>,
    private readonly source: OAuth2TokenSource,
  ) {}

  /** How many forced refreshes were asked for so far: a send compares it before and after. */
  get forcedRefreshes(): number {
    return this.forced;
  }

  /** nodemailer's `auth.provisionCallback`. */
  readonly provision: ProvisionCallback = (_user, renew, callback) => {
    this.token(renew).then(
      (token) => callback(null, token, 0),
      (error: unknown) => callback(this.wrap(error), '', 0),
    );
  };

  /** A token straight from the source (forced when `forceRefresh`), remembered for redaction. */
  async token(forceRefresh: boolean): Promise<string> {
    if (forceRefresh) this.forced += 1;
    const token = await this.source.accessToken(
      this.provider.id,
      forceRefresh ? { forceRefresh: true } : undefined,
    );
    this.remember(token);
    return token;
  }

  /**
   * Runs `attempt`; when the server refused the token and no forced refresh has happened meanwhile
   * (nodemailer forces one itself after a 334 challenge), asks the source for a fresh token and runs
   * `attempt` once more. A source that then fails gives its own failure through `failed`.
   */
  async retryRefused<T extends { ok: true } | { ok: false; failure: Failure }>(
    attempt: () => Promise<T>,
    failed: (failure: Failure) => T,
  ): Promise<T> {
    const forcedBefore = this.forced;
    const outcome = await attempt();
    if (outcome.ok || !isTokenRefusal(outcome.failure) || this.forced !== forcedBefore) return outcome;
    try {
      await this.token(true);
    } catch (error) {
      return failed(tokenSourceFailure(error, this.secrets));
    }
    return attempt();
  }

  /** The classified failure when `error` came from the token source (directly or through nodemailer). */
  failureOf(error: unknown): Failure | undefined {
    const original =
      typeof error === 'object' && error !== null && this.sourceErrors.has(error)
        ? this.sourceErrors.get(error)
        : undefined;
    return original === undefined ? undefined : tokenSourceFailure(original, this.secrets);
  }

  /** An error of ours standing for the source's `error`, which nodemailer may change freely. */
  wrap(error: unknown): Error {
    const carrier = new Error(error instanceof Error ? error.message : String(error));
    this.sourceErrors.set(carrier, error);
    return carrier;
  }

  private remember(token: string): void {
    if (this.secrets.includes(token)) return;
    const blob = `user=${this.provider.username}\x01auth=Bearer ${token}\x01\x01`;
    this.secrets.unshift(token, blob);
    this.secrets.splice(REMEMBERED_TOKENS * 2);
  }
}

/** The server refused the login outright (not a temporary 4xx): the token may be stale. */
function isTokenRefusal(failure: Failure): boolean {
  return failure.stage === 'auth' && failure.smtpCode !== undefined && failure.smtpCode >= 500;
}

/** A token source's error, classified: a dead grant is AUTH, anything else a passing outage of the sign-in. */
export function tokenSourceFailure(error: unknown, secrets: ReadonlyArray<string>): Failure {
  const message = error instanceof Error ? error.message : String(error);
  return classifyFailure(
    isOAuth2GrantError(error)
      ? { kind: 'oauth2', grantError: error.code, message }
      : { kind: 'oauth2', message },
    secrets,
  );
}
