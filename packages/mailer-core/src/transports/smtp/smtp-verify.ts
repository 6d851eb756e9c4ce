import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { classifyFailure } from '../../classify';
import type { Logger } from '../../logger';
import type { ProviderConfig } from '../../provider';
import { configWarnings } from '../../provider-validation';
import type { SendOptions, VerifyOutcome } from '../transport';
import { smtpEvidence } from './smtp-evidence';
import type { SmtpPoolOptions } from './smtp-options';
import { connectSmtpSocket, type CancelConnect } from './smtp-socket';
import type { XOAuth2Tokens } from './xoauth2-tokens';

/** The warning of every verification of a relay with no login. */
export const NO_LOGIN_TRIED =
  'No login was tried: Username and Password are empty, so the relay must accept mail from this server without one (usually by its IP address).';

/**
 * Greeting, EHLO, TLS and AUTH on a connection of its own, then QUIT: nothing is sent. This is what
 * nodemailer's `verify()` does, done here on a connection the transport owns, so that an abort closes it
 * at once and a server that never offers AUTH is reported instead of passing silently. The connection is
 * opened as the pool's sessions open theirs (outbound policy, connect budget), so a server fails
 * verification at the same stage, with the same category and hint, as it fails a send. An `oauth2`
 * provider logs in with XOAUTH2 and a token from `tokens`.
 */
export function verifySmtp(
  provider: ProviderConfig,
  options: SmtpPoolOptions,
  secrets: ReadonlyArray<string>,
  logger: Logger,
  { signal }: SendOptions = {},
  tokens?: XOAuth2Tokens,
): Promise<VerifyOutcome> {
  signal?.throwIfAborted();
  const warnings = configWarnings(provider);
  let connection: SMTPConnection | undefined;
  let cancelConnect: CancelConnect | undefined;

  return new Promise<VerifyOutcome>((resolve, reject) => {
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const fail = (error: unknown): void => {
      if (!settle()) return;
      connection?.close();
      const failure = tokens?.failureOf(error) ?? classifyFailure(smtpEvidence(error), secrets);
      logger.info(
        { providerId: provider.id, category: failure.category, stage: failure.stage },
        'smtp verify failed',
      );
      resolve({ ok: false, failure, warnings });
    };
    const succeed = (extra: string[]): void => {
      if (!settle()) return;
      connection?.quit();
      resolve({ ok: true, warnings: [...warnings, ...extra] });
    };
    const onAbort = (): void => {
      if (!settle()) return;
      cancelConnect?.();
      connection?.close();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    const startSession = (session: SMTPConnection): void => {
      session.once('error', fail);
      session.once('end', () => fail(new Error('Connection closed unexpectedly')));
      session.connect(() => {
        const offersAuth = /^250[ -]AUTH\b/im.test(String(session.lastServerResponse || ''));
        const auth = options.auth;
        if (tokens) {
          if (!offersAuth) {
            succeed([
              'The server did not offer AUTH, so the OAuth2 sign-in was not checked: it may accept mail without a login, or refuse it later.',
            ]);
            return;
          }
          // A login with `oauth2` set takes the XOAUTH2 method, which customAuth performs.
          session.login({ oauth2: {} }, (error) => {
            if (error) fail(error);
            else succeed([]);
          });
          return;
        }
        if (auth && 'user' in auth && 'pass' in auth) {
          if (!offersAuth) {
            succeed([
              'The server did not offer AUTH, so Username and Password were not checked: it may accept mail without a login, or refuse it later.',
            ]);
            return;
          }
          session.login({ user: auth.user, pass: auth.pass }, (error) => {
            if (error) fail(error);
            else succeed([]);
          });
          return;
        }
        // A relay set up with no login: say so, since a pass here proves the greeting and TLS only.
        succeed([
          NO_LOGIN_TRIED,
          ...(offersAuth
            ? ['The server offers AUTH but no Username is set: it may refuse to relay mail without a login.']
            : []),
        ]);
      });
    };

    cancelConnect = connectSmtpSocket(options.socketTarget, (error, socket) => {
      if (error || socket === undefined) {
        fail(error);
        return;
      }
      if (settled) {
        socket.destroy();
        return;
      }
      connection = new SMTPConnection({
        host: options.host,
        port: options.port,
        secure: options.secure,
        secured: options.socketTarget.implicitTls,
        connection: socket,
        requireTLS: options.requireTLS,
        ignoreTLS: options.ignoreTLS,
        greetingTimeout: options.greetingTimeout,
        socketTimeout: options.socketTimeout,
        tls: options.tls,
        logger: false,
        ...(options.customAuth ? { customAuth: options.customAuth } : {}),
      });
      startSession(connection);
    });
  });
}
