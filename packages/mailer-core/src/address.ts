import type { Address, AddressInput } from './message';

/** RFC 5321 limits: 64 octets of local part, 254 for the whole path as used in practice. */
const MAX_LOCAL_LENGTH = 64;
/** The longest address a forward path can carry (RFC 5321 §4.5.3.1.3 minus the angle brackets). */
export const MAX_ADDRESS_LENGTH = 254;

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\u0080-\\uFFFF-]+";
const DOT_ATOM = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`);
const QUOTED_LOCAL = /^"(?:[^"\\\r\n]|\\[^\r\n])*"$/;
const DOMAIN_LABEL = /^(?!-)[A-Za-z0-9\u0080-\uFFFF-]{1,63}(?<!-)$/;
const DOMAIN_LITERAL = /^\[(?:\d{1,3}(?:\.\d{1,3}){3}|IPv6:[0-9A-Fa-f:.]+)\]$/;

/**
 * True for an addr-spec (`local@domain`) as mail systems accept it: a dot-atom or quoted local part and a
 * host name or address literal. Display names and angle brackets are not part of an addr-spec.
 */
export function isAddrSpec(value: string): boolean {
  if (value.length === 0 || value.length > MAX_ADDRESS_LENGTH) return false;
  // Whitespace is allowed only inside a quoted local part; most addresses have no quotes to strip.
  const unquoted = value.includes('"') ? value.replace(/"(?:[^"\\]|\\.)*"/g, '""') : value;
  if (/\s/.test(unquoted)) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > MAX_LOCAL_LENGTH) return false;
  if (!DOT_ATOM.test(local) && !QUOTED_LOCAL.test(local)) return false;
  if (DOMAIN_LITERAL.test(domain)) return true;
  const labels = domain.split('.');
  return labels.every((label) => DOMAIN_LABEL.test(label));
}

/** The domain of an addr-spec, or undefined when there is none. */
export function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0 || at === address.length - 1) return undefined;
  return address.slice(at + 1);
}

/** Thrown by {@link parseAddress} and {@link parseAddressList}; says which text could not be read. */
export class AddressParseError extends Error {
  constructor(
    message: string,
    readonly input: string,
  ) {
    super(message);
    this.name = 'AddressParseError';
  }
}

/**
 * Reads one mailbox from `"a@example.com"`, `"<a@example.com>"`, `"Ann <a@example.com>"`,
 * `"\"Doe, Ann\" <a@example.com>"` or an {@link Address} object.
 */
export function parseAddress(input: AddressInput): Address {
  if (typeof input !== 'string') return checkedAddress(input.address, input.name, describe(input));
  const text = input.trim();
  if (/[\r\n]/.test(text)) throw new AddressParseError('contains a line break', input);
  const open = findUnquoted(text, '<');
  if (open < 0) return checkedAddress(text, undefined, input);
  if (!text.endsWith('>')) throw new AddressParseError('has text after the closing ">"', input);
  const address = text.slice(open + 1, -1).trim();
  const name = unquote(text.slice(0, open).trim());
  return checkedAddress(address, name.length > 0 ? name : undefined, input);
}

/**
 * Reads one input or a list of inputs; a string may hold several mailboxes separated by commas or
 * semicolons (commas inside quotes or angle brackets do not separate).
 */
export function parseAddressList(input: AddressInput | AddressInput[] | undefined): Address[] {
  if (input === undefined) return [];
  const items = Array.isArray(input) ? input : [input];
  const out: Address[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      for (const part of splitList(item)) out.push(parseAddress(part));
    } else {
      out.push(parseAddress(item));
    }
  }
  return out;
}

/** `Ann <a@example.com>`, quoting the name when it holds characters that would change the meaning. */
export function formatAddress(address: Address): string {
  if (!address.name) return address.address;
  const needsQuotes = /[",;:<>@()[\]\\.]/.test(address.name);
  const name = needsQuotes ? `"${address.name.replace(/(["\\])/g, '\\$1')}"` : address.name;
  return `${name} <${address.address}>`;
}

function checkedAddress(address: string, name: string | undefined, original: string): Address {
  if (typeof address !== 'string' || !isAddrSpec(address)) {
    throw new AddressParseError('is not a valid email address', original);
  }
  if (name !== undefined && /[\r\n]/.test(name)) {
    throw new AddressParseError('has a line break in its display name', original);
  }
  return name ? { address, name } : { address };
}

function describe(input: Address): string {
  return typeof input.address === 'string' ? input.address : String(input.address);
}

function unquote(name: string): string {
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) {
    return name.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return name;
}

function findUnquoted(text: string, char: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) {
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === char && !quoted) {
      return i;
    }
  }
  return -1;
}

function splitList(text: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let angle = false;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '\\' && quoted) {
      current += c + text.charAt(i + 1);
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (c === '<' && !quoted) angle = true;
    else if (c === '>' && !quoted) angle = false;
    if ((c === ',' || c === ';') && !quoted && !angle) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  const nonEmpty = parts.map((part) => part.trim()).filter((part) => part.length > 0);
  if (nonEmpty.length === 0) throw new AddressParseError('holds no address', text);
  return nonEmpty;
}
