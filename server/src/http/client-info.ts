import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { Config } from '../config';
import type { ClientInfo } from '../domain/auth/sessions';
import { clientAddress } from './client-address';

/**
 * Address and browser of the caller, for the session list. The workspace's in-process API calls hand
 * over the browser's own request, whose user agent is the one to show.
 */
export function clientInfo(c: Context, trustProxy: Config['TRUST_PROXY']): ClientInfo {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const ua = incoming?.headers['user-agent'] ?? c.req.header('user-agent');
  return { ip: clientAddress(c, trustProxy), userAgent: typeof ua === 'string' ? ua : undefined };
}
