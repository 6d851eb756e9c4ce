import { randomBytes } from 'node:crypto';
import { createMailer, type Mailer } from '../src/mailer';
import { OAuth2GrantError, type OAuth2TokenSource } from '../src/oauth2';
import type { ProviderConfig } from '../src/provider';
import { startSmtpTestServer, type SmtpTestServer, type SmtpXOAuth2Options } from '../src/test-support';
import { smtpProvider } from './support/smtp-fixtures';

// Providers that sign in with OAuth2 against a real smtp-server on loopback offering XOAUTH2 only. The
// token source here is a stand-in for the application's: it hands out tokens and can be told to fail.

const MAILBOX = 'mailer@contoso.test';
const message = { to: 'ann@example.com', subject: 'Signed in with OAuth2', text: 'Hello.' };

/** A token source whose tokens the server below checks; `current` is the one the server accepts. */
class TestTokens implements OAuth2TokenSource {
  current = newToken();
  /** What the source hands out without a forced refresh (a cached token, possibly stale). */
  cached = this.current;
  readonly calls: Array<{ providerId: string; forceRefresh: boolean }> = [];
  failure: Error | undefined;
  /** The server refuses every token (the mailbox lost its SMTP permission). */
  refusedByServer = false;

  async accessToken(providerId: string, options?: { forceRefresh?: boolean }): Promise<string> {
    const forceRefresh = options?.forceRefresh === true;
    this.calls.push({ providerId, forceRefresh });
    if (this.failure) throw this.failure;
    if (forceRefresh) this.cached = this.current;
    return this.cached;
  }

  /** The server stops accepting the cached token (it expired); the next refresh gets a new one. */
  expire(): void {
    this.current = newToken();
  }

  get forcedRefreshes(): number {
    return this.calls.filter((call) => call.forceRefresh).length;
  }
}

function newToken(): string {
  return 'at-' + randomBytes(12).toString('hex');
}

const servers: SmtpTestServer[] = [];
const mailers: Mailer[] = [];

afterEach(async () => {
  await Promise.all(mailers.splice(0).map((mailer) => mailer.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function xoauth2Server(
  tokens: TestTokens,
  refusal?: SmtpXOAuth2Options['refusal'],
): Promise<SmtpTestServer> {
  const xoauth2: SmtpXOAuth2Options = {
    isValid: (user, token) => !tokens.refusedByServer && user === MAILBOX && token === tokens.current,
  };
  if (refusal) xoauth2.refusal = refusal;
  const server = await startSmtpTestServer({ xoauth2 });
  servers.push(server);
  return server;
}

async function passwordServer(): Promise<SmtpTestServer> {
  const server = await startSmtpTestServer({ users: { relay: 'relay-password' } });
  servers.push(server);
  return server;
}

function oauthProvider(server: SmtpTestServer, overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  return smtpProvider(server, { authMethod: 'oauth2', username: MAILBOX, password: '', ...overrides });
}

function engine(providers: ProviderConfig[], oauth2: OAuth2TokenSource): Mailer {
  const mailer = createMailer({ providers, oauth2 });
  mailers.push(mailer);
  return mailer;
}

describe('sending with XOAUTH2', () => {
  it('signs in as the mailbox with the current token and delivers', async () => {
    const tokens = new TestTokens();
    const server = await xoauth2Server(tokens);
    const provider = oauthProvider(server);

    const result = await engine([provider], tokens).send(message);

    expect(result.ok).toBe(true);
    expect(server.logins).toEqual([{ method: 'XOAUTH2', username: MAILBOX, ok: true }]);
    expect(server.messages[0]?.authUser).toBe(MAILBOX);
    expect(tokens.calls).toEqual([{ providerId: provider.id, forceRefresh: false }]);
  });

  it.each(['challenge', 'reply'] as const)(
    'refreshes once and delivers when the server refuses an expired token (%s refusal)',
    async (refusal) => {
      const tokens = new TestTokens();
      const server = await xoauth2Server(tokens, refusal);
      tokens.expire();

      const result = await engine([oauthProvider(server)], tokens).send(message);

      expect(result.ok).toBe(true);
      expect(result.attempts).toHaveLength(1);
      expect(tokens.forcedRefreshes).toBe(1);
      expect(server.logins.map((login) => login.ok)).toEqual([false, true]);
      expect(server.messages).toHaveLength(1);
    },
  );

  it('gives up after one refresh when the fresh token is refused too', async () => {
    const tokens = new TestTokens();
    const server = await xoauth2Server(tokens, 'reply');
    tokens.refusedByServer = true;

    const result = await engine([oauthProvider(server)], tokens).send(message);

    expect(result.ok).toBe(false);
    expect(tokens.forcedRefreshes).toBe(1);
    expect(server.logins.map((login) => login.ok)).toEqual([false, false]);
    expect(result.failure?.category).toBe('AUTH');
    expect(result.failure?.hint.en).toMatch(/OAuth2 access token/);
  });

  it('falls back with AUTH and the reconnect hint when the grant is dead', async () => {
    const tokens = new TestTokens();
    const oauthServer = await xoauth2Server(tokens);
    const backup = await passwordServer();
    tokens.failure = new OAuth2GrantError('invalid_grant');
    const providers = [
      oauthProvider(oauthServer, { priority: 1 }),
      smtpProvider(backup, {
        username: 'relay',
        password: 'relay-password',
        serviceType: 'fallback',
        priority: 2,
      }),
    ];

    const result = await engine(providers, tokens).send(message);

    expect(result.ok).toBe(true);
    expect(result.deliveredBy).toBe(providers[1]?.id);
    const failure = result.attempts[0]?.failure;
    expect(failure?.category).toBe('AUTH');
    expect(failure?.fallback).toBe(true);
    expect(failure?.hint.en).toContain(
      'The OAuth2 sign-in of this provider was revoked or expired — open the provider in Security > Mail Providers and click Reconnect.',
    );
    expect(failure?.hint.tr).toContain('Yeniden bağlan');
    expect(oauthServer.logins).toEqual([]);
  });
});
