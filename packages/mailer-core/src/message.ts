/** A mailbox: an address with an optional display name. */
export interface Address {
  address: string;
  name?: string;
}

/** `"a@example.com"`, `"Ann <a@example.com>"` or an {@link Address}. */
export type AddressInput = string | Address;

/** A file carried by the message. With `cid` it is an inline image referenced from the HTML as `cid:<cid>`. */
export interface Attachment {
  filename: string;
  /** Raw bytes, or a string (UTF-8 text). */
  content: Buffer | string;
  contentType?: string;
  cid?: string;
}

/** What a caller asks to send. From is always the provider's From Email and From Name. */
export interface Message {
  to: AddressInput | AddressInput[];
  cc?: AddressInput | AddressInput[];
  bcc?: AddressInput | AddressInput[];
  replyTo?: AddressInput;
  subject: string;
  text?: string;
  html?: string;
  /** Extra headers. Header names and values must not contain CR or LF. */
  headers?: Record<string, string>;
  attachments?: Attachment[];
  /** `<id@domain>`; generated when absent, then the same for every provider tried. */
  messageId?: string;
  /**
   * Short key/value pairs the vendor reports back with each delivery event (SendGrid `custom_args`, Mailgun
   * `v:` variables, Postmark `Metadata`, Resend tags, …), so an event can find the message it is about.
   * Keys and values: letters, digits, `_` and `-` (the narrowest vendor's rule), at most 10 pairs.
   */
  metadata?: Record<string, string>;
}

/** A message after normalisation: every list resolved, one Message-ID fixed, content as bytes. */
export interface PreparedMessage {
  messageId: string;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  replyTo?: Address;
  subject: string;
  text?: string;
  html?: string;
  headers: Record<string, string>;
  attachments: PreparedAttachment[];
  /** See {@link Message.metadata}; absent when the caller gave none. */
  metadata?: Record<string, string>;
}

export interface PreparedAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
  cid?: string;
}

/** What a transport sends: the prepared message with the provider's sender filled in. */
export interface Envelope extends PreparedMessage {
  from: Address;
}
