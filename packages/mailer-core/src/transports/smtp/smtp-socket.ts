import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { guardedLookup, OutboundRefusedError } from '../../outbound/guarded-lookup';
import { bareAddress } from '../../outbound/ip-address';
import { literalRefusal, type OutboundPolicy } from '../../outbound/outbound-policy';
import type { Stage } from '../../result';
import { coalesceWrites } from './write-coalescing';

/** Where an SMTP session connects and how long it may take. */
export interface SmtpSocketTarget {
  host: string;
  port: number;
  /** SSL/TLS: the TLS handshake is part of connecting. */
  implicitTls: boolean;
  /** Certificate checks, CA and server name for the handshake. */
  tls: ConnectionOptions;
  /** For the TCP connection, DNS included, and the implicit TLS handshake together. */
  connectMs: number;
  policy: OutboundPolicy;
}

/**
 * A failure before the session could start, shaped as nodemailer shapes its own connection errors (`code`,
 * `command` CONN, Node's error as `cause`), so that it is classified as nodemailer's would be. `stage` says
 * how far the connection got.
 */
export class SmtpConnectError extends Error {
  readonly command = 'CONN';
  /** `code` as given: nodemailer overwrites `code` with its own (ESOCKET) when the session reports the error. */
  readonly connectCode: string;
  constructor(
    message: string,
    readonly code: string,
    readonly stage: Extract<Stage, 'connect' | 'tls'>,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'SmtpConnectError';
    this.connectCode = code;
  }
}

/** Cancels a connection still being made; its callback is not called afterwards. */
export type CancelConnect = () => void;

/**
 * Connects for an SMTP session and calls back with a socket only once it is connected (and, for SSL/TLS,
 * once the handshake is done), so that nodemailer starts its greeting timer on a live connection. Until
 * then the budget is `connectMs`; past it the attempt fails as nodemailer's connection timeout does, at the
 * connect stage. Every address is put to the outbound policy first (literals here, names through the DNS
 * lookup), and nothing is sent to a refused one. Nagle's algorithm is off (else each message waits on the
 * server's delayed ACK), and a plain connection's writes of one event-loop turn leave together.
 */
export function connectSmtpSocket(
  target: SmtpSocketTarget,
  done: (error: SmtpConnectError | null, socket?: Socket) => void,
): CancelConnect {
  const host = bareAddress(target.host);
  let settled = false;
  const refusal = literalRefusal(target.policy, host);
  if (refusal !== undefined) {
    const error = refusedError(new OutboundRefusedError(refusal));
    setImmediate(() => {
      if (!settled) done(error);
      settled = true;
    });
    return () => {
      settled = true;
    };
  }

  const raw = connectTcp({ host, port: target.port, lookup: guardedLookup(target.policy), noDelay: true });
  let socket: Socket = raw;
  let stage: 'connect' | 'tls' = 'connect';

  const finish = (error: SmtpConnectError | null): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    raw.removeListener('error', onError);
    socket.removeListener('error', onError);
    if (error) {
      socket.destroy();
      raw.destroy();
      done(error);
      return;
    }
    socket.setKeepAlive(true);
    done(null, socket);
  };
  const onError = (error: Error): void => finish(connectFailure(error, stage));
  const timer = setTimeout(() => {
    const during = stage === 'tls' ? ' during the TLS handshake' : '';
    finish(new SmtpConnectError(`Connection timeout${during}`, 'ETIMEDOUT', 'connect'));
  }, target.connectMs);

  raw.once('error', onError);
  raw.once('connect', () => {
    if (!target.implicitTls) {
      coalesceWrites(raw);
      finish(null);
      return;
    }
    stage = 'tls';
    const servername = target.tls.servername ?? (isIP(host) === 0 ? host : undefined);
    const secure = connectTls({ ...target.tls, socket: raw, host, ...(servername ? { servername } : {}) });
    socket = secure;
    secure.once('error', onError);
    secure.once('secureConnect', () => finish(null));
  });

  return () => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    socket.destroy();
    raw.destroy();
  };
}

function refusedError(error: OutboundRefusedError): SmtpConnectError {
  return new SmtpConnectError(error.message, error.code, 'connect', error);
}

/** Node's error as nodemailer would report it: `ETLS` for the handshake, Node's own code otherwise. */
function connectFailure(error: Error, stage: 'connect' | 'tls'): SmtpConnectError {
  if (error instanceof OutboundRefusedError) return refusedError(error);
  if (stage === 'tls') return new SmtpConnectError(error.message, 'ETLS', 'tls', error);
  const code = Reflect.get(error, 'code');
  return new SmtpConnectError(
    error.message,
    typeof code === 'string' ? code : 'ECONNECTION',
    'connect',
    error,
  );
}
