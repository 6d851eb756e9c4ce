import { clientNetwork } from './client-network';

describe('clientNetwork', () => {
  it.each([
    ['an IPv4 address', '203.0.113.7', '203.0.113.7'],
    ['loopback', '127.0.0.2', '127.0.0.2'],
    ['an IPv4-mapped IPv6 address', '::ffff:203.0.113.7', '203.0.113.7'],
    ['an IPv4-mapped address in hex', '::ffff:cb00:7107', '203.0.113.7'],
    ['an IPv6 address', '2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['another address of the same /64', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['a compressed IPv6 address', '2001:db8::1', '2001:db8:0:0::/64'],
    ['upper case with leading zeros', '2001:0DB8:0001:0002::9', '2001:db8:1:2::/64'],
    ['a zone index', 'fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['IPv6 loopback', '::1', '0:0:0:0::/64'],
    ['NAT64 with an IPv4 tail', '64:ff9b::203.0.113.7', '64:ff9b:0:0::/64'],
    ['no address', '', ''],
    ['not an address', 'unknown', 'unknown'],
  ])('counts %s as its network', (_case, address, network) => {
    expect(clientNetwork(address)).toBe(network);
  });
});
