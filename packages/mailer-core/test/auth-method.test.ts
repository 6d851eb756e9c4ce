import { createMailer } from '../src/mailer';
import type { OAuth2TokenSource } from '../src/oauth2';
import { authMethodOf, type ProviderConfig } from '../src/provider';
import type { TransportFactoryOptions } from '../src/mailer';
import { smtpProvider } from './support/smtp-fixtures';

describe('authMethodOf', () => {
  it.each<[string, Pick<ProviderConfig, 'authMethod' | 'username'>, string]>([
    ['a username, no method: password', { username: 'app' }, 'password'],
    ['no username, no method: none', { username: '' }, 'none'],
    ['OAuth2 named', { authMethod: 'oauth2', username: 'mailer@contoso.com' }, 'oauth2'],
    ['none named, whatever the username', { authMethod: 'none', username: 'app' }, 'none'],
    [
      'password named without a username (the rules refuse it)',
      { authMethod: 'password', username: '' },
      'password',
    ],
  ])('%s', (_name, provider, expected) => {
    expect(authMethodOf(provider)).toBe(expected);
  });
});

describe('the engine’s OAuth2 token source', () => {
  it('is handed to the transport factory for sends and verifications', async () => {
    const source: OAuth2TokenSource = { accessToken: () => Promise.resolve('token') };
    const seen: Array<TransportFactoryOptions['oauth2']> = [];
    const provider = smtpProvider(
      { host: '127.0.0.1', port: 2525 },
      { authMethod: 'oauth2', username: 'mailer@contoso.com' },
    );
    const mailer = createMailer({
      providers: [provider],
      oauth2: source,
      createTransport: (_provider, options) => {
        seen.push(options.oauth2);
        return {
          send: () => Promise.resolve({ ok: true, accepted: ['ann@example.com'], rejected: [] }),
          verify: () => Promise.resolve({ ok: true, warnings: [] }),
          close: () => Promise.resolve(),
        };
      },
    });

    await mailer.send({ to: 'ann@example.com', subject: 'Hi', text: 'Hello' });
    await mailer.verify(provider);
    await mailer.close();

    expect(seen).toEqual([source, source]);
  });

  it('builds a new transport when the sign-in method changes', async () => {
    let built = 0;
    // Only the method changes: the same mailbox and a password kept from before, unused by OAuth2.
    const providers: ProviderConfig[] = [
      smtpProvider(
        { host: '127.0.0.1', port: 2525 },
        { username: 'mailer@contoso.com', password: 'old-password-kept' },
      ),
    ];
    const mailer = createMailer({
      providers: () => providers,
      createTransport: () => {
        built += 1;
        return {
          send: () => Promise.resolve({ ok: true, accepted: ['ann@example.com'], rejected: [] }),
          verify: () => Promise.resolve({ ok: true, warnings: [] }),
          close: () => Promise.resolve(),
        };
      },
    });
    const first = providers[0];
    if (!first) throw new Error('no provider');

    await mailer.send({ to: 'ann@example.com', subject: 'Hi', text: 'Hello' });
    providers[0] = { ...first, authMethod: 'oauth2' };
    await mailer.send({ to: 'ann@example.com', subject: 'Hi', text: 'Hello' });
    await mailer.close();

    expect(built).toBe(2);
  });
});
