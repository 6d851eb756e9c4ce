import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { createMailer, type Mailer } from '../src/mailer';
import { OAuth2GrantError, type OAuth2TokenSource } from '../src/oauth2';
import type { Logger } from '../src/logger';
import type { ProviderConfig } from '../src/provider';
import {
  startOAuthServerEmulator,
  startSmtpTestServer,
  type OAuthServerEmulator,
  type SmtpTestServer,
  type SmtpXOAuth2Options,
  secretEchoes,
  secretRevealedIn,
} from '../src/test-support';
import { EmulatorTokenSource } from './support/emulator-token-source';
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

/**
 * Speaks to the server over a raw connection: after the greeting, sends each command and reads its whole
 * reply (the lines up to one with a space after the code). Returns the replies in order.
 */
async function dialogue(server: SmtpTestServer, commands: string[]): Promise<string[][]> {
  const socket = connect(server.port, server.host);
  socket.setEncoding('utf8');
  let buffered = '';
  const nextReply = (): Promise<string[]> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const end = buffered.search(/^\d{3} .*\r\n/m);
        if (end < 0) return;
        const stop = buffered.indexOf('\r\n', end) + 2;
        const reply = buffered
          .slice(0, stop)
          .split('\r\n')
          .filter((line) => line !== '');
        buffered = buffered.slice(stop);
        socket.off('data', onData);
        resolve(reply);
      };
      const onData = (chunk: string): void => {
        buffered += chunk;
        check();
      };
      socket.on('data', onData);
      socket.once('error', reject);
      check();
    });
  try {
    await nextReply();
    const replies: string[][] = [];
    for (const command of commands) {
      socket.write(`${command}\r\n`);
      replies.push(await nextReply());
    }
    return replies;
  } finally {
    socket.destroy();
  }
}

function xoauth2Blob(user: string, token: string): string {
  return Buffer.from(`user=${user}\x01auth=Bearer ${token}\x01\x01`).toString('base64');
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

  it.each(['challenge', 'reply'] as const)(
    'gives up after one refresh when the fresh token is refused too (%s refusal)',
    async (refusal) => {
      const tokens = new TestTokens();
      const server = await xoauth2Server(tokens, refusal);
      tokens.refusedByServer = true;

      const result = await engine([oauthProvider(server)], tokens).send(message);

      expect(result.ok).toBe(false);
      expect(tokens.forcedRefreshes).toBe(1);
      expect(server.logins.map((login) => login.ok)).toEqual([false, false]);
      expect(result.failure?.category).toBe('AUTH');
      expect(result.failure?.hint.en).toMatch(/OAuth2 access token/);
    },
  );

  it('sends refused at the same time share one forced refresh', async () => {
    const tokens = new TestTokens();
    const server = await xoauth2Server(tokens, 'reply');
    tokens.expire();
    const mailer = engine([oauthProvider(server)], tokens);

    const results = await Promise.all([1, 2, 3].map(() => mailer.send(message)));

    expect(results.map((result) => result.ok)).toEqual([true, true, true]);
    expect(tokens.forcedRefreshes).toBe(1);
    expect(server.messages).toHaveLength(3);
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

describe('access tokens in what the server says', () => {
  it('are taken out of failures and logs in every form the server may echo them', async () => {
    const tokens = new TestTokens();
    const server = await xoauth2Server(tokens, 'reply');
    tokens.refusedByServer = true;
    const stale = tokens.current;
    const echoes = secretEchoes(stale, MAILBOX).filter((echo) => !/[\r\n\x80-\xff]/.test(echo.text));
    server.fail({
      auth: {
        code: 535,
        message: `5.7.3 Authentication unsuccessful for ${echoes.map((echo) => echo.text).join(' ')}`,
      },
    });
    const lines: string[] = [];
    const record = (object: unknown, text?: string): void => {
      lines.push(JSON.stringify(object) + (text ?? ''));
    };
    const logger: Logger = { debug: record, info: record, warn: record, error: record };
    const mailer = createMailer({ providers: [oauthProvider(server)], oauth2: tokens, logger });
    mailers.push(mailer);

    const result = await mailer.send(message);

    expect(result.failure?.category).toBe('AUTH');
    expect(result.failure?.message).toContain('[redacted]');
    for (const text of [JSON.stringify(result), ...lines]) {
      expect(secretRevealedIn(text, stale)).toEqual([]);
    }
  });
});

describe('verifying with XOAUTH2', () => {
  it('passes with the current token and sends nothing', async () => {
    const tokens = new TestTokens();
    const server = await xoauth2Server(tokens);

    const result = await engine([], tokens).verify(oauthProvider(server));

    expect(result).toMatchObject({ ok: true, warnings: [] });
    expect(server.logins).toEqual([{ method: 'XOAUTH2', username: MAILBOX, ok: true }]);
    expect(server.messages).toHaveLength(0);
  });

  it.each(['challenge', 'reply'] as const)(
    'refreshes once when the token is refused (%s refusal), then passes',
    async (refusal) => {
      const tokens = new TestTokens();
      const server = await xoauth2Server(tokens, refusal);
      tokens.expire();

      const result = await engine([], tokens).verify(oauthProvider(server));

      expect(result.ok).toBe(true);
      expect(tokens.forcedRefreshes).toBe(1);
    },
  );

  it('fails with AUTH and the reconnect hint when the grant is dead', async () => {
    const tokens = new TestTokens();
    const server = await xoauth2Server(tokens);
    tokens.failure = new OAuth2GrantError('invalid_grant');

    const result = await engine([], tokens).verify(oauthProvider(server));

    expect(result.ok).toBe(false);
    expect(result.failure).toMatchObject({ category: 'AUTH', stage: 'auth' });
    expect(result.failure?.hint.en).toMatch(/click Reconnect/);
    expect(server.logins).toEqual([]);
  });

  it('fails as a passing outage when the token endpoint is down', async () => {
    const tokens = new TestTokens();
    const server = await xoauth2Server(tokens);
    tokens.failure = new Error('The token endpoint answered 503.');

    const result = await engine([], tokens).verify(oauthProvider(server));

    expect(result.failure).toMatchObject({
      category: 'PROVIDER_UNAVAILABLE',
      fallback: true,
      retryable: true,
    });
    expect(result.failure?.message).toBe('The token endpoint answered 503.');
  });

  it('is a CONFIG failure when the engine has no token source', async () => {
    const tokens = new TestTokens();
    const server = await xoauth2Server(tokens);
    const mailer = createMailer({ providers: [] });
    mailers.push(mailer);

    const result = await mailer.verify(oauthProvider(server));

    expect(result.failure?.category).toBe('CONFIG');
    expect(result.failure?.message).toMatch(/no OAuth2 token source/);
    expect(server.connectionCount).toBe(0);
  });
});

describe('the XOAUTH2-only test server', () => {
  it('offers XOAUTH2 and no other login', async () => {
    const server = await xoauth2Server(new TestTokens());

    const [ehlo, plain] = await dialogue(server, ['EHLO client.test', 'AUTH PLAIN AGFubgBzZWNyZXQ=']);

    expect(ehlo?.filter((line) => /^250[ -]AUTH\b/.test(line))).toEqual([
      expect.stringMatching(/^250[ -]AUTH XOAUTH2$/),
    ]);
    expect(plain?.[0]).toMatch(/^504 /);
    expect(server.logins).toEqual([]);
  });

  it.each<[SmtpXOAuth2Options['refusal'], string[]]>([
    ['challenge', ['334', '535']],
    ['reply', ['535']],
  ])('answers a refused token with a %s', async (refusal, codes) => {
    const tokens = new TestTokens();
    const server = await xoauth2Server(tokens, refusal);
    const commands = ['EHLO client.test', `AUTH XOAUTH2 ${xoauth2Blob(MAILBOX, 'stale-token')}`];
    if (refusal === 'challenge') commands.push('');

    const replies = await dialogue(server, commands);

    expect(replies.slice(1).map((reply) => reply[0]?.slice(0, 3))).toEqual(codes);
    expect(server.logins).toEqual([{ method: 'XOAUTH2', username: MAILBOX, ok: false }]);
  });

  it('accepts the current token for the mailbox only', async () => {
    const tokens = new TestTokens();
    const server = await xoauth2Server(tokens, 'reply');

    const [, other, right] = await dialogue(server, [
      'EHLO client.test',
      `AUTH XOAUTH2 ${xoauth2Blob('someone@contoso.test', tokens.current)}`,
      `AUTH XOAUTH2 ${xoauth2Blob(MAILBOX, tokens.current)}`,
    ]);

    expect(other?.[0]).toMatch(/^535 5\.7\.3 /);
    expect(right?.[0]).toMatch(/^235 /);
  });

  it('ends a password login that the server would take as XOAUTH2 as a refusal, for sends and verifications', async () => {
    const server = await xoauth2Server(new TestTokens());
    const provider = smtpProvider(server, { username: 'app', password: 'relay-password' });
    const mailer = engine([provider], new TestTokens());

    const verified = await mailer.verify(provider);
    const sent = await mailer.send(message);

    for (const failure of [verified.failure, sent.failure]) {
      expect(failure).toMatchObject({ category: 'AUTH', stage: 'auth' });
      expect(failure?.message).toMatch(/lists XOAUTH2 first/);
    }
    expect(server.logins).toEqual([]);
  });

  it('refuses mail from a client that does not sign in', async () => {
    const tokens = new TestTokens();
    const server = await xoauth2Server(tokens);

    const result = await engine([smtpProvider(server)], tokens).send(message);

    expect(result.ok).toBe(false);
    expect(result.failure?.category).toBe('AUTH');
    expect(server.messages).toHaveLength(0);
  });
});

describe('with the OAuth2 emulator as the authorization server', () => {
  let oauth: OAuthServerEmulator;

  beforeEach(async () => {
    oauth = await startOAuthServerEmulator({ email: MAILBOX });
  });

  afterEach(async () => {
    await oauth.close();
  });

  async function emulatedServer(refusal?: SmtpXOAuth2Options['refusal']): Promise<SmtpTestServer> {
    const xoauth2: SmtpXOAuth2Options = {
      isValid: (user, token) => oauth.isCurrentAccessToken(token, user),
    };
    if (refusal) xoauth2.refusal = refusal;
    const server = await startSmtpTestServer({ xoauth2 });
    servers.push(server);
    return server;
  }

  it.each(['challenge', 'reply'] as const)(
    'an expired access token is refreshed once and the send succeeds (%s refusal)',
    async (refusal) => {
      const server = await emulatedServer(refusal);
      const provider = oauthProvider(server);
      const source = new EmulatorTokenSource(oauth);
      source.connect(provider.id, oauth.issueTokens());
      const mailer = engine([provider], source);
      expect((await mailer.send(message)).ok).toBe(true);

      oauth.expireAccessTokens();
      await mailer.close();
      const next = engine([provider], source);
      const result = await next.send(message);

      expect(result.ok).toBe(true);
      expect(oauth.refreshCount()).toBe(1);
      expect(source.requests.filter((request) => request.forceRefresh)).toHaveLength(1);
      expect(server.messages).toHaveLength(2);
    },
  );

  it('a revoked grant gives AUTH with the reconnect hint, and the chain falls back', async () => {
    const server = await emulatedServer();
    const backup = await passwordServer();
    const provider = oauthProvider(server, { priority: 1 });
    const fallback = smtpProvider(backup, {
      username: 'relay',
      password: 'relay-password',
      serviceType: 'fallback',
      priority: 2,
    });
    const source = new EmulatorTokenSource(oauth);
    const grant = oauth.issueTokens();
    source.connect(provider.id, grant);
    oauth.revoke(grant.refresh_token);

    const result = await engine([provider, fallback], source).send(message);

    expect(result).toMatchObject({ ok: true, deliveredBy: fallback.id });
    expect(result.attempts[0]?.failure).toMatchObject({ category: 'AUTH', fallback: true });
    expect(result.attempts[0]?.failure?.hint.en).toMatch(
      /revoked or expired — open the provider in Security > Mail Providers and click Reconnect/,
    );
    expect(oauth.refreshCount()).toBe(1);
    expect(backup.messages).toHaveLength(1);
    const serialised = JSON.stringify(result);
    expect(serialised).not.toContain(grant.access_token);
    expect(serialised).not.toContain(grant.refresh_token);
  });
});
