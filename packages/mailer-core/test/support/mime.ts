/** A leaf part of a MIME message: its headers (lower-case names) and its decoded body. */
export interface MimeLeaf {
  headers: Record<string, string>;
  body: Buffer;
}

/** Splits a raw message into header block and body at the first empty line. */
function splitHead(raw: string): { head: string; body: string } {
  const match = /\r?\n\r?\n/.exec(raw);
  if (!match) return { head: raw, body: '' };
  return { head: raw.slice(0, match.index), body: raw.slice(match.index + match[0].length) };
}

/** Header fields with folded lines joined; names lower-cased; the first occurrence wins. */
export function parseHeaders(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!(name in headers)) headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

function parameter(value: string | undefined, name: string): string | undefined {
  if (!value) return undefined;
  const match = new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return match ? (match[1] ?? match[2]) : undefined;
}

function decode(body: string, encoding: string | undefined): Buffer {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64');
    case 'quoted-printable': {
      const soft = body.replace(/=\r?\n/g, '');
      const bytes: number[] = [];
      for (let i = 0; i < soft.length; i++) {
        const c = soft.charAt(i);
        const hex = soft.slice(i + 1, i + 3);
        if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
          bytes.push(parseInt(hex, 16));
          i += 2;
        } else {
          bytes.push(...Buffer.from(c, 'latin1'));
        }
      }
      return Buffer.from(bytes);
    }
    default:
      return Buffer.from(body, 'latin1');
  }
}

/**
 * Every leaf of a MIME message, depth first, bodies decoded. Enough of RFC 2045/2046 to compare what two
 * servers received; not a general-purpose parser.
 */
export function mimeLeaves(raw: Buffer | string): MimeLeaf[] {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  const { head, body } = splitHead(text);
  const headers = parseHeaders(head);
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = parameter(type, 'boundary');
  if (!/^multipart\//i.test(type) || !boundary) {
    return [{ headers, body: decode(body, headers['content-transfer-encoding']) }];
  }
  const delimiter = `--${boundary}`;
  const parts = body.split(new RegExp(`\\r?\\n?${escapeRegExp(delimiter)}(?:--)?[ \\t]*\\r?\\n?`));
  // parts[0] is the preamble, the last one the epilogue.
  return parts
    .slice(1, -1)
    .filter((part) => part.trim().length > 0)
    .flatMap((part) => mimeLeaves(part));
}

/** The leaves that carry a file: attachments and inline images, keyed by filename. */
export function attachmentsOf(raw: Buffer | string): Map<string, MimeLeaf> {
  const files = new Map<string, MimeLeaf>();
  for (const leaf of mimeLeaves(raw)) {
    const name =
      parameter(leaf.headers['content-disposition'], 'filename') ??
      parameter(leaf.headers['content-type'], 'name');
    if (name) files.set(name, leaf);
  }
  return files;
}

/** The header block of a raw message, parsed. */
export function topHeaders(raw: Buffer | string): Record<string, string> {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  return parseHeaders(splitHead(text).head);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
