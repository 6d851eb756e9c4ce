import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import { classifyFailure } from '../../classify';
import type { OAuth2TokenSource } from '../../oauth2';
import { isOAuth2GrantError } from '../../oauth2';
import type { ProviderConfig } from '../../provider';
import type { Failure } from '../../result';

/** How many access tokens of a provider are kept to take out of failure messages. */
const REMEMBERED_TOKENS = 4;

/**
 * The XOAUTH2 login of one `oauth2` provider. Every SMTP session logs in through {@link authenticate}
 * (nodemailer's custom authentication, in place of its own XOAUTH2, which retries with a renewed token
 * inside the session by itself): one token, one exchange. {@link retryRefused} decides about the one
 * retry for a whole send or verification. A token source's error reaches nodemailer as an error of ours,
 * because nodemailer rewrites an error's code; {@link failureOf} finds the source's own error again.
 */
export class XOAuth2Tokens {
  /** The latest tokens, to take out of any message (a server may echo the XOAUTH2 blob). */
  readonly secrets: string[] = [];
  /** Forced refreshes asked for so far: an attempt compares it before and after. */
  private generation = 0;
  private readonly sourceErrors = new WeakMap<object, unknown>();

  constructor(
    private readonly provider: Pick<ProviderConfig, 'id' | 'username'>,
    private readonly source: OAuth2TokenSource,
  ) {}

  /** nodemailer's custom authentication for `XOAUTH2` (the `customAuth` option). */
  readonly authenticate = async (session: SMTPConnection.CustomAuthenticationContext): Promise<void> => {
    let token: string;
    try {
      token = await this.token(false);
    } catch (error) {
      throw this.wrap(error);
    }
    const blob = Buffer.from(xoauth2Text(this.provider.username, token)).toString('base64');
    const reply = await session.sendCommand(`AUTH XOAUTH2 ${blob}`);
    if (reply.status >= 200 && reply.status < 300) return;
    // Google answers a refused token with a 334 carrying its error as JSON; an empty line ends the
    // exchange, and the refusal that follows is the reply nodemailer reports.
    if (reply.status === 334) await session.sendCommand('');
    throw new Error('Invalid login');
  };

  /** A token straight from the source (forced when `forceRefresh`), remembered for redaction. */
  private async token(forceRefresh: boolean): Promise<string> {
    if (forceRefresh) this.generation += 1;
    const token = await this.source.accessToken(
      this.provider.id,
      forceRefresh ? { forceRefresh: true } : undefined,
    );
    this.remember(token);
    return token;
  }

  /**
   * Runs `attempt`, and once more when the server refused the token: after asking the source for a fresh
   * one with `forceRefresh`, unless another attempt did so meanwhile (then its fresh token is used). A
   * source that fails then gives its own failure through `failed`.
   */
  async retryRefused<T extends { ok: true } | { ok: false; failure: Failure }>(
    attempt: () => Promise<T>,
    failed: (failure: Failure) => T,
  ): Promise<T> {
    const generation = this.generation;
    const outcome = await attempt();
    if (outcome.ok || !isTokenRefusal(outcome.failure)) return outcome;
    if (this.generation === generation) {
      try {
        await this.token(true);
      } catch (error) {
        return failed(tokenSourceFailure(error, this.secrets));
      }
    }
    return attempt();
  }

  /** The classified failure when `error` came from the token source (directly or through nodemailer). */
  failureOf(error: unknown): Failure | undefined {
    if (typeof error !== 'object' || error === null || !this.sourceErrors.has(error)) return undefined;
    return tokenSourceFailure(this.sourceErrors.get(error), this.secrets);
  }

  /** An error of ours standing for the source's `error`, which nodemailer may change freely. */
  private wrap(error: unknown): Error {
    const carrier = new Error(error instanceof Error ? error.message : String(error));
    this.sourceErrors.set(carrier, error);
    return carrier;
  }

  private remember(token: string): void {
    if (this.secrets.includes(token)) return;
    this.secrets.unshift(token, xoauth2Text(this.provider.username, token));
    this.secrets.splice(REMEMBERED_TOKENS * 2);
  }
}

/** The XOAUTH2 initial response before base64 (the secret rules find it encoded too). */
function xoauth2Text(user: string, token: string): string {
  return `user=${user}\x01auth=Bearer ${token}\x01\x01`;
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
