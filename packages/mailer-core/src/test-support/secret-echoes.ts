import type { SmtpReply } from './smtp-test-server';

/** A secret written the way one kind of peer might echo it back. */
export interface SecretEcho {
  encoding: string;
  text: string;
}

/**
 * A secret in every encoding a peer may echo it in: as is, JSON-escaped in the styles of common
 * encoders, URL-encoded, base64 (AUTH LOGIN, AUTH PLAIN, HTTP Basic, inside a longer blob at each byte
 * alignment, URL-safe), quoted-printable with a soft line break inside it, HTML-escaped, and its UTF-8
 * bytes read as Latin-1. Built with the platform's encoders or small encoders of its own, independent of
 * the engine's redaction, so that tests can hold one against the other.
 */
export function secretEchoes(secret: string, username = 'app'): SecretEcho[] {
  const bytes = Buffer.from(secret, 'utf8');
  const base64 = (value: string | Buffer) => Buffer.from(value).toString('base64');
  const inside = (offset: number) =>
    base64(Buffer.concat([Buffer.from('xyz'.slice(0, offset)), bytes, Buffer.from(' and more')]));
  return [
    { encoding: 'plain', text: secret },
    { encoding: 'json', text: JSON.stringify(secret).slice(1, -1) },
    { encoding: 'json, ASCII only', text: jsonEscape(secret, { ascii: true }) },
    {
      encoding: 'json, upper-case hex, escaped slash',
      text: jsonEscape(secret, { upper: true, slash: true }),
    },
    { encoding: 'json, HTML-safe', text: jsonEscape(secret, { htmlSafe: true }) },
    { encoding: 'url component', text: encodeURIComponent(secret) },
    { encoding: 'url form', text: new URLSearchParams({ v: secret }).toString().slice(2) },
    { encoding: 'url, every byte, lower-case hex', text: percentEveryByte(bytes) },
    { encoding: 'base64 (AUTH LOGIN)', text: base64(bytes) },
    { encoding: 'base64 (AUTH PLAIN)', text: base64(`\0${username}\0${secret}`) },
    { encoding: 'base64 (HTTP Basic)', text: base64(`${username}:${secret}`) },
    { encoding: 'base64, inside a blob at offset 0', text: inside(0) },
    { encoding: 'base64, inside a blob at offset 1', text: inside(1) },
    { encoding: 'base64, inside a blob at offset 2', text: inside(2) },
    { encoding: 'base64url', text: bytes.toString('base64url') },
    { encoding: 'quoted-printable, soft line break', text: quotedPrintable(bytes, '=\r\n') },
    { encoding: 'quoted-printable, across SMTP reply lines', text: quotedPrintable(bytes, '=\n535-5.7.8 ') },
    { encoding: 'html', text: htmlEscape(secret, false) },
    { encoding: 'html, numeric references', text: htmlEscape(secret, true) },
    { encoding: 'utf-8 read as latin-1', text: bytes.toString('latin1') },
  ];
}

/**
 * How a test server refuses a login with `echo` in its reply. `startSmtpTestServer` sends a reply on one
 * line and blanks control characters, so two echoes need `startRawSmtpRecorder` instead: one that spans
 * lines (a quoted-printable soft line break), as a reply of two lines, and the UTF-8 bytes read as
 * Latin-1, sent as those bytes in a reply that is not UTF-8 as a whole (a byte 0xFF at its end), which
 * nodemailer then reads as Latin-1 too.
 */
export function echoingRefusal(
  echo: SecretEcho,
): { server: 'smtp-server'; reply: SmtpReply } | { server: 'raw'; authReply: string } {
  const [first, rest] = echo.text.split(/=\r?\n(?:535-5\.7\.8 )?/);
  if (rest !== undefined) {
    return {
      server: 'raw',
      authReply: `535-5.7.8 Authentication failed for ${first ?? ''}=\r\n535 5.7.8 ${rest}`,
    };
  }
  if (/[\x80-\x9f]/.test(echo.text)) {
    return { server: 'raw', authReply: `535 5.7.8 Authentication failed for ${echo.text} \xff` };
  }
  return {
    server: 'smtp-server',
    reply: { code: 535, message: `5.7.8 Authentication failed for ${echo.text}` },
  };
}

/**
 * The decodings under which `text` shows `secret` (empty when it shows it under none): as is, after
 * JSON unescaping, URL decoding, quoted-printable decoding, HTML decoding, as UTF-8 read as Latin-1, and
 * in any run of base64 characters decoded from any of its four starting positions.
 */
export function secretRevealedIn(text: string, secret: string): string[] {
  const found: string[] = [];
  const bytes = Buffer.from(secret, 'utf8');
  if (text.includes(secret)) found.push('plain');
  if (jsonDecode(text).includes(secret)) found.push('json');
  if (percentDecode(text.replace(/\+/g, ' ')).includes(secret)) found.push('url');
  if (percentDecode(text).includes(secret)) found.push('url');
  if (quotedPrintableDecode(text).includes(bytes)) found.push('quoted-printable');
  if (htmlDecode(text).includes(secret)) found.push('html');
  if (text.includes(bytes.toString('latin1'))) found.push('utf-8 read as latin-1');
  for (const run of text.match(/[A-Za-z0-9+/_-]{4,}={0,2}/g) ?? []) {
    const standard = run.replace(/-/g, '+').replace(/_/g, '/');
    for (let shift = 0; shift < 4; shift += 1) {
      if (Buffer.from(standard.slice(shift), 'base64').includes(bytes)) found.push('base64');
    }
  }
  return [...new Set(found)];
}

function jsonEscape(
  text: string,
  style: { ascii?: boolean; upper?: boolean; slash?: boolean; htmlSafe?: boolean },
) {
  const unit = (code: number) => {
    const hex = code.toString(16).padStart(4, '0');
    return `\\u${style.upper ? hex.toUpperCase() : hex}`;
  };
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charAt(i);
    const code = text.charCodeAt(i);
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (char === '/' && style.slash) out += '\\/';
    else if (style.htmlSafe && (char === '<' || char === '>' || char === '&')) out += unit(code);
    else if (code < 0x20 || (code > 0x7e && (style.ascii || style.upper))) out += unit(code);
    else out += char;
  }
  return out;
}

function percentEveryByte(bytes: Buffer): string {
  return [...bytes]
    .map((byte) =>
      /[A-Za-z0-9]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).padStart(2, '0')}`,
    )
    .join('');
}

/** Every byte but letters and digits as `=XX`, with one soft line break in the middle. */
function quotedPrintable(bytes: Buffer, softBreak: string): string {
  const units = [...bytes].map((byte) =>
    /[A-Za-z0-9]/.test(String.fromCharCode(byte))
      ? String.fromCharCode(byte)
      : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`,
  );
  const middle = Math.floor(units.length / 2);
  return units.slice(0, middle).join('') + softBreak + units.slice(middle).join('');
}

function htmlEscape(text: string, numeric: boolean): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '&') out += '&amp;';
    else if (char === '<') out += '&lt;';
    else if (char === '>') out += '&gt;';
    else if (char === '"') out += numeric ? '&#x22;' : '&quot;';
    else if (char === "'") out += numeric ? '&#x27;' : '&#39;';
    else if (numeric && code > 0x7e) out += `&#${code};`;
    else out += char;
  }
  return out;
}

function jsonDecode(text: string): string {
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(
      /\\(["\\/bfnrt])/g,
      (_all, char: string) => ({ b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' })[char] ?? char,
    );
}

function percentDecode(text: string): string {
  return text.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    const decoded = Buffer.from(run.replace(/%/g, ''), 'hex');
    const utf8 = decoded.toString('utf8');
    return utf8.includes('\uFFFD') ? decoded.toString('latin1') : utf8;
  });
}

function quotedPrintableDecode(text: string): Buffer {
  const joined = text.replace(/=\r?\n(?:\d{3}[ -](?:\d\.\d{1,3}\.\d{1,3} )?)?/g, '');
  const bytes: number[] = [];
  const raw = Buffer.from(joined, 'utf8');
  for (let i = 0; i < raw.length; i += 1) {
    const hex = raw.subarray(i + 1, i + 3).toString('latin1');
    if (raw[i] === 0x3d && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(raw[i] ?? 0);
    }
  }
  return Buffer.from(bytes);
}

function htmlDecode(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(
    /&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|(\w+));/g,
    (all, dec?: string, hex?: string, name?: string) => {
      if (dec !== undefined) return String.fromCodePoint(parseInt(dec, 10));
      if (hex !== undefined) return String.fromCodePoint(parseInt(hex, 16));
      return named[(name ?? '').toLowerCase()] ?? all;
    },
  );
}
