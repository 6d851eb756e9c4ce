/** A CR not followed by LF, or an LF not preceded by CR. */
const BARE_LINE_END = /\r(?!\n)|(?<!\r)\n/;
const ANY_LINE_END = /\r\n|\r|\n/g;

const CR = 0x0d;
const LF = 0x0a;

/**
 * Text with every line ending as CRLF: each bare CR and each bare LF becomes CRLF. Content that goes over
 * SMTP as it is (7bit and 8bit parts) must have no other line ending: a receiver that takes a bare CR or
 * LF for the end of a line would read `\r.\r\n` in a body as the end of the message, and what follows
 * as commands of its own (SMTP smuggling). Returns the same string when there is nothing to change.
 */
export function toCrlf(text: string): string {
  return BARE_LINE_END.test(text) ? text.replace(ANY_LINE_END, '\r\n') : text;
}

/** {@link toCrlf} for bytes; returns the same buffer when there is nothing to change. */
export function bytesToCrlf(bytes: Buffer): Buffer {
  let bare = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i];
    if (byte === CR && bytes[i + 1] !== LF) bare += 1;
    else if (byte === LF && bytes[i - 1] !== CR) bare += 1;
  }
  if (bare === 0) return bytes;
  const out = Buffer.allocUnsafe(bytes.length + bare);
  let at = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i];
    if (byte === CR && bytes[i + 1] !== LF) {
      out[at++] = CR;
      out[at++] = LF;
    } else if (byte === LF && bytes[i - 1] !== CR) {
      out[at++] = CR;
      out[at++] = LF;
    } else {
      out[at++] = byte ?? 0;
    }
  }
  return out;
}

/**
 * Whether an attachment of this content type goes over SMTP as it is (8bit) rather than in base64:
 * nodemailer sends `message/*` parts (an attached e-mail) that way, as RFC 2046 requires.
 */
export function sentAsIs(contentType: string): boolean {
  return /^message\//i.test(contentType.trim());
}
