import {
  bareAddress,
  inRange,
  isIpLiteral,
  mappedIpv4,
  parseIp,
  parseRange,
  range,
  type IpRange,
} from './ip-address';

/** The environment variable of the API server that holds the allow list; named in every refusal. */
export const ALLOW_LIST_VARIABLE = 'ALLOWED_PROVIDER_HOSTS';

/** How an address is treated: never reached, reached only when listed, or reached freely. */
export type AddressKind = 'never' | 'private' | 'public';

interface NamedRange {
  kind: Exclude<AddressKind, 'public'>;
  range: IpRange;
  label: string;
}

function named(kind: NamedRange['kind'], label: string, ...texts: string[]): NamedRange[] {
  return texts.map((text) => ({ kind, range: range(text), label }));
}

/**
 * The ranges with a rule, first match wins. Link-local addresses carry the cloud metadata services
 * (169.254.169.254, fd00:ec2::254), so no allow list opens them; nor the unspecified, multicast and reserved
 * ranges, which name no single provider. IPv4 ranges also cover their IPv4-mapped IPv6 spelling.
 */
const RANGES: readonly NamedRange[] = [
  ...named('never', 'cloud metadata', 'fd00:ec2::254/128'),
  ...named('never', 'link-local', '169.254.0.0/16', 'fe80::/10'),
  ...named('never', 'unspecified', '0.0.0.0/8', '::/128'),
  ...named('never', 'multicast', '224.0.0.0/4', 'ff00::/8'),
  ...named('never', 'reserved', '240.0.0.0/4'),
  ...named('private', 'loopback', '127.0.0.0/8', '::1/128'),
  ...named('private', 'private', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'),
  ...named('private', 'shared (carrier-grade NAT)', '100.64.0.0/10'),
];

/** NAT64's well-known prefix carries an IPv4 address in its last 32 bits; that address is what is reached. */
const NAT64 = range('64:ff9b::/96');

/** What kind of address `address` is, and the name of its range. Undefined for text that is not an address. */
export function addressKind(address: string): { kind: AddressKind; label: string } | undefined {
  let bytes = parseIp(address);
  if (bytes === undefined) return undefined;
  if (inRange(bytes, NAT64)) bytes = parseIp(Array.from(bytes.subarray(12)).join('.')) ?? bytes;
  const match = RANGES.find((candidate) => inRange(bytes, candidate.range));
  return match ? { kind: match.kind, label: match.label } : { kind: 'public', label: 'public' };
}

/** The private hosts and ranges providers may be reached at; everything public is always allowed. */
export interface AllowList {
  /** `*`: every private address (the never-reached ranges stay refused). */
  anyPrivate: boolean;
  ranges: IpRange[];
  /** Exact host names, lower case, without a trailing dot. */
  hosts: string[];
  /** From `*.example.com`: `.example.com`, matched by the end of a host name. */
  domainSuffixes: string[];
}

/** The allow list cannot be read; `problems` says what is wrong with each bad entry. */
export class AllowListError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join(' '));
    this.name = 'AllowListError';
  }
}

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * Reads an allow list: comma-separated CIDR ranges (`10.0.0.0/8`, `fd00::/8`), single addresses, host names
 * (`smtp.internal`) and wildcard names (`*.corp.example`, any name below it), or `*` for every private
 * address. An empty list allows nothing private.
 *
 * @throws {AllowListError} naming `variable` and every entry that is neither.
 */
export function parseAllowList(
  spec: string | readonly string[],
  variable: string = ALLOW_LIST_VARIABLE,
): AllowList {
  const entries = (typeof spec === 'string' ? spec.split(',') : spec)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const list: AllowList = { anyPrivate: false, ranges: [], hosts: [], domainSuffixes: [] };
  const problems: string[] = [];
  for (const entry of entries) {
    const problem = addEntry(list, entry);
    if (problem !== undefined) problems.push(`${variable}: "${entry}" ${problem}.`);
  }
  if (problems.length > 0) throw new AllowListError(problems);
  return list;
}

function addEntry(list: AllowList, entry: string): string | undefined {
  if (entry === '*') {
    list.anyPrivate = true;
    return undefined;
  }
  if (entry.includes('/') || isIpLiteral(entry) || /^[\d.]+$/.test(entry) || entry.includes(':')) {
    const parsed = parseRange(bareAddress(entry));
    if ('problem' in parsed) return `is not a valid CIDR range or address: ${parsed.problem}`;
    list.ranges.push(parsed);
    return undefined;
  }
  const name = hostName(entry.startsWith('*.') ? entry.slice(2) : entry);
  if (name === undefined) {
    return 'is not a CIDR range, an address, a host name or a *.domain wildcard';
  }
  if (entry.startsWith('*.')) list.domainSuffixes.push(`.${name}`);
  else list.hosts.push(name);
  return undefined;
}

/** The host name in the form lists compare (lower case, no trailing dot), or undefined when it is not one. */
function hostName(text: string): string | undefined {
  const name = text.toLowerCase().replace(/\.$/, '');
  if (name.length === 0 || name.length > 253) return undefined;
  return name.split('.').every((label) => LABEL.test(label)) ? name : undefined;
}

/** Why a connection is refused: the address, its range, and what the operator can do. */
export interface OutboundRefusal {
  host: string;
  address: string;
  kind: Exclude<AddressKind, 'public'>;
  /** A sentence for operators, ending with a period. */
  message: string;
}

/**
 * Decides which addresses transports may connect to. Every transport asks it about the address it is about
 * to connect to, after DNS, so a host name that resolves to a refused address is caught as well.
 */
export interface OutboundPolicy {
  /** Undefined when `address`, reached for the provider host `host`, is allowed; else why it is not. */
  refusal(host: string, address: string): OutboundRefusal | undefined;
}

/**
 * The policy of an allow list: public addresses are reached; private ones (loopback, RFC 1918, shared
 * address space, unique local) only when listed by range or by the provider's host name; link-local and
 * metadata, unspecified, multicast and reserved addresses never.
 *
 * @example
 * const policy = createOutboundPolicy(parseAllowList('127.0.0.0/8,::1,localhost'));
 * policy.refusal('db.internal', '10.0.0.7')?.message; // "… add the host or its range to ALLOWED_PROVIDER_HOSTS."
 */
export function createOutboundPolicy(list: AllowList): OutboundPolicy {
  return {
    refusal(host, address) {
      const kind = addressKind(address);
      const shown = bareAddress(address);
      if (kind === undefined) {
        return {
          host,
          address: shown,
          kind: 'never',
          message: `${shown} is not an IP address, so it is not connected to.`,
        };
      }
      if (kind.kind === 'public') return undefined;
      const forHost = isIpLiteral(host) ? '' : ` (${hostName(host) ?? host})`;
      const ipv4 = mappedOf(address);
      const seen = ipv4 !== undefined ? `${shown} (${ipv4})` : shown;
      if (kind.kind === 'never') {
        return {
          host,
          address: shown,
          kind: 'never',
          message: `${seen}${forHost} is a ${kind.label} address, which providers are never reached at, whatever ${ALLOW_LIST_VARIABLE} says.`,
        };
      }
      if (allowsPrivate(list, host, address)) return undefined;
      return {
        host,
        address: shown,
        kind: 'private',
        message: `${seen}${forHost} is a ${kind.label} address, which is not in ${ALLOW_LIST_VARIABLE}: add the host or its range there if this provider really is on your network.`,
      };
    },
  };
}

function mappedOf(address: string): string | undefined {
  if (!bareAddress(address).includes(':')) return undefined;
  const bytes = parseIp(address);
  return bytes ? mappedIpv4(bytes) : undefined;
}

function allowsPrivate(list: AllowList, host: string, address: string): boolean {
  if (list.anyPrivate) return true;
  const bytes = parseIp(address);
  if (bytes !== undefined && list.ranges.some((allowed) => inRange(bytes, allowed))) return true;
  if (isIpLiteral(host)) return false;
  const name = hostName(host);
  if (name === undefined) return false;
  return list.hosts.includes(name) || list.domainSuffixes.some((suffix) => name.endsWith(suffix));
}

/**
 * What transports use when their caller gives no policy: every private address is allowed (a library
 * cannot know the network it runs on), the never-reached ranges are still refused.
 */
export const PRIVATE_NETWORKS_ALLOWED: OutboundPolicy = createOutboundPolicy(parseAllowList('*'));

/** The refusal for a provider host that is itself an address; host names are judged after DNS. */
export function literalRefusal(policy: OutboundPolicy, host: string): OutboundRefusal | undefined {
  return isIpLiteral(host) ? policy.refusal(host, bareAddress(host)) : undefined;
}
