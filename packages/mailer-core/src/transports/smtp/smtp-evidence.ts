import type { SmtpEvidence } from '../../failure-evidence';
import { redact } from '../../redact';
import type { RejectedRecipient, Stage } from '../../result';
import { SmtpConnectError } from './smtp-socket';

/**
 * What a nodemailer error says, as evidence for `classifyFailure`. `handover` is how far the content got
 * (see HandoverTracker); it only speaks when the server gave no reply and nodemailer blames the
 * connection itself, because otherwise the error names the command it came at.
 */
export function smtpEvidence(error: unknown, handover?: Stage): SmtpEvidence {
  const response = stringField(error, 'response');
  const command = stringField(error, 'command');
  if (response !== undefined && !isSmtpReply(response)) return notSmtpEvidence(error, command, handover);
  const evidence: SmtpEvidence = { kind: 'smtp', message: messageOf(error) };
  const code = stringField(error, 'code');
  const responseCode = numberField(error, 'responseCode');
  const errno = nodeErrno(error);
  if (code !== undefined) evidence.code = code;
  if (errno !== undefined && errno !== code) evidence.errno = errno;
  if (responseCode !== undefined) evidence.responseCode = responseCode;
  if (response !== undefined) evidence.response = response;
  if (command !== undefined) evidence.command = command;
  if (error instanceof SmtpConnectError) {
    evidence.stage = error.stage;
    evidence.code = error.connectCode;
  } else if (responseCode === undefined && handover !== undefined && lostConnection(command)) {
    evidence.stage = handover;
  }
  return evidence;
}

/** A reply line as SMTP writes them: three digits, then a space, a hyphen or the end. */
function isSmtpReply(response: string): boolean {
  return /^\s*[2-5]\d\d(?:[ -]|\r?$)/m.test(response.trimStart().split('\n')[0] ?? '');
}

/**
 * Words that are no SMTP reply (an SSH banner, an HTTP page, another service's greeting) are kept out of the
 * failure: they are not a provider's reply, and may carry what that service should not show anyone. In
 * place of the greeting they mean the server is no SMTP server (`ENOTSMTP`); later in a session, the error
 * keeps nodemailer's code and only loses the words.
 */
function notSmtpEvidence(
  error: unknown,
  command: string | undefined,
  handover: Stage | undefined,
): SmtpEvidence {
  const lost = lostConnection(command);
  // nodemailer files the greeting under CONN and says so in its words ("Invalid greeting").
  const atGreeting = lost && handover === undefined && /greeting/i.test(messageOf(error));
  const code = stringField(error, 'code');
  const evidence: SmtpEvidence = {
    kind: 'smtp',
    message: atGreeting
      ? 'The server did not answer as an SMTP server.'
      : `The server answered${command !== undefined && !lost ? ` ${command}` : ''} with something that is not an SMTP reply.`,
  };
  if (atGreeting) evidence.code = 'ENOTSMTP';
  else if (code !== undefined) evidence.code = code;
  if (command !== undefined) evidence.command = command;
  const stage = atGreeting ? 'greeting' : lost ? handover : stageOfCommand(command);
  if (stage !== undefined) evidence.stage = stage;
  return evidence;
}

function stageOfCommand(command: string | undefined): Stage | undefined {
  const upper = (command ?? '').toUpperCase();
  if (upper.startsWith('MAIL')) return 'mail_from';
  if (upper.startsWith('RCPT')) return 'rcpt';
  if (upper.startsWith('AUTH')) return 'auth';
  if (upper === 'STARTTLS') return 'tls';
  if (upper === 'EHLO' || upper === 'HELO' || upper === 'LHLO') return 'ehlo';
  return undefined;
}

/**
 * Whether nodemailer filed the error under the connection (`CONN`: closed, reset, timed out) or under no
 * command at all. Only then can the message stream tell how far the content got. An error filed under a
 * command (`MAIL FROM`, `RCPT TO`, `DATA`) or nodemailer's own checks (`API`) already says where it came.
 * And when the envelope fails before DATA, nodemailer drains the message stream into a throwaway buffer
 * to free it; to the stream that looks like sending, so left to it, a failure at MAIL FROM or RCPT TO
 * would read as a possible duplicate.
 */
function lostConnection(command: string | undefined): boolean {
  return command === undefined || command.toUpperCase() === 'CONN';
}

/** The recipients a server refused while it took the message for others, with its codes and words. */
export function rejectedRecipients(
  errors: ReadonlyArray<unknown>,
  rejected: ReadonlyArray<string>,
  secrets: ReadonlyArray<string>,
): RejectedRecipient[] {
  const result: RejectedRecipient[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const address = stringField(error, 'recipient');
    if (address === undefined) continue;
    seen.add(address);
    const response = stringField(error, 'response');
    const recipient: RejectedRecipient = {
      address,
      message: redact(response ?? messageOf(error), secrets),
    };
    const smtpCode = numberField(error, 'responseCode');
    if (smtpCode !== undefined) recipient.smtpCode = smtpCode;
    const enhanced = response?.match(/^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/)?.[1];
    if (enhanced !== undefined) recipient.enhancedCode = enhanced;
    result.push(recipient);
  }
  // nodemailer lists every refused address, but keeps an error only for those refused at RCPT.
  for (const address of rejected) {
    if (!seen.has(address)) result.push({ address, message: 'Recipient refused by the server' });
  }
  return result;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
  const field: unknown = Reflect.get(value, key);
  return typeof field === 'string' && field !== '' ? field : undefined;
}

function numberField(value: unknown, key: string): number | undefined {
  if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
  const field: unknown = Reflect.get(value, key);
  return typeof field === 'number' && Number.isFinite(field) ? field : undefined;
}

/**
 * nodemailer overwrites Node's `code` with its own; Node's survives on a cause, or on the inner errors of
 * an AggregateError (a connection tried over IPv6 and IPv4), and otherwise in the message.
 */
function nodeErrno(error: unknown): string | undefined {
  const cause = typeof error === 'object' && error !== null ? Reflect.get(error, 'cause') : undefined;
  const fromCause = stringField(cause, 'code');
  if (fromCause !== undefined) return fromCause;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const code = stringField(inner, 'code');
      if (code !== undefined) return code;
    }
  }
  return undefined;
}
