import { AddressParseError, parseAddress, type Address } from '@mail-providers/mailer-core';
import { MAX_SUBJECT_LENGTH } from '@mail-providers/mailer-core/rules';

/** What a caller of sendEmail gives, before any check. */
export interface EmailInputData {
  to: string[];
  cc?: string[] | null;
  bcc?: string[] | null;
  replyTo?: string | null;
  subject: string;
  text?: string | null;
  html?: string | null;
  channel?: 'DEFAULT' | 'CRM' | null;
  idempotencyKey?: string | null;
}

/** The same message after the checks: addresses in their canonical `Name <addr>` or `addr` form. */
export interface ValidEmail {
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string | null;
  subject: string;
  text: string | null;
  html: string | null;
  channel: 'DEFAULT' | 'CRM';
  idempotencyKey: string | null;
  /** UTF-8 bytes of subject and bodies: what the size limit counts. */
  sizeBytes: number;
}

export interface EmailLimits {
  /** Largest subject + text + html, in bytes. */
  maxMessageBytes: number;
  /** Most recipients over to, cc and bcc together. */
  maxRecipients: number;
}

export const DEFAULT_EMAIL_LIMITS: EmailLimits = { maxMessageBytes: 5 * 1024 * 1024, maxRecipients: 100 };

export interface FieldProblem {
  field: string;
  message: string;
}

const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

export type EmailValidation = { ok: true; email: ValidEmail } | { ok: false; problems: FieldProblem[] };

/**
 * Checks a message the way the engine will read it, but reports every bad field at once (the engine stops
 * at the first), so a caller can fix the whole request in one go.
 */
export function validateEmailInput(input: EmailInputData, limits: EmailLimits): EmailValidation {
  const problems: FieldProblem[] = [];
  const to = addressList(input.to, 'to', problems);
  const cc = addressList(input.cc ?? [], 'cc', problems);
  const bcc = addressList(input.bcc ?? [], 'bcc', problems);

  if (input.to.length === 0) {
    problems.push({ field: 'to', message: 'Give at least one recipient address in to.' });
  }
  const recipients = input.to.length + (input.cc?.length ?? 0) + (input.bcc?.length ?? 0);
  if (recipients > limits.maxRecipients) {
    problems.push({
      field: 'to',
      message: `A message may have at most ${limits.maxRecipients} recipients (to, cc and bcc together); it has ${recipients}. Send several messages instead.`,
    });
  }

  let replyTo: string | null = null;
  if (input.replyTo != null && input.replyTo.trim() !== '') {
    replyTo = oneAddress(input.replyTo, 'replyTo', problems);
  }

  const subject = input.subject;
  if (subject.trim().length === 0) {
    problems.push({ field: 'subject', message: 'Give the message a subject.' });
  } else if (/[\r\n]/.test(subject)) {
    problems.push({ field: 'subject', message: 'Write the subject on one line, without line breaks.' });
  } else if (subject.length > MAX_SUBJECT_LENGTH) {
    problems.push({
      field: 'subject',
      message: `Shorten the subject to at most ${MAX_SUBJECT_LENGTH} characters.`,
    });
  }

  const text = input.text != null && input.text.length > 0 ? input.text : null;
  const html = input.html != null && input.html.length > 0 ? input.html : null;
  if (text === null && html === null) {
    problems.push({ field: 'text', message: 'Give a text body, an html body or both.' });
  }

  const sizeBytes =
    Buffer.byteLength(subject, 'utf8') +
    Buffer.byteLength(text ?? '', 'utf8') +
    Buffer.byteLength(html ?? '', 'utf8');
  if (sizeBytes > limits.maxMessageBytes) {
    const field =
      Buffer.byteLength(html ?? '', 'utf8') >= Buffer.byteLength(text ?? '', 'utf8') ? 'html' : 'text';
    problems.push({
      field,
      message: `The message is ${sizeBytes} bytes; the limit is ${limits.maxMessageBytes} bytes. Make it smaller or link to large content.`,
    });
  }

  let idempotencyKey: string | null = null;
  if (input.idempotencyKey != null) {
    const key = input.idempotencyKey;
    if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || /[^\x21-\x7e]/.test(key)) {
      problems.push({
        field: 'idempotencyKey',
        message: `Use 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters without spaces as the idempotency key.`,
      });
    } else {
      idempotencyKey = key;
    }
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    email: {
      to,
      cc,
      bcc,
      replyTo,
      subject,
      text,
      html,
      channel: input.channel ?? 'DEFAULT',
      idempotencyKey,
      sizeBytes,
    },
  };
}

function addressList(values: string[], field: string, problems: FieldProblem[]): string[] {
  const out: string[] = [];
  values.forEach((value, index) => {
    const address = oneAddress(value, `${field}[${index}]`, problems);
    if (address !== null) out.push(address);
  });
  return out;
}

function oneAddress(value: string, field: string, problems: FieldProblem[]): string | null {
  try {
    return canonical(parseAddress(value));
  } catch (error) {
    if (!(error instanceof AddressParseError)) throw error;
    problems.push({
      field,
      message: `"${value}" ${error.message}: write it as name@example.com or Name <name@example.com>.`,
    });
    return null;
  }
}

function canonical(address: Address): string {
  if (!address.name) return address.address;
  return `"${address.name.replace(/(["\\])/g, '\\$1')}" <${address.address}>`;
}
