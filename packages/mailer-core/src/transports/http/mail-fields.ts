import type { Address, Envelope, PreparedAttachment } from '../../message';

// RFC 5322 atext plus space: a display name made only of these needs no quotes.
const PLAIN_DISPLAY_NAME = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/;

/** `addr`, `Name <addr>` or `"Name, Inc." <addr>`: the one-string form several vendors take. */
export function formatAddress(address: Address): string {
  const name = address.name?.trim();
  if (!name) return address.address;
  if (PLAIN_DISPLAY_NAME.test(name)) return `${name} <${address.address}>`;
  return `"${name.replace(/(["\\])/g, '\\$1')}" <${address.address}>`;
}

/** Every recipient address (to, cc, bcc), as the transport reports them accepted. */
export function recipientAddresses(envelope: Envelope): string[] {
  return [...envelope.to, ...envelope.cc, ...envelope.bcc].map((a) => a.address);
}

/** Inline images (with a cid) apart from ordinary attachments, as most APIs take them in two lists. */
export function splitAttachments(envelope: Envelope): {
  files: PreparedAttachment[];
  inline: PreparedAttachment[];
} {
  const files: PreparedAttachment[] = [];
  const inline: PreparedAttachment[] = [];
  for (const attachment of envelope.attachments) (attachment.cid ? inline : files).push(attachment);
  return { files, inline };
}

/**
 * The caller's headers plus the Message-ID, so every provider tried carries the same id. A caller's own
 * Message-ID header (any case) gives way to the envelope's, which the engine fixed once for all attempts.
 */
export function headersWithMessageId(envelope: Envelope): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(envelope.headers)) {
    if (name.toLowerCase() !== 'message-id') headers[name] = value;
  }
  headers['Message-ID'] = envelope.messageId;
  return headers;
}

/** The message's metadata, or undefined when it has none (vendors refuse or keep empty objects). */
export function metadataOf(envelope: Envelope): Record<string, string> | undefined {
  const metadata = envelope.metadata ?? {};
  return Object.keys(metadata).length > 0 ? metadata : undefined;
}

/**
 * The metadata as one string (`key=value&…`), for vendors that carry a single reference (Brevo's
 * `X-Mailin-custom` header, ZeptoMail's `client_reference`); read back with `URLSearchParams`.
 */
export function metadataText(envelope: Envelope): string | undefined {
  const metadata = metadataOf(envelope);
  return metadata ? new URLSearchParams(metadata).toString() : undefined;
}

/** The part after the last `@`, lower-cased: the sending domain. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** Drops keys whose value is undefined or an empty list, since several APIs refuse empty fields. */
export function compact(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).filter(
      ([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0),
    ),
  );
}

/** The envelope's sender and recipients, each in a vendor's own address form (a string, a mailbox object …). */
export function addressesIn<T>(
  envelope: Envelope,
  form: (address: Address) => T,
): { from: T; to: T[]; cc: T[]; bcc: T[]; replyTo: T | undefined } {
  return {
    from: form(envelope.from),
    to: envelope.to.map(form),
    cc: envelope.cc.map(form),
    bcc: envelope.bcc.map(form),
    replyTo: envelope.replyTo ? form(envelope.replyTo) : undefined,
  };
}

/** `{email, name}`: the mailbox object of SendGrid and Brevo (SparkPost's too, inside `address`). */
export function emailMailbox(address: Address): { email: string; name?: string } {
  return address.name ? { email: address.address, name: address.name } : { email: address.address };
}
