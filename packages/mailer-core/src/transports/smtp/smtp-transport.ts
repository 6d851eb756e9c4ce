import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { classifyFailure } from '../../classify';
import type { Logger } from '../../logger';
import type { Envelope } from '../../message';
import { PRIVATE_NETWORKS_ALLOWED, type OutboundPolicy } from '../../outbound/outbound-policy';
import type { OAuth2TokenSource } from '../../oauth2';
import { authMethodOf, type ProviderConfig } from '../../provider';
import type { Failure, TransportResult } from '../../result';
import type { SendOptions, Timeouts, Transport, VerifyOutcome } from '../transport';
import {
  installEnvelopePipelining,
  nodemailerVersion,
  PIPELINING_NODEMAILER_RELEASE,
} from './envelope-pipelining';
import { HandoverTracker } from './handover-tracker';
import { mailOptions } from './mail-options';
import { rejectedRecipients, smtpEvidence } from './smtp-evidence';
import { smtpPoolOptions } from './smtp-options';
import { verifySmtp } from './smtp-verify';
import { XOAuth2Tokens } from './xoauth2-tokens';

/** Whether this process has said that its SMTP sessions run without envelope pipelining (said once). */
let stockSessionsWarned = false;

/** What the SMTP transport needs besides the provider. */
export interface SmtpTransportOptions {
  timeouts: Timeouts;
  /** Receives only redacted data; the password is never handed to it. */
  logger: Logger;
  /** Which addresses sessions may connect to. Default: every private network; never link-local or metadata. */
  outbound?: OutboundPolicy;
  /** Access tokens for a provider whose `authMethod` is `oauth2`; required for such a provider. */
  oauth2?: OAuth2TokenSource;
}

/**
 * The transport for a provider reached over SMTP: nodemailer with a connection pool per provider.
 *
 * Encryption `ssl_tls` is TLS from the first byte, `starttls` requires the upgrade, `none` is plain and
 * allowed toward loopback hosts only. Every connection goes to an address `options.outbound` allows, and
 * `timeouts.connectMs` bounds DNS, TCP and the SSL/TLS handshake together, for sends and verification alike. Certificates are verified; `provider.tls.ca` adds a CA to trust.
 * Delivery failures come back classified (see `classifyFailure`); a failure after the content was
 * handed over is `AMBIGUOUS`. An abort rejects with the signal's reason at once and fails the message on
 * the session carrying it (or as soon as a session picks it up), so the server never gets the final dot;
 * only an abort after the whole content went out cannot take the message back.
 *
 * A provider with `authMethod: 'oauth2'` signs in with XOAUTH2 as its Username, with a token from
 * `options.oauth2` per session; when the server refuses it, the source is asked once with `forceRefresh`
 * and the send (or verification) is tried once more. A source's error is classified like a refusal
 * (`OAuth2GrantError`: AUTH with the reconnect hint; anything else: PROVIDER_UNAVAILABLE).
 *
 * @throws {ProviderConfigError} for plain SMTP with a login toward a host that is not loopback, and for an
 *   `oauth2` provider without `options.oauth2`.
 *
 * @example
 * const transport = createSmtpTransport(provider, { timeouts: DEFAULT_TIMEOUTS, logger: silentLogger });
 * const result = await transport.send(envelope, { signal });
 * await transport.close();
 */
export function createSmtpTransport(provider: ProviderConfig, options: SmtpTransportOptions): Transport {
  const tokens =
    authMethodOf(provider) === 'oauth2' && options.oauth2
      ? new XOAuth2Tokens(provider, options.oauth2)
      : undefined;
  const poolOptions = smtpPoolOptions(
    provider,
    options.timeouts,
    options.outbound ?? PRIVATE_NETWORKS_ALLOWED,
    tokens,
  );
  // An OAuth2 provider's secrets are its latest access tokens, kept up to date in place.
  const secrets = tokens ? tokens.secrets : secretsOf(provider);
  const { logger } = options;
  if (!installEnvelopePipelining() && !stockSessionsWarned) {
    stockSessionsWarned = true;
    logger.warn(
      { nodemailer: nodemailerVersion(), checkedWith: PIPELINING_NODEMAILER_RELEASE },
      'nodemailer is not the release envelope pipelining was checked against; SMTP sessions send one command per round trip',
    );
  }
  const trackers = new WeakMap<object, HandoverTracker>();
  let closed = false;

  const transporter = nodemailer.createTransport<SMTPPool.SentMessageInfo>(poolOptions);
  // nodemailer hands every message stream to this step just before sending it; the headers object is
  // fresh per send, so it finds the tracker of that send.
  transporter.use('stream', (mail, done) => {
    const tracker = mail.data.headers !== undefined ? trackers.get(mail.data.headers) : undefined;
    if (tracker) mail.message.processFunc((input) => tracker.watch(input));
    done();
  });

  function send(envelope: Envelope, sendOptions: SendOptions = {}): Promise<TransportResult> {
    if (!tokens) return sendOnce(envelope, sendOptions);
    return tokens.retryRefused(
      () => sendOnce(envelope, sendOptions),
      (failure) => ({ ok: false, failure }),
    );
  }

  async function sendOnce(envelope: Envelope, sendOptions: SendOptions): Promise<TransportResult> {
    const { signal } = sendOptions;
    signal?.throwIfAborted();
    if (closed) throw new Error(`SMTP transport of provider ${provider.id} is closed.`);
    const mail = mailOptions(envelope);
    const tracker = new HandoverTracker();
    if (mail.headers !== undefined) trackers.set(mail.headers, tracker);

    let onAbort: (() => void) | undefined;
    let outcome = transporter.sendMail(mail);
    if (signal) {
      const aborted = new Promise<never>((_resolve, reject) => {
        onAbort = () => {
          const reason: unknown = signal.reason;
          tracker.abort(reason instanceof Error ? reason : new Error('The send was aborted.'));
          reject(reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
      });
      // The abort may win the race; the send's own outcome must not then surface as an unhandled rejection.
      outcome.catch(() => undefined);
      outcome = Promise.race([outcome, aborted]);
    }

    try {
      const info = await outcome;
      const rejected = rejectedRecipients(
        errorList(info, 'rejectedErrors'),
        info.rejected.map(addressOf),
        secrets,
      );
      logger.debug(
        {
          providerId: provider.id,
          messageId: envelope.messageId,
          accepted: info.accepted.length,
          rejected: rejected.length,
        },
        'smtp message accepted',
      );
      const result: TransportResult = { ok: true, accepted: info.accepted.map(addressOf), rejected };
      const queueId = queueIdOf(info.response);
      if (queueId !== undefined) result.providerMessageId = queueId;
      return result;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const failure = failureOf(error, tracker);
      logger.info(
        {
          providerId: provider.id,
          messageId: envelope.messageId,
          category: failure.category,
          stage: failure.stage,
          smtpCode: failure.smtpCode,
        },
        'smtp send failed',
      );
      return { ok: false, failure };
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  function failureOf(error: unknown, tracker: HandoverTracker): Failure {
    const tokenFailure = tokens?.failureOf(error);
    if (tokenFailure) return tokenFailure;
    // Every recipient refused: if one refusal is the provider's (relay denied, throttling), that one
    // decides, because another provider may deliver to all of them.
    const recipientErrors = errorList(error, 'rejectedErrors');
    if (recipientErrors.length > 0) {
      const failures = recipientErrors.map((recipientError) =>
        classifyFailure(smtpEvidence(recipientError), secrets),
      );
      const first = failures[0];
      const decisive = failures.find((failure) => failure.fallback) ?? first;
      if (decisive) return decisive;
    }
    return classifyFailure(smtpEvidence(error, tracker.stage()), secrets);
  }

  return {
    send,
    verify(verifyOptions?: SendOptions): Promise<VerifyOutcome> {
      const attempt = (): Promise<VerifyOutcome> =>
        verifySmtp(provider, poolOptions, secrets, logger, verifyOptions, tokens);
      if (!tokens) return attempt();
      return tokens.retryRefused(attempt, (failure) => ({ ok: false, failure, warnings: [] }));
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      transporter.close();
    },
  };
}

/** The password in every form an SMTP exchange may carry it (AUTH PLAIN joins it with the username). */
function secretsOf(provider: ProviderConfig): string[] {
  if (provider.password === '') return [];
  return [
    provider.password,
    `\0${provider.username}\0${provider.password}`,
    `${provider.username}\0${provider.password}`,
  ];
}

function errorList(error: unknown, key: string): unknown[] {
  if (typeof error !== 'object' || error === null) return [];
  const list: unknown = Reflect.get(error, key);
  return Array.isArray(list) ? list : [];
}

function addressOf(entry: unknown): string {
  if (typeof entry === 'string') return entry;
  if (typeof entry === 'object' && entry !== null) {
    const address: unknown = Reflect.get(entry, 'address');
    if (typeof address === 'string') return address;
  }
  return String(entry);
}

/** `250 2.0.0 Ok: queued as 4Xyz` → `4Xyz`; otherwise the reply itself, which is all the server gave. */
function queueIdOf(response: string | undefined): string | undefined {
  if (!response) return undefined;
  const queued = /queued as ([^\s]+)/i.exec(response)?.[1];
  return queued ?? response.trim();
}
