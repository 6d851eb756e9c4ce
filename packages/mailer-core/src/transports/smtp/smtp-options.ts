import { Socket } from 'node:net';
import { rootCertificates } from 'node:tls';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { OutboundPolicy } from '../../outbound/outbound-policy';
import { authMethodOf, type ProviderConfig } from '../../provider';
import { ProviderConfigError } from '../../provider-validation';
import { isLoopbackHost } from '../../rules/host';
import type { Timeouts } from '../transport';
import { PIPELINE_ENVELOPE } from './envelope-pipelining';
import { SMTP_MAX_CONNECTIONS, SMTP_MAX_MESSAGES_PER_CONNECTION } from './pool-limits';
import { connectSmtpSocket, type SmtpSocketTarget } from './smtp-socket';
import type { XOAuth2Tokens } from './xoauth2-tokens';

/**
 * nodemailer's pool options, plus `maxRequeues`, which it honours but does not type, and the switch of the
 * engine's envelope pipelining (see installEnvelopePipelining), which its sessions receive with the rest.
 * `socketTarget` is where and how sessions connect (see connectSmtpSocket); verification uses it too.
 */
export type SmtpPoolOptions = SMTPPool.Options & {
  maxRequeues: number;
  [PIPELINE_ENVELOPE]: boolean;
  socketTarget: SmtpSocketTarget;
};

/**
 * nodemailer options for one provider: encryption mode, explicit timeouts (nodemailer's own defaults are
 * minutes long), verified certificates with an optional extra CA, and the provider's login: a password,
 * XOAUTH2 with tokens from `tokens`, or none. Sessions connect through the outbound policy on sockets of
 * our own (see openSocket).
 *
 * @throws {ProviderConfigError} for plain SMTP with a login toward a host that is not loopback, and for
 *   an `oauth2` provider without `tokens` (the engine was given no OAuth2 token source).
 */
export function smtpPoolOptions(
  provider: ProviderConfig,
  timeouts: Timeouts,
  policy: OutboundPolicy,
  tokens?: XOAuth2Tokens,
): SmtpPoolOptions {
  const authMethod = authMethodOf(provider);
  // A secret crosses only with a login (see `auth` below): a relay with no login may be plain.
  if (provider.encryption === 'none' && authMethod !== 'none' && !isLoopbackHost(provider.host)) {
    throw new ProviderConfigError(provider.id, [
      {
        field: 'encryption',
        message:
          'Plain SMTP (None) with a login is allowed toward loopback hosts only: choose STARTTLS on 587 or SSL/TLS on 465.',
      },
    ]);
  }
  const tls = tlsOptions(provider);
  const socketTarget: SmtpSocketTarget = {
    host: provider.host,
    port: provider.port,
    implicitTls: provider.encryption === 'ssl_tls',
    tls,
    connectMs: timeouts.connectMs,
    policy,
  };
  const options: SmtpPoolOptions = {
    pool: true,
    maxConnections: SMTP_MAX_CONNECTIONS,
    maxMessages: SMTP_MAX_MESSAGES_PER_CONNECTION,
    // The engine decides where a message goes next; a pool that silently resends after a dropped
    // connection would turn one possible duplicate into several.
    maxRequeues: 0,
    // MAIL FROM, RCPT TO and DATA in one round trip where the server offers PIPELINING.
    [PIPELINE_ENVELOPE]: true,
    host: provider.host,
    port: provider.port,
    secure: provider.encryption === 'ssl_tls',
    requireTLS: provider.encryption === 'starttls',
    ignoreTLS: provider.encryption === 'none',
    connectionTimeout: timeouts.connectMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
    dnsTimeout: timeouts.connectMs,
    tls,
    socketTarget,
    getSocket: openSocket(socketTarget),
    // Messages are built from bytes in memory; nothing may pull in a local file or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  };
  if (authMethod === 'password') {
    options.auth = { user: provider.username, pass: provider.password };
    options.customAuth = { XOAUTH2: refuseXOAuth2WithPassword };
  } else if (authMethod === 'oauth2') {
    if (!tokens) {
      throw new ProviderConfigError(provider.id, [
        {
          field: 'authMethod',
          message:
            'This provider signs in with OAuth2, but the engine was given no OAuth2 token source (the oauth2 option of createMailer).',
        },
      ]);
    }
    // Every new session logs in through the custom XOAUTH2 exchange (see XOAuth2Tokens).
    options.auth = { type: 'OAuth2', user: provider.username };
    options.customAuth = { XOAUTH2: tokens.authenticate };
  }
  return options;
}

/**
 * nodemailer logs in with the first method a server lists; when that is XOAUTH2 and there is no token, its
 * own XOAUTH2 code throws outside any callback and takes the process down. Registered as the XOAUTH2
 * exchange of password logins, this ends such a login as a refusal instead.
 */
function refuseXOAuth2WithPassword(): Promise<never> {
  return Promise.reject(
    new Error(
      'The server lists XOAUTH2 first among its login methods, and this provider signs in with a password: sign in with OAuth2, or use a port where the server takes password logins.',
    ),
  );
}

function tlsOptions(provider: ProviderConfig): NonNullable<SMTPPool.Options['tls']> {
  const tls: NonNullable<SMTPPool.Options['tls']> = {
    rejectUnauthorized: provider.tls?.rejectUnauthorized ?? true,
    minVersion: 'TLSv1.2',
  };
  if (provider.tls?.ca !== undefined) tls.ca = withPublicRoots(provider.tls.ca);
  if (provider.tls?.servername !== undefined) tls.servername = provider.tls.servername;
  return tls;
}

/** Node replaces its bundled roots when `ca` is given; keep them so a public certificate still verifies. */
function withPublicRoots(ca: string | Buffer | Array<string | Buffer>): Array<string | Buffer> {
  return [...rootCertificates, ...(Array.isArray(ca) ? ca : [ca])];
}

type GetSocket = NonNullable<SMTPPool.Options['getSocket']>;

/**
 * nodemailer resolves and connects by itself with no hook for checking the address, and starts its greeting
 * timer as soon as it is handed a socket. So each session gets a socket of ours, handed over only once it
 * is connected (TLS included for SSL/TLS, which nodemailer is told is `secured`): the outbound policy has
 * judged its address and the connect budget has been enforced with a connect-stage error of its own.
 */
function openSocket(target: SmtpSocketTarget): GetSocket {
  return (_options, callback) => {
    connectSmtpSocket(target, (error, socket) => {
      if (!error) {
        callback(null, { connection: socket, secured: target.implicitTls });
        return;
      }
      // A failure goes to the session through its socket, not through the callback: nodemailer's pool frees
      // a session's slot when the session fails, but not when getSocket reports an error (no session has
      // started), so every refused or timed-out connection would hold a slot for good and, once all
      // were held, later messages would wait forever.
      const failed = new Socket();
      callback(null, { connection: failed, secured: target.implicitTls });
      setImmediate(() => failed.destroy(error));
    });
  };
}
