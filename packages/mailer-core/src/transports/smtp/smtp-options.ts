import { rootCertificates } from 'node:tls';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { ProviderConfig } from '../../provider';
import { ProviderConfigError, isLoopbackHost } from '../../provider-validation';
import type { Timeouts } from '../transport';
import { connectCoalescing } from './coalescing-socket';
import { PIPELINE_ENVELOPE } from './envelope-pipelining';
import { SMTP_MAX_CONNECTIONS, SMTP_MAX_MESSAGES_PER_CONNECTION } from './pool-limits';

/**
 * nodemailer's pool options, plus `maxRequeues`, which it honours but does not type, and the switch of the
 * engine's envelope pipelining (see installEnvelopePipelining), which its sessions receive with the rest.
 */
export type SmtpPoolOptions = SMTPPool.Options & { maxRequeues: number; [PIPELINE_ENVELOPE]: boolean };

/**
 * nodemailer options for one provider: encryption mode, explicit timeouts (nodemailer's own defaults are
 * minutes long), verified certificates with an optional extra CA, and login unless Username is empty.
 *
 * @throws {ProviderConfigError} for plain SMTP toward a host that is not loopback.
 */
export function smtpPoolOptions(provider: ProviderConfig, timeouts: Timeouts): SmtpPoolOptions {
  if (provider.encryption === 'none' && !isLoopbackHost(provider.host)) {
    throw new ProviderConfigError(provider.id, [
      {
        field: 'encryption',
        message:
          'Plain SMTP (None) is allowed toward loopback hosts only: choose STARTTLS on 587 or SSL/TLS on 465.',
      },
    ]);
  }
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
    tls: tlsOptions(provider),
    // Sessions start on a socket of our own, with Nagle off (see openSocket).
    getSocket: openSocket(provider),
    // Messages are built from bytes in memory; nothing may pull in a local file or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  };
  if (provider.username !== '') {
    options.auth = { user: provider.username, pass: provider.password };
  }
  return options;
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
 * nodemailer opens plain sockets with Nagle's algorithm on and offers no option to turn it off, so each
 * message stalls on the server's delayed ACK (about 40 ms). It does accept a socket of ours: nodemailer
 * still applies its timeouts and wraps the socket in TLS, implicitly or by STARTTLS, as configured. Ours
 * has Nagle off and sends the writes of one event-loop turn together (see connectCoalescing).
 */
function openSocket(provider: ProviderConfig): GetSocket {
  return (_options, callback) => {
    callback(null, { connection: connectCoalescing(provider.host, provider.port) });
  };
}
