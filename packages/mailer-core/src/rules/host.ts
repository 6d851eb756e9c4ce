import { PROVIDER_LIMITS } from './limits';

// No node:net here: these checks also run in the browser.

const IPV4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${IPV4_OCTET}(?:\\.${IPV4_OCTET}){3}$`);
const IPV6_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const HOSTNAME_LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;

/** `[::1]` as `::1`; anything else unchanged. */
function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** The four octets of a dotted IPv4 address (no leading zeros), or undefined. */
function ipv4Octets(text: string): [number, number, number, number] | undefined {
  if (!IPV4.test(text)) return undefined;
  const [a = 0, b = 0, c = 0, d = 0] = text.split('.').map(Number);
  return [a, b, c, d];
}

/** The groups of one side of `::` (an IPv4 tail counts as two), or undefined when one is malformed. */
function ipv6Pieces(part: string, mayEndInIpv4: boolean): number[] | undefined {
  if (part === '') return [];
  const pieces = part.split(':');
  const groups: number[] = [];
  for (const [index, piece] of pieces.entries()) {
    if (mayEndInIpv4 && index === pieces.length - 1 && piece.includes('.')) {
      const octets = ipv4Octets(piece);
      if (!octets) return undefined;
      groups.push(octets[0] * 256 + octets[1], octets[2] * 256 + octets[3]);
    } else if (IPV6_GROUP.test(piece)) {
      groups.push(parseInt(piece, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

/** The eight 16-bit groups of an IPv6 address (`::` and an IPv4 tail allowed), or undefined. */
function ipv6Groups(text: string): number[] | undefined {
  if (!text.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const [head = '', tail] = halves;
  if (tail === undefined) {
    const groups = ipv6Pieces(head, true);
    return groups?.length === 8 ? groups : undefined;
  }
  const before = ipv6Pieces(head, false);
  const after = ipv6Pieces(tail, true);
  if (!before || !after) return undefined;
  const missing = 8 - before.length - after.length;
  if (missing < 1) return undefined;
  return [...before, ...new Array<number>(missing).fill(0), ...after];
}

/** True for an IPv4 or IPv6 address, bracketed or not; false for a host name. */
export function isIpLiteral(host: string): boolean {
  const bare = unbracket(host);
  return ipv4Octets(bare) !== undefined || ipv6Groups(bare) !== undefined;
}

/**
 * `localhost`, `*.localhost`, 127.0.0.0/8 and ::1 (in any spelling, IPv4-mapped included): this machine.
 * Plain SMTP may carry a password, and plain HTTP an API key, only toward these hosts.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = unbracket(host).toLowerCase();
  const name = bare.endsWith('.') ? bare.slice(0, -1) : bare;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  const v4 = ipv4Octets(bare);
  if (v4) return v4[0] === 127;
  const v6 = ipv6Groups(bare);
  if (!v6) return false;
  const leadingZeros = (count: number): boolean => v6.slice(0, count).every((group) => group === 0);
  if (leadingZeros(7) && v6[7] === 1) return true;
  const mapped = leadingZeros(5) && v6[5] === 0xffff;
  return mapped && Math.floor((v6[6] ?? 0) / 256) === 127;
}

/** What is wrong with a host as typed in a provider's Host field. */
export type HostProblem =
  'hostRequired' | 'tooLong' | 'hostSpaces' | 'hostScheme' | 'hostPath' | 'hostPort' | 'hostInvalid';

/** The first thing wrong with a host (a name or an IP address, nothing around it), or undefined. */
export function hostProblem(host: string): HostProblem | undefined {
  if (host.length === 0) return 'hostRequired';
  if (host.length > PROVIDER_LIMITS.hostMax) return 'tooLong';
  if (/\s/.test(host)) return 'hostSpaces';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) return 'hostScheme';
  if (host.includes('/')) return 'hostPath';
  if (isIpLiteral(host)) return undefined;
  if (/^[^:]+:\d+$/.test(host)) return 'hostPort';
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (!name.split('.').every((label) => HOSTNAME_LABEL.test(label))) return 'hostInvalid';
  return undefined;
}
