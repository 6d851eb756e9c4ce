import { readFileSync } from 'node:fs';
import SMTPConnection from 'nodemailer/lib/smtp-connection';

/**
 * The connection option that turns envelope pipelining on for a session. Only the engine's pools set it, so
 * other users of nodemailer in the same process keep its stock behaviour.
 */
export const PIPELINE_ENVELOPE = 'pipelineEnvelope';

type SessionCallback = (error: Error | null, info?: unknown) => void;

/** A refusal as nodemailer builds it; `recipient` names the address refused at RCPT TO. */
type SmtpError = Error & { recipient?: string; rejected?: string[]; rejectedErrors?: SmtpError[] };

/** The envelope as nodemailer's session keeps it while a message is under way. */
interface SessionEnvelope {
  from: string;
  to: string[];
  rcptQueue: string[];
  accepted: string[];
  rejected: string[];
  rejectedErrors: SmtpError[];
}

/**
 * The parts of nodemailer's SMTP session (8.x) that pipelining works with. They are not public: the
 * session reads each reply with the next function of `_responseActions`, and `_setEnvelope` starts a
 * message by queuing the reading of MAIL FROM's reply and sending the command.
 */
interface SessionInternals {
  options: Record<string, unknown>;
  _supportedExtensions: string[];
  _responseActions: Array<(response: string) => void>;
  _envelope: SessionEnvelope;
  _usingSmtpUtf8?: boolean;
  _setEnvelope(envelope: unknown, callback: SessionCallback): void;
  _sendCommand(command: string): void;
  _formatError(message: string, type: string, response: string | false, command: string): SmtpError;
  _actionDATA(response: string, callback: SessionCallback): void;
  _getDsnRcptToArgs(): string;
}

const REQUIRED_METHODS = [
  '_setEnvelope',
  '_sendCommand',
  '_formatError',
  '_actionDATA',
  '_getDsnRcptToArgs',
] as const;

/**
 * The nodemailer release whose session internals the pipelining was written and tested against; the
 * package pins it. Any other release keeps nodemailer's stock behaviour, whatever methods it has.
 */
export const PIPELINING_NODEMAILER_RELEASE = '8.0.11';

let installed = false;

/** The installed nodemailer's version, from its manifest. */
export function nodemailerVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(require.resolve('nodemailer/package.json'), 'utf8'));
  return typeof manifest === 'object' && manifest !== null && 'version' in manifest
    ? String(manifest.version)
    : 'unknown';
}

/**
 * Teaches nodemailer's SMTP session to pipeline a message's envelope (RFC 2920) when the server offers
 * PIPELINING and the connection was opened with the `PIPELINE_ENVELOPE` option: MAIL FROM, every RCPT TO
 * and DATA leave together, and their replies are read in order, so a message costs two round trips (the
 * envelope, then the content after 354) instead of four (nodemailer pipelines the RCPT commands alone).
 * Toward a provider 30 ms away that is 60 ms instead of 120 ms a message, per session.
 *
 * The outcome is what nodemailer reports without pipelining, error for error: a refused MAIL FROM, the
 * refused recipients (with their replies), every recipient refused, a refused DATA. If the server accepts
 * DATA although the envelope failed, the empty transaction is ended with a lone dot before the failure is
 * reported, so no content is ever sent for it.
 *
 * Returns false, and changes nothing, if the installed nodemailer is not the release it was checked against
 * ({@link PIPELINING_NODEMAILER_RELEASE}) or lacks the parts it works with: sessions then send one command
 * per round trip, as stock nodemailer does.
 */
export function installEnvelopePipelining(version: string = nodemailerVersion()): boolean {
  if (installed) return true;
  if (version !== PIPELINING_NODEMAILER_RELEASE) return false;
  const prototype = SMTPConnection.prototype as unknown as Partial<SessionInternals>;
  const stock = prototype._setEnvelope;
  if (!stock || !REQUIRED_METHODS.every((name) => typeof prototype[name] === 'function')) return false;
  prototype._setEnvelope = function pipelinedSetEnvelope(
    this: SessionInternals,
    envelope: unknown,
    callback: SessionCallback,
  ): void {
    if (this.options[PIPELINE_ENVELOPE] !== true || !this._supportedExtensions.includes('PIPELINING')) {
      stock.call(this, envelope, callback);
      return;
    }
    let settled = false;
    const pending = this._responseActions.length;
    stock.call(this, envelope, (error, info) => {
      settled = true;
      callback(error, info);
    });
    // nodemailer refused the envelope itself and sent nothing; otherwise MAIL FROM is out and the reading
    // of its reply queued, which the pipelined reading replaces.
    if (settled || this._responseActions.length !== pending + 1) return;
    this._responseActions.pop();
    pipelineEnvelope(this, callback);
  };
  installed = true;
  return true;
}

/** Sends RCPT TO for every recipient and DATA right behind MAIL FROM, and reads the replies in order. */
function pipelineEnvelope(session: SessionInternals, callback: SessionCallback): void {
  const envelope = session._envelope;
  let senderRefusal: SmtpError | undefined;
  let lastRecipientReply = '';

  session._responseActions.push((reply) => {
    if (positive(reply)) return;
    const refusedUtf8 = session._usingSmtpUtf8 === true && /^550 /.test(reply) && nonAscii(envelope.from);
    senderRefusal = session._formatError(
      refusedUtf8 ? 'Internationalized mailbox name not allowed' : 'Mail command failed',
      'EENVELOPE',
      reply,
      'MAIL FROM',
    );
  });

  for (const recipient of envelope.rcptQueue.splice(0)) {
    session._responseActions.push((reply) => {
      lastRecipientReply = reply;
      // After a refused MAIL FROM the server refuses the rest as out of sequence: nothing to learn.
      if (senderRefusal) return;
      if (positive(reply)) {
        envelope.accepted.push(recipient);
        return;
      }
      const refusedUtf8 = session._usingSmtpUtf8 === true && /^553 /.test(reply) && nonAscii(recipient);
      const refusal = session._formatError(
        refusedUtf8 ? 'Internationalized mailbox name not allowed' : 'Recipient command failed',
        'EENVELOPE',
        reply,
        'RCPT TO',
      );
      refusal.recipient = recipient;
      envelope.rejected.push(recipient);
      envelope.rejectedErrors.push(refusal);
    });
    session._sendCommand(`RCPT TO:<${recipient}>${session._getDsnRcptToArgs()}`);
  }

  session._responseActions.push((reply) => {
    const failure = senderRefusal ?? everyRecipientRefused(session, lastRecipientReply);
    if (!failure) {
      session._actionDATA(reply, callback);
      return;
    }
    if (/^3/.test(reply)) {
      // The server waits for content that must not come: end the transaction empty, then report.
      session._responseActions.push(() => callback(failure));
      session._sendCommand('.');
      return;
    }
    callback(failure);
  });
  session._sendCommand('DATA');
}

/** nodemailer's error for an envelope whose recipients were all refused, or undefined if one was accepted. */
function everyRecipientRefused(session: SessionInternals, lastReply: string): SmtpError | undefined {
  const envelope = session._envelope;
  if (envelope.rejected.length < envelope.to.length) return undefined;
  const error = session._formatError(
    "Can't send mail - all recipients were rejected",
    'EENVELOPE',
    lastReply,
    'RCPT TO',
  );
  error.rejected = envelope.rejected;
  error.rejectedErrors = envelope.rejectedErrors;
  return error;
}

function positive(reply: string): boolean {
  return reply.charAt(0) === '2';
}

function nonAscii(address: string): boolean {
  return /[\x80-\uFFFF]/.test(address);
}
