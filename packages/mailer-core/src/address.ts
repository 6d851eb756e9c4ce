import type { Address, AddressInput } from './message';
import { isAddrSpec } from './rules/address-spec';

// The addr-spec check and its limit live with the rules, which the browser shares.
export { MAX_ADDRESS_LENGTH } from './rules/limits';
export { isAddrSpec } from './rules/address-spec';

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
