/** Secrets shorter than this are left alone: one to three characters would blank out ordinary text. */
export const MIN_SECRET_LENGTH = 4;

/**
 * Base64 of a secret in the middle of a longer base64 string only counts from this many characters on;
 * shorter runs of the base64 alphabet turn up by chance.
 */
const MIN_BASE64_RUN = 8;

/**
 * A quoted-printable soft line break, which an encoder may put between any two characters. When the
 * text was an SMTP reply of several lines, nodemailer joins them with `\n` and the next line starts with
 * the reply code and, often, the enhanced code.
 */
const SOFT_BREAK = String.raw`(?:=\r?\n(?:\d{3}[ -](?:[245]\.\d{1,3}\.\d{1,3} )?)?)?`;

const HTML_NAMED: Readonly<Record<string, readonly string[]>> = {
  '&': ['&amp;', '&AMP;'],
  '<': ['&lt;', '&LT;'],
  '>': ['&gt;', '&GT;'],
  '"': ['&quot;', '&QUOT;'],
  "'": ['&apos;'],
};

const JSON_SHORT: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * The source of a regular expression that matches a secret in every form a peer may echo it in: as is,
 * JSON-escaped (`\"`, `\\`, `\/`, `\u00e9`, surrogate pairs), URL-encoded (`%C3%A9` or `%c3%a9`, `+`
 * for a space, Latin-1 `%E9`), quoted-printable (`=3D`, soft line breaks), HTML-escaped (`&amp;`,
 * `&#39;`, `&#x27;`, `&#233;`), its UTF-8 bytes read as Latin-1 (`Ã©`), and base64: standard or URL-safe,
 * padded or not, on its own (AUTH LOGIN) or at any alignment inside a longer base64 string (AUTH PLAIN,
 * HTTP Basic). Each character may take any of its textual forms, so an encoder that escapes more or less
 * than another is matched too.
 *
 * With `base64Only`, only the base64 forms: for a secret that contains another one (the login blob of
 * AUTH PLAIN or HTTP Basic), whose textual forms the other's pattern already covers.
 *
 * Undefined for a secret shorter than {@link MIN_SECRET_LENGTH}: it is not redacted.
 */
export function secretPattern(secret: string, base64Only = false): string | undefined {
  if (secret.length < MIN_SECRET_LENGTH) return undefined;
  const base64 = base64Forms(secret).map(escapeRegExp);
  if (base64Only) return base64.join('|');
  const textual = [...secret].map(characterPattern).join(SOFT_BREAK);
  return [...base64, textual].join('|');
}

/** Every textual form of one character (a code point), as alternatives of a group. */
function characterPattern(character: string): string {
  const forms = new Set<string>([escapeRegExp(character)]);
  const codePoint = character.codePointAt(0) ?? 0;
  const utf8 = [...Buffer.from(character, 'utf8')];

  // URL and quoted-printable: the UTF-8 bytes, and the Latin-1 byte where there is one.
  const bytesOf = (prefix: string, bytes: readonly number[]) =>
    bytes.map((byte) => prefix + hexPattern(byte, 2)).join('');
  forms.add(bytesOf('%', utf8));
  forms.add(bytesOf('=', utf8));
  if (codePoint >= 0x80 && codePoint <= 0xff) {
    forms.add(bytesOf('%', [codePoint]));
    forms.add(bytesOf('=', [codePoint]));
  }
  if (character === ' ') forms.add('\\+');
  if (utf8.length > 1) forms.add(escapeRegExp(Buffer.from(utf8).toString('latin1')));

  // JSON: \uXXXX per UTF-16 unit, or the short escape.
  let units = '';
  for (let i = 0; i < character.length; i += 1) {
    units += escapeRegExp('\\u') + hexPattern(character.charCodeAt(i), 4);
  }
  forms.add(units);
  const short = JSON_SHORT[character];
  if (short !== undefined) forms.add(escapeRegExp(short));

  // HTML: decimal and hexadecimal references (leading zeros allowed), and the named ones.
  forms.add(`&#0*${codePoint.toString(10)};`);
  forms.add(`&#[xX]0*${hexPattern(codePoint, 1)};`);
  for (const named of HTML_NAMED[character] ?? []) forms.add(escapeRegExp(named));

  return `(?:${[...forms].join('|')})`;
}

/**
 * The base64 forms of a secret, longest first: the whole encoding (padded and not, standard and
 * URL-safe), then for each of the three byte alignments the run of characters that depends on the
 * secret's bytes alone, which is what the secret looks like inside the base64 of a longer string.
 */
export function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms: string[] = [];
  const whole = bytes.toString('base64');
  forms.push(whole, whole.replace(/=+$/, ''));
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Character i carries bits 6i to 6i+5; the secret's bits run from 8·offset to 8·(offset + length).
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    const run = encoded.slice(first, end);
    if (run.length >= MIN_BASE64_RUN) forms.push(run);
  }
  const urlSafe = forms.map((form) => form.replace(/\+/g, '-').replace(/\//g, '_'));
  return [...new Set([...forms, ...urlSafe])].sort((a, b) => b.length - a.length);
}

/** A hexadecimal number of at least `width` digits, each letter matching in either case. */
function hexPattern(value: number, width: number): string {
  return value
    .toString(16)
    .padStart(width, '0')
    .replace(/[a-f]/g, (digit) => `[${digit}${digit.toUpperCase()}]`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
