import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { extname } from 'node:path';
import { AddressParseError, domainOf, isAddrSpec, parseAddress, parseAddressList } from './address';
import { bytesToCrlf, sentAsIs, toCrlf } from './line-endings';
import type {
  Address,
  AddressInput,
  Attachment,
  Envelope,
  Message,
  PreparedAttachment,
  PreparedMessage,
} from './message';
import type { ProviderConfig } from './provider';

/** A message the caller built wrongly. `field` names the part to fix (`to`, `headers.X-Tag`, `attachments[1].filename` …). */
export class MessageValidationError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`Invalid message: ${field} ${problem}.`);
    this.name = 'MessageValidationError';
  }
}

export interface PrepareMessageOptions {
  /** Domain for a generated Message-ID, usually the From Email's domain of the first provider in the chain. */
  messageIdDomain?: string;
}

/**
 * The engine sets these itself (From is the provider's, the rest come from the message fields); letting a
 * custom header override them would send different mail through different providers.
 */
const RESERVED_HEADERS = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'message-id',
  'date',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);

/** RFC 5322 field-name: printable US-ASCII except the colon. */
const HEADER_NAME = /^[!-9;-~]+$/;
const MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;

const CONTENT_TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.htm': 'text/html',
  '.html': 'text/html',
  '.ics': 'text/calendar',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
};

/**
 * Normalises a caller's message once, before any provider is tried: addresses parsed, lists resolved,
 * one Message-ID fixed, attachment contents turned into bytes with a content type, and every line of the
 * text, the HTML and an attached message ended with CRLF (see `toCrlf`). Every provider then receives
 * exactly the same message.
 *
 * @throws {MessageValidationError} when the message cannot be sent as given (the caller's fault).
 */
export function prepareMessage(message: Message, options: PrepareMessageOptions = {}): PreparedMessage {
  const to = addressList(message.to, 'to');
  const cc = addressList(message.cc, 'cc');
  const bcc = addressList(message.bcc, 'bcc');
  if (to.length === 0) throw new MessageValidationError('to', 'needs at least one recipient');
  const replyTo = message.replyTo === undefined ? undefined : singleAddress(message.replyTo, 'replyTo');

  if (typeof message.subject !== 'string' || message.subject.trim().length === 0) {
    throw new MessageValidationError('subject', 'is required');
  }
  if (/[\r\n]/.test(message.subject)) {
    throw new MessageValidationError('subject', 'must be one line (no CR or LF)');
  }

  const text = optionalString(message.text, 'text');
  const html = optionalString(message.html, 'html');
  if (!text && !html) throw new MessageValidationError('text', 'or html is required');

  const prepared: PreparedMessage = {
    messageId: messageIdOf(message.messageId, options.messageIdDomain),
    to,
    cc,
    bcc,
    subject: message.subject,
    headers: headersOf(message.headers),
    attachments: (message.attachments ?? []).map(attachmentOf),
  };
  const metadata = metadataOf(message.metadata);
  if (Object.keys(metadata).length > 0) prepared.metadata = metadata;
  if (replyTo) prepared.replyTo = replyTo;
  if (text) prepared.text = toCrlf(text);
  if (html) prepared.html = toCrlf(html);
  return prepared;
}

/** The prepared message as one provider sends it: From is that provider's From Email and From Name. */
export function toEnvelope(
  message: PreparedMessage,
  provider: Pick<ProviderConfig, 'fromEmail' | 'fromName'>,
): Envelope {
  const from: Address = provider.fromName
    ? { address: provider.fromEmail, name: provider.fromName }
    : { address: provider.fromEmail };
  return { ...message, from };
}

function addressList(input: AddressInput | AddressInput[] | undefined, field: string): Address[] {
  if (input === undefined || input === null) return [];
  try {
    const list = parseAddressList(input);
    const seen = new Set<string>();
    return list.filter((entry) => {
      const key = entry.address.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  } catch (error) {
    throw asValidationError(error, field);
  }
}

function singleAddress(input: AddressInput, field: string): Address {
  try {
    return parseAddress(input);
  } catch (error) {
    throw asValidationError(error, field);
  }
}

function asValidationError(error: unknown, field: string): Error {
  if (error instanceof AddressParseError) {
    return new MessageValidationError(field, `"${error.input}" ${error.message}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new MessageValidationError(field, 'must be a string');
  return value.length > 0 ? value : undefined;
}

function messageIdOf(given: string | undefined, domain: string | undefined): string {
  if (given === undefined || given === null || given === '') {
    return `<${randomUUID()}@${idDomain(domain)}>`;
  }
  const trimmed = given.trim();
  const withBrackets = trimmed.startsWith('<') ? trimmed : `<${trimmed}>`;
  if (!MESSAGE_ID.test(withBrackets)) {
    throw new MessageValidationError('messageId', 'must look like <unique-part@domain>, without spaces');
  }
  return withBrackets;
}

function idDomain(domain: string | undefined): string {
  if (domain && /^[A-Za-z0-9.-]+$/.test(domain)) return domain;
  const host = hostname();
  return /^[A-Za-z0-9.-]+$/.test(host) && host.length > 0 ? host : 'localhost';
}

// Resend's tag rule, the narrowest of the vendors that carry metadata.
const METADATA_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;
const MAX_METADATA_PAIRS = 10;

function metadataOf(metadata: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!metadata) return out;
  const entries = Object.entries(metadata);
  if (entries.length > MAX_METADATA_PAIRS) {
    throw new MessageValidationError('metadata', `must have at most ${MAX_METADATA_PAIRS} pairs`);
  }
  for (const [key, value] of entries) {
    if (!METADATA_TOKEN.test(key) || typeof value !== 'string' || !METADATA_TOKEN.test(value)) {
      throw new MessageValidationError(
        `metadata.${key}`,
        'keys and values must be 1-256 letters, digits, "_" or "-"',
      );
    }
    out[key] = value;
  }
  return out;
}

function headersOf(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    const field = `headers.${name}`;
    if (!HEADER_NAME.test(name)) {
      throw new MessageValidationError(field, 'has an invalid name (printable ASCII, no spaces or colon)');
    }
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      throw new MessageValidationError(field, 'is set by the mailer; use the message field instead');
    }
    if (typeof value !== 'string') throw new MessageValidationError(field, 'must be a string');
    if (/[\r\n]/.test(value)) throw new MessageValidationError(field, 'must not contain CR or LF');
    out[name] = value;
  }
  return out;
}

function attachmentOf(attachment: Attachment, index: number): PreparedAttachment {
  const field = `attachments[${index}]`;
  const filename = attachment.filename;
  if (typeof filename !== 'string' || filename.trim().length === 0) {
    throw new MessageValidationError(`${field}.filename`, 'is required');
  }
  if (/[\r\n]/.test(filename)) {
    throw new MessageValidationError(`${field}.filename`, 'must not contain CR or LF');
  }
  let content: Buffer;
  if (Buffer.isBuffer(attachment.content)) content = attachment.content;
  else if (typeof attachment.content === 'string') content = Buffer.from(attachment.content, 'utf8');
  else throw new MessageValidationError(`${field}.content`, 'must be a Buffer or a string');

  const contentType = attachment.contentType ?? guessContentType(filename);
  if (!/^[\w.+-]+\/[\w.+-]+(?:\s*;.*)?$/.test(contentType) || /[\r\n]/.test(contentType)) {
    throw new MessageValidationError(`${field}.contentType`, 'must be a MIME type such as image/png');
  }
  const prepared: PreparedAttachment = {
    filename,
    content: sentAsIs(contentType) ? bytesToCrlf(content) : content,
    contentType,
  };
  if (attachment.cid !== undefined) {
    const cid = attachment.cid.replace(/^<|>$/g, '');
    if (cid.length === 0 || /[\s<>]/.test(cid)) {
      throw new MessageValidationError(
        `${field}.cid`,
        'must be a non-empty id without spaces or angle brackets',
      );
    }
    prepared.cid = cid;
  }
  return prepared;
}

function guessContentType(filename: string): string {
  return CONTENT_TYPES[extname(filename).toLowerCase()] ?? 'application/octet-stream';
}

/** The domain a generated Message-ID should carry for mail sent from `fromEmail`. */
export function messageIdDomainFor(fromEmail: string | undefined): string | undefined {
  if (!fromEmail || !isAddrSpec(fromEmail)) return undefined;
  return domainOf(fromEmail);
}
