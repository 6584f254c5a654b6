import { BlockList, SocketAddress, isIP } from 'node:net';

/** What `checkClientIp` found: the address in its canonical form, or why it is not acceptable. */
export type ClientIpCheck = { ok: true; address: string } | { ok: false; problem: string };

/** The longest text form of an address without a zone: IPv6 with an embedded IPv4. */
const MAX_ADDRESS_LENGTH = 45;

type Block = readonly [network: string, prefix: number, what: string];

/**
 * IPv4 blocks that are no end user's public address (the IANA IPv4 Special-Purpose Address Registry
 * entries that are not globally reachable, the deprecated 6to4 relay anycast, multicast and the
 * reserved 240/4 with the broadcast address). They match IPv4-mapped IPv6 addresses too.
 */
const NON_PUBLIC_IPV4: readonly Block[] = [
  ['0.0.0.0', 8, '"this network" (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'private (10.0.0.0/8)'],
  ['100.64.0.0', 10, 'carrier-grade NAT (100.64.0.0/10)'],
  ['127.0.0.0', 8, 'loopback (127.0.0.0/8)'],
  ['169.254.0.0', 16, 'link-local (169.254.0.0/16)'],
  ['172.16.0.0', 12, 'private (172.16.0.0/12)'],
  ['192.0.0.0', 24, 'IETF protocol assignments (192.0.0.0/24)'],
  ['192.0.2.0', 24, 'documentation (192.0.2.0/24)'],
  ['192.88.99.0', 24, '6to4 relay anycast (192.88.99.0/24)'],
  ['192.168.0.0', 16, 'private (192.168.0.0/16)'],
  ['198.18.0.0', 15, 'benchmarking (198.18.0.0/15)'],
  ['198.51.100.0', 24, 'documentation (198.51.100.0/24)'],
  ['203.0.113.0', 24, 'documentation (203.0.113.0/24)'],
  ['224.0.0.0', 4, 'multicast (224.0.0.0/4)'],
  ['240.0.0.0', 4, 'reserved or broadcast (240.0.0.0/4)'],
];

/**
 * IPv6 blocks that are no end user's public address. Only global unicast (2000::/3) can be one: the
 * first entries name the common blocks outside it, the last ones those within it that are not.
 */
const NON_PUBLIC_IPV6: readonly Block[] = [
  ['::', 128, 'unspecified (::)'],
  ['::1', 128, 'loopback (::1)'],
  ['64:ff9b::', 96, 'NAT64 (64:ff9b::/96)'],
  ['fc00::', 7, 'unique local (fc00::/7)'],
  ['fe80::', 10, 'link-local (fe80::/10)'],
  ['ff00::', 8, 'multicast (ff00::/8)'],
  ['2001::', 23, 'IETF protocol assignments, Teredo included (2001::/23)'],
  ['2001:db8::', 32, 'documentation (2001:db8::/32)'],
  ['2002::', 16, '6to4 (2002::/16)'],
  ['3fff::', 20, 'documentation (3fff::/20)'],
];

function blockLists(blocks: readonly Block[], family: 'ipv4' | 'ipv6') {
  return blocks.map(([network, prefix, what]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, family);
    return { list, what };
  });
}

const IPV4_BLOCKS = blockLists(NON_PUBLIC_IPV4, 'ipv4');
const IPV6_BLOCKS = blockLists(NON_PUBLIC_IPV6, 'ipv6');
const GLOBAL_UNICAST = blockLists([['2000::', 3, 'global unicast']], 'ipv6')[0].list;
const IPV4_MAPPED = blockLists([['::ffff:0:0', 96, 'IPv4-mapped']], 'ipv6')[0].list;

/**
 * Checks an end user's IP address (`clientIp`): only a public unicast IPv4 or IPv6 address is one.
 * Private, loopback, link-local, carrier-grade NAT, multicast, reserved, broadcast, documentation,
 * unique local addresses and zones are refused, an IPv4-mapped IPv6 address by its IPv4 address.
 * The accepted address comes back canonical (an IPv4-mapped one as plain IPv4, IPv6 compressed in
 * lower case), so that one user is one anti-flood key however the address was written. Bounded work:
 * the length is checked before the address is parsed.
 *
 * @example
 * checkClientIp('::ffff:77.88.8.8'); // { ok: true, address: '77.88.8.8' }
 * checkClientIp('192.168.1.10'); // { ok: false, problem: 'must be a public address, not private (192.168.0.0/16)' }
 */
export function checkClientIp(value: unknown): ClientIpCheck {
  const invalid = { ok: false, problem: 'must be an IPv4 or IPv6 address' } as const;
  if (typeof value !== 'string' || value.length > MAX_ADDRESS_LENGTH) return invalid;
  const family = isIP(value);
  if (family === 0) return invalid;
  if (family === 6 && value.includes('%')) {
    return { ok: false, problem: 'must be a public address without a zone (%…)' };
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const mapped = family === 6 && IPV4_MAPPED.check(value, 'ipv6');
  const blocks = family === 4 || mapped ? IPV4_BLOCKS : IPV6_BLOCKS;
  let notPublic = blocks.find((b) => b.list.check(value, type))?.what;
  if (!notPublic && family === 6 && !mapped && !GLOBAL_UNICAST.check(value, 'ipv6')) {
    notPublic = 'an unallocated or special block outside global unicast (2000::/3)';
  }
  if (notPublic) return { ok: false, problem: `must be a public address, not ${notPublic}` };
  if (family === 4) return { ok: true, address: value };
  const canonical = new SocketAddress({ address: value, family: 'ipv6' }).address;
  return { ok: true, address: mapped ? canonical.slice(canonical.lastIndexOf(':') + 1) : canonical };
}
