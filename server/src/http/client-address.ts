import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import ipaddr from 'ipaddr.js';
import type { Config } from '../config';

type TrustProxy = Config['TRUST_PROXY'];

/** Whether an address is one of the proxies TRUST_PROXY names (IPv4-mapped IPv6 judged as IPv4). */
function trusted(address: string, trust: TrustProxy): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return trust.ranges.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits));
}

/**
 * The caller's address for rate limits and logs. Each proxy adds the address it got the request from
 * to the right of X-Forwarded-For. With a hop count, the entry that many places left of the
 * connection's peer is the client as the outermost trusted proxy saw it; with proxy addresses, the
 * rightmost entry that is not one of them. Entries further left are whatever the client claimed. The
 * workspace's in-process API calls hand over the browser's own request, so they count it too.
 */
export function clientAddress(c: Context, trust: TrustProxy): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const peer = incoming?.socket?.remoteAddress ?? 'unknown';
  if (!incoming || (!trust.hops && trust.ranges.length === 0)) return peer;
  const forwarded = String(incoming.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const chain = [...forwarded, peer];
  if (trust.hops) return chain[Math.max(0, chain.length - 1 - trust.hops)] ?? peer;
  let i = chain.length - 1;
  while (i > 0 && trusted(chain[i] as string, trust)) i--;
  return chain[i] ?? peer;
}
