import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '@autocrm/shared';
import ipaddr from 'ipaddr.js';

// Targets a webhook may not reach unless the operator allows them: loopback, private, link-local
// (cloud metadata lives there), carrier-grade NAT, multicast, unspecified and reserved ranges.
const LOOPBACK: [string, number, 'ipv4' | 'ipv6'][] = [
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
];
const PRIVATE: [string, number, 'ipv4' | 'ipv6'][] = [
  ['10.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['fc00::', 7, 'ipv6'],
];
const ALWAYS_BLOCKED: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

export class SsrfGuard {
  private readonly blocked = new BlockList();
  private readonly allowed = new BlockList();

  /** `allow`: comma-separated `loopback`, `private` or CIDRs (WEBHOOK_ALLOW_PRIVATE). */
  constructor(allow: string) {
    const tokens = allow
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    for (const [net, prefix, type] of [...LOOPBACK, ...PRIVATE, ...ALWAYS_BLOCKED]) this.blocked.addSubnet(net, prefix, type);
    for (const token of tokens) {
      if (token === 'loopback') for (const [n, p, t] of LOOPBACK) this.allowed.addSubnet(n, p, t);
      else if (token === 'private') for (const [n, p, t] of PRIVATE) this.allowed.addSubnet(n, p, t);
      else {
        const [net, prefix] = token.split('/');
        const type = isIP(net ?? '');
        if (!net || !type) throw new Error(`WEBHOOK_ALLOW_PRIVATE: ${token} is not loopback, private or a CIDR`);
        this.allowed.addSubnet(net, Number(prefix ?? (type === 4 ? 32 : 128)), type === 4 ? 'ipv4' : 'ipv6');
      }
    }
  }

  isAllowedAddress(address: string): boolean {
    let parsed: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      parsed = ipaddr.parse(address);
    } catch {
      return false;
    }
    // IPv6 forms that carry an IPv4 address reach that IPv4 host: judge them as it.
    const carried = parsed.kind() === 'ipv6' ? embeddedIPv4(parsed as ipaddr.IPv6) : undefined;
    if (carried === null) return false;
    if (carried) return this.isAllowedAddress(carried);
    const normal = parsed.toNormalizedString();
    const type = parsed.kind();
    if (this.allowed.check(normal, type)) return true;
    return !this.blocked.check(normal, type);
  }

  /** Resolves the URL's host and refuses it when any address is in a blocked range. */
  async assertAllowedUrl(url: string): Promise<void> {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
    if (addresses.length === 0) {
      throw new AppError('validation_failed', 'url: host does not resolve', [{ path: 'url', message: 'host does not resolve' }]);
    }
    const bad = addresses.find((a) => !this.isAllowedAddress(a));
    if (bad) {
      throw new AppError('validation_failed', `url: ${bad} is in a private, loopback or link-local range`, [
        { path: 'url', message: 'targets a private, loopback or link-local address' },
      ]);
    }
  }
}

/**
 * The IPv4 address an IPv6 address carries, if any: IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible
 * `::a.b.c.d`, NAT64 `64:ff9b::/96` (RFC 6052), 6to4 `2002:aabb:ccdd::/48`, and Teredo (whose client
 * address is stored inverted). `null` for translation prefixes whose target cannot be known
 * (local-use NAT64 `64:ff9b:1::/48`): those are refused outright.
 */
function embeddedIPv4(v6: ipaddr.IPv6): string | null | undefined {
  const p = v6.parts;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zeros = (from: number, to: number) => p.slice(from, to).every((x) => x === 0);
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  if (zeros(0, 6) && !(p[6] === 0 && (p[7] === 0 || p[7] === 1))) return v4(p[6]!, p[7]!);
  if (p[0] === 0x64 && p[1] === 0xff9b && zeros(2, 6)) return v4(p[6]!, p[7]!);
  if (p[0] === 0x64 && p[1] === 0xff9b && p[2] === 1) return null;
  if (p[0] === 0x2002) return v4(p[1]!, p[2]!);
  if (p[0] === 0x2001 && p[1] === 0) return v4(p[6]! ^ 0xffff, p[7]! ^ 0xffff);
  return undefined;
}
