import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isIpLiteral } from './ip-address';
import { literalRefusal, type OutboundPolicy, type OutboundRefusal } from './outbound-policy';

/** The error code of a connection the outbound policy refused; no packet was sent to the address. */
export const OUTBOUND_REFUSED = 'EOUTBOUND';

/** A connection the outbound policy refused before it was made. */
export class OutboundRefusedError extends Error {
  readonly code = OUTBOUND_REFUSED;
  constructor(readonly refusal: OutboundRefusal) {
    super(refusal.message);
    this.name = 'OutboundRefusedError';
  }
}

/**
 * A DNS lookup for `net.connect`, `tls.connect` and HTTP agents that hands the socket only addresses the
 * policy allows: if any address the name resolves to is refused, the lookup fails with
 * {@link OutboundRefusedError} and no connection is attempted. Refusing the whole name, rather than
 * dropping the refused addresses, keeps a name that mixes a public and a metadata address from reaching
 * the latter through a fallback. Addresses given as literals never reach a lookup: check them with
 * {@link literalRefusal} first.
 */
export function guardedLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        callback(error, '');
        return;
      }
      const refusal = firstRefusal(policy, hostname, addresses);
      if (refusal !== undefined) {
        callback(new OutboundRefusedError(refusal), '');
        return;
      }
      const [first] = addresses;
      if (options.all === true) callback(null, addresses);
      else if (first !== undefined) callback(null, first.address, first.family);
      else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
    });
  };
}

/**
 * Resolves `host` and says whether the policy would refuse it, without connecting: for a check that can
 * answer an operator before any connection is tried. A name that does not resolve within `timeoutMs` is
 * not judged (undefined): the connection attempt will report the DNS failure itself.
 */
export function vetHost(
  policy: OutboundPolicy,
  host: string,
  timeoutMs = 5_000,
): Promise<OutboundRefusal | undefined> {
  if (isIpLiteral(host)) return Promise.resolve(literalRefusal(policy, host));
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    dnsLookup(host.trim(), { all: true }, (error, addresses: LookupAddress[]) => {
      clearTimeout(timer);
      resolve(error ? undefined : firstRefusal(policy, host.trim(), addresses));
    });
  });
}

function firstRefusal(
  policy: OutboundPolicy,
  host: string,
  addresses: readonly LookupAddress[],
): OutboundRefusal | undefined {
  for (const { address } of addresses) {
    const refusal = policy.refusal(host, address);
    if (refusal !== undefined) return refusal;
  }
  return undefined;
}
