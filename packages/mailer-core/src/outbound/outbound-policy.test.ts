import { AllowListError, addressKind, createOutboundPolicy, parseAllowList } from './outbound-policy';

/** What the policy of `list` does with `address` reached for `host`. */
function verdict(list: string, host: string, address: string): 'allowed' | 'never' | 'private' {
  const refusal = createOutboundPolicy(parseAllowList(list)).refusal(host, address);
  return refusal === undefined ? 'allowed' : refusal.kind;
}

describe('addressKind: every range, in both spellings', () => {
  it.each([
    // never: link-local and metadata, unspecified, multicast, reserved
    ['169.254.169.254', 'never', 'link-local'],
    ['169.254.0.1', 'never', 'link-local'],
    ['::ffff:169.254.169.254', 'never', 'link-local'],
    ['::ffff:a9fe:a9fe', 'never', 'link-local'],
    ['64:ff9b::169.254.169.254', 'never', 'link-local'],
    ['fe80::1', 'never', 'link-local'],
    ['fe80::1%eth0', 'never', 'link-local'],
    ['febf:ffff::1', 'never', 'link-local'],
    ['fd00:ec2::254', 'never', 'cloud metadata'],
    ['0.0.0.0', 'never', 'unspecified'],
    ['0.1.2.3', 'never', 'unspecified'],
    ['::', 'never', 'unspecified'],
    ['::ffff:0.0.0.0', 'never', 'unspecified'],
    ['224.0.0.1', 'never', 'multicast'],
    ['239.255.255.250', 'never', 'multicast'],
    ['::ffff:224.0.0.251', 'never', 'multicast'],
    ['ff02::1', 'never', 'multicast'],
    ['255.255.255.255', 'never', 'reserved'],
    // private: loopback, RFC 1918, shared address space, unique local
    ['127.0.0.1', 'private', 'loopback'],
    ['127.255.255.254', 'private', 'loopback'],
    ['::1', 'private', 'loopback'],
    ['[::1]', 'private', 'loopback'],
    ['::ffff:127.0.0.1', 'private', 'loopback'],
    ['10.0.0.1', 'private', 'private'],
    ['10.255.255.255', 'private', 'private'],
    ['::ffff:10.1.2.3', 'private', 'private'],
    ['172.16.0.1', 'private', 'private'],
    ['172.31.255.255', 'private', 'private'],
    ['192.168.1.1', 'private', 'private'],
    ['100.64.0.1', 'private', 'shared (carrier-grade NAT)'],
    ['100.127.255.255', 'private', 'shared (carrier-grade NAT)'],
    ['fc00::1', 'private', 'private'],
    ['fd12:3456::1', 'private', 'private'],
    // public, including the neighbours of every range
    ['8.8.8.8', 'public', 'public'],
    ['169.253.255.255', 'public', 'public'],
    ['169.255.0.1', 'public', 'public'],
    ['172.15.255.255', 'public', 'public'],
    ['172.32.0.0', 'public', 'public'],
    ['100.63.255.255', 'public', 'public'],
    ['100.128.0.0', 'public', 'public'],
    ['223.255.255.255', 'public', 'public'],
    ['128.0.0.1', 'public', 'public'],
    ['2001:db8::1', 'public', 'public'],
    ['::ffff:8.8.8.8', 'public', 'public'],
    ['fec0::1', 'public', 'public'],
    ['fe00::1', 'public', 'public'],
  ])('%s is %s (%s)', (address, kind, label) => {
    expect(addressKind(address)).toEqual({ kind, label });
  });

  it('says nothing of text that is not an address', () => {
    expect(addressKind('smtp.example.com')).toBeUndefined();
    expect(addressKind('10.0.0.256')).toBeUndefined();
  });
});

describe('the policy of an allow list', () => {
  const LOOPBACK = '127.0.0.0/8,::1,localhost';

  it.each([
    // the never-reached ranges stay refused whatever the list says
    ['*', '169.254.169.254', '169.254.169.254', 'never'],
    ['*', 'metadata.internal', '169.254.169.254', 'never'],
    ['169.254.0.0/16', '169.254.169.254', '169.254.169.254', 'never'],
    ['*', '::ffff:169.254.169.254', '::ffff:169.254.169.254', 'never'],
    ['*', 'fd00:ec2::254', 'fd00:ec2::254', 'never'],
    ['fc00::/7', 'fd00:ec2::254', 'fd00:ec2::254', 'never'],
    ['*', '0.0.0.0', '0.0.0.0', 'never'],
    ['*', '::', '::', 'never'],
    ['*', '224.0.0.1', '224.0.0.1', 'never'],
    ['*', 'ff02::1', 'ff02::1', 'never'],
    ['*', 'fe80::1', 'fe80::1', 'never'],
    ['*.internal', 'metadata.internal', '169.254.169.254', 'never'],
    // public addresses are always reached, even with an empty list
    ['', 'smtp.example.com', '93.184.216.34', 'allowed'],
    ['', '2001:db8::25', '2001:db8::25', 'allowed'],
    // an empty list allows nothing private
    ['', '127.0.0.1', '127.0.0.1', 'private'],
    ['', 'localhost', '::1', 'private'],
    ['', '10.0.0.5', '10.0.0.5', 'private'],
    ['', '::ffff:127.0.0.1', '::ffff:127.0.0.1', 'private'],
    // the loopback default
    [LOOPBACK, '127.0.0.1', '127.0.0.1', 'allowed'],
    [LOOPBACK, '127.4.5.6', '127.4.5.6', 'allowed'],
    [LOOPBACK, '::1', '::1', 'allowed'],
    [LOOPBACK, 'localhost', '127.0.0.1', 'allowed'],
    [LOOPBACK, '::ffff:127.0.0.1', '::ffff:127.0.0.1', 'allowed'],
    [LOOPBACK, '10.0.0.5', '10.0.0.5', 'private'],
    [LOOPBACK, 'relay.lan', '192.168.1.10', 'private'],
    // ranges
    ['10.0.0.0/8', '10.20.30.40', '10.20.30.40', 'allowed'],
    ['10.0.0.0/8', '::ffff:10.20.30.40', '::ffff:10.20.30.40', 'allowed'],
    ['10.0.0.0/8', '127.0.0.1', '127.0.0.1', 'private'],
    ['10.0.0.0/8', '11.0.0.1', '11.0.0.1', 'allowed'],
    ['192.168.1.0/24', '192.168.1.200', '192.168.1.200', 'allowed'],
    ['192.168.1.0/24', '192.168.2.1', '192.168.2.1', 'private'],
    ['172.16.0.0/13', '172.23.0.1', '172.23.0.1', 'allowed'],
    ['172.16.0.0/13', '172.24.0.1', '172.24.0.1', 'private'],
    ['10.1.2.3', '10.1.2.3', '10.1.2.3', 'allowed'],
    ['10.1.2.3', '10.1.2.4', '10.1.2.4', 'private'],
    ['fd00::/8', 'fd12::1', 'fd12::1', 'allowed'],
    ['fd00::/8', 'fc00::1', 'fc00::1', 'private'],
    ['[::1]', '::1', '::1', 'allowed'],
    // host names: the provider's host, not what it resolves to
    ['relay.lan', 'relay.lan', '192.168.1.10', 'allowed'],
    ['relay.lan', 'RELAY.LAN.', '192.168.1.10', 'allowed'],
    ['relay.lan', 'other.lan', '192.168.1.10', 'private'],
    ['relay.lan', '192.168.1.10', '192.168.1.10', 'private'],
    ['*.corp.example', 'smtp.corp.example', '10.0.0.25', 'allowed'],
    ['*.corp.example', 'a.b.corp.example', '10.0.0.25', 'allowed'],
    ['*.corp.example', 'corp.example', '10.0.0.25', 'private'],
    ['*.corp.example', 'evilcorp.example', '10.0.0.25', 'private'],
    // `*`: anything private
    ['*', '10.0.0.5', '10.0.0.5', 'allowed'],
    ['*', 'relay.lan', '192.168.1.10', 'allowed'],
    ['*', '::1', '::1', 'allowed'],
    ['*', '100.64.1.1', '100.64.1.1', 'allowed'],
    // lists mix forms
    [' 10.0.0.0/8 , relay.lan ,, ', 'relay.lan', '172.16.0.9', 'allowed'],
    [' 10.0.0.0/8 , relay.lan ,, ', 'db.lan', '172.16.0.9', 'private'],
  ])('[%s] %s at %s: %s', (list, host, address, expected) => {
    expect(verdict(list, host, address)).toBe(expected);
  });

  it('names the address, its range and ALLOWED_PROVIDER_HOSTS in a refusal', () => {
    const policy = createOutboundPolicy(parseAllowList('10.0.0.0/8'));
    expect(policy.refusal('localhost', '127.0.0.1')?.message).toBe(
      '127.0.0.1 (localhost) is a loopback address, which is not in ALLOWED_PROVIDER_HOSTS: add the host or its range there if this provider really is on your network.',
    );
    expect(policy.refusal('::ffff:169.254.169.254', '::ffff:169.254.169.254')?.message).toBe(
      '::ffff:169.254.169.254 (169.254.169.254) is a link-local address, which providers are never reached at, whatever ALLOWED_PROVIDER_HOSTS says.',
    );
  });
});

describe('parseAllowList', () => {
  it.each([
    [
      '10.0.0.0/33',
      /"10\.0\.0\.0\/33" is not a valid CIDR range or address: the prefix length must be a whole number from 0 to 32/,
    ],
    ['10.0.0.1/8', /has address bits set past \/8/],
    ['10.0.0.0/', /prefix length/],
    ['10.0.0.0/x', /prefix length/],
    ['10.0.0/8', /"10\.0\.0" is not an IP address/],
    ['300.1.1.1', /is not a valid CIDR range or address/],
    ['fd00::/129', /from 0 to 128/],
    ['fd00:::1', /is not a valid CIDR range or address/],
    ['smtp_relay!', /is not a CIDR range, an address, a host name or a \*\.domain wildcard/],
    ['*.', /is not a CIDR range/],
    ['**.example.com', /is not a CIDR range/],
    ['https://relay.lan', /is not a valid CIDR range or address/],
  ])('refuses %s, naming ALLOWED_PROVIDER_HOSTS', (entry, problem) => {
    expect(() => parseAllowList(entry)).toThrow(AllowListError);
    expect(() => parseAllowList(entry)).toThrow(/^ALLOWED_PROVIDER_HOSTS: /);
    expect(() => parseAllowList(entry)).toThrow(problem);
  });

  it('lists every bad entry at once', () => {
    try {
      parseAllowList('10.0.0.0/8,10.0.0.0/40,relay.lan,bad host');
      throw new Error('expected an AllowListError');
    } catch (error) {
      expect(error).toBeInstanceOf(AllowListError);
      if (error instanceof AllowListError) expect(error.problems).toHaveLength(2);
    }
  });

  it('takes an empty list as nothing private, and * as everything private', () => {
    expect(parseAllowList('')).toEqual({ anyPrivate: false, ranges: [], hosts: [], domainSuffixes: [] });
    expect(parseAllowList(' , ')).toEqual({ anyPrivate: false, ranges: [], hosts: [], domainSuffixes: [] });
    expect(parseAllowList('*').anyPrivate).toBe(true);
  });
});
