import { isIP } from 'node:net';

/**
 * An IP address as 16 bytes. IPv4 addresses take their IPv4-mapped IPv6 form (`::ffff:a.b.c.d`), so an
 * IPv4 range and the mapped spelling of an address inside it are one and the same comparison.
 */
export type IpBytes = Uint8Array;

/** A network: the address and how many of its leading bits are fixed. */
export interface IpRange {
  network: IpBytes;
  prefixLength: number;
}

const MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** `[::1]` and `fe80::1%eth0` as the bare address; anything else unchanged. */
export function bareAddress(text: string): string {
  const unbracketed = /^\[(.*)\]$/.exec(text.trim())?.[1] ?? text.trim();
  const zone = unbracketed.indexOf('%');
  return zone >= 0 && isIP(unbracketed) === 6 ? unbracketed.slice(0, zone) : unbracketed;
}

/** True when `text` is an IP address (brackets and an IPv6 zone allowed), not a host name. */
export function isIpLiteral(text: string): boolean {
  return isIP(bareAddress(text)) !== 0;
}

/** The 16 bytes of an IP address, or undefined when `text` is not one. */
export function parseIp(text: string): IpBytes | undefined {
  const address = bareAddress(text);
  switch (isIP(address)) {
    case 4:
      return Uint8Array.from([...MAPPED_PREFIX, ...ipv4Octets(address)]);
    case 6:
      return ipv6Bytes(address);
    default:
      return undefined;
  }
}

/** The IPv4 address inside an IPv4-mapped IPv6 address, else undefined. */
export function mappedIpv4(bytes: IpBytes): string | undefined {
  if (!MAPPED_PREFIX.every((byte, index) => bytes[index] === byte)) return undefined;
  return Array.from(bytes.subarray(12)).join('.');
}

/** `a.b.c.d/n` or `x::y/n` (a bare address is the whole of it), or what is wrong with the text. */
export function parseRange(text: string): IpRange | { problem: string } {
  const slash = text.indexOf('/');
  const addressText = slash >= 0 ? text.slice(0, slash) : text;
  const family = isIP(addressText);
  if (family === 0) return { problem: `"${addressText}" is not an IP address` };
  const network = parseIp(addressText);
  if (network === undefined) return { problem: `"${addressText}" is not an IP address` };
  const maxLength = family === 4 ? 32 : 128;
  let length = maxLength;
  if (slash >= 0) {
    const lengthText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(lengthText) || Number(lengthText) > maxLength) {
      return { problem: `the prefix length must be a whole number from 0 to ${maxLength}` };
    }
    length = Number(lengthText);
  }
  const prefixLength = family === 4 ? length + 96 : length;
  if (!hostBitsClear(network, prefixLength)) {
    return { problem: `it has address bits set past /${length}` };
  }
  return { network, prefixLength };
}

/** A range written as it appears in the tables (`10.0.0.0/8`): tables only hold valid ones. */
export function range(text: string): IpRange {
  const parsed = parseRange(text);
  if ('problem' in parsed) throw new Error(`Bad built-in range ${text}: ${parsed.problem}.`);
  return parsed;
}

/** Whether `address` lies inside `network`. */
export function inRange(address: IpBytes, { network, prefixLength }: IpRange): boolean {
  const whole = Math.floor(prefixLength / 8);
  for (let index = 0; index < whole; index += 1) {
    if (address[index] !== network[index]) return false;
  }
  const rest = prefixLength % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((address[whole] ?? 0) & mask) === ((network[whole] ?? 0) & mask);
}

function hostBitsClear(network: IpBytes, prefixLength: number): boolean {
  for (let bit = prefixLength; bit < 128; bit += 1) {
    const byte = network[Math.floor(bit / 8)] ?? 0;
    if ((byte >> (7 - (bit % 8))) & 1) return false;
  }
  return true;
}

function ipv4Octets(address: string): number[] {
  return address.split('.').map(Number);
}

/** Expands `::`, reads an IPv4 tail (`::ffff:1.2.3.4`); the text has already passed `isIP`. */
function ipv6Bytes(address: string): IpBytes {
  let text = address.toLowerCase();
  const tail: number[] = [];
  const ipv4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (ipv4Tail !== undefined) {
    tail.push(...ipv4Octets(ipv4Tail));
    text = text.slice(0, text.length - ipv4Tail.length);
    if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1);
  }
  const groupsWanted = 8 - tail.length / 2;
  const [head = '', rest] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const fill = rest === undefined ? 0 : groupsWanted - headGroups.length - restGroups.length;
  const groups = [...headGroups, ...Array<string>(fill).fill('0'), ...restGroups];
  const bytes: number[] = [];
  for (const group of groups) {
    const value = parseInt(group, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  return Uint8Array.from([...bytes, ...tail]);
}
