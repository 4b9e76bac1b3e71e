import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '@autocrm/shared';

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
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    // IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it carries.
    const mapped = type === 'ipv6' ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address) : null;
    if (mapped?.[1]) return this.isAllowedAddress(mapped[1]);
    if (this.allowed.check(address, type)) return true;
    return !this.blocked.check(address, type);
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
