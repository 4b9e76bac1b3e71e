import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/**
 * The caller's address for rate limits. Behind TRUST_PROXY proxies, each added itself to the right
 * of X-Forwarded-For: the entry that many places left of the connection's peer is the client as the
 * outermost trusted proxy saw it (entries further left are whatever the client claimed). The
 * workspace's in-process API calls hand over the browser's own request, so they count it too.
 */
export function clientAddress(c: Context, trustProxyHops: number): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const peer = incoming?.socket?.remoteAddress ?? 'unknown';
  if (!trustProxyHops || !incoming) return peer;
  const forwarded = String(incoming.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const chain = [...forwarded, peer];
  return chain[Math.max(0, chain.length - 1 - trustProxyHops)] ?? peer;
}
