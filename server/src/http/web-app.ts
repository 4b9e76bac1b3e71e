import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Context } from 'hono';
import type { Logger } from 'pino';
import { rootDir } from '../paths';

/** Paths the workspace must never answer: the API, sockets, ops endpoints and the widget's routes. */
const RESERVED = /^\/(api|socket\.io|healthz|readyz|metrics|widget|demo)(\/|$|\.|-)/;
/**
 * What the workspace serves (its pages and build assets); any other path stays a JSON 404 from the API.
 * A new top-level page in web/src/routes is added here too.
 */
const WEB_PATHS =
  /^\/($|(login|logout|inbox|contacts|companies|supervisor|reports|help|portal|settings|forgot-password|reset-password|invite)(\/|$)|_app\/|favicon\.svg$|sw\.js$)/;

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
export type ApiFetch = (req: Request, env: unknown) => Response | Promise<Response>;

const PROTO_HEADER = 'x-autocrm-web-proto';
const BUILD = path.join(rootDir, 'web/build/handler.js');

/**
 * The SvelteKit workspace (web/build, adapter-node) as the last fallback of the Hono app, so pages,
 * API and sockets share one port. Its server code calls the API in-process through `req.autocrmApi`
 * (the same Hono app, full authentication), never over the network. Without a build the server runs
 * API-only and says so once.
 */
export function webFallback(logger: Logger, api: () => ApiFetch) {
  let loaded: Promise<NodeHandler | null> | undefined;
  const load = () => {
    // adapter-node reads its settings from the environment when the module loads. The protocol comes
    // from a header this server sets on each request (below), never from the client.
    process.env.PROTOCOL_HEADER = PROTO_HEADER;
    loaded ??= existsSync(BUILD)
      ? import(BUILD).then((m: { handler: NodeHandler }) => m.handler)
      : Promise.resolve(null).then(() => {
          logger.warn('web/build is missing: run `npm run build:web` to serve the workspace');
          return null;
        });
    return loaded;
  };
  return async (c: Context): Promise<Response | null> => {
    if (RESERVED.test(c.req.path) || !WEB_PATHS.test(c.req.path)) return null;
    const env = c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
    if (!env?.incoming || !env.outgoing) return null;
    const handler = await load();
    if (!handler) return null;
    const { incoming, outgoing } = env;
    (incoming as IncomingMessage & { autocrmApi?: ApiFetch }).autocrmApi = api();
    // Same rule as the session cookie's Secure flag: TLS here, or a proxy saying https.
    const forwarded = String(incoming.headers['x-forwarded-proto'] ?? '')
      .split(',')[0]
      ?.trim();
    incoming.headers[PROTO_HEADER] =
      forwarded === 'https' || (incoming.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    // Pages get theirs from hooks.server.ts; build assets and files sirv serves get it here.
    outgoing.setHeader('X-Content-Type-Options', 'nosniff');
    const handled = await new Promise<boolean>((resolve) => {
      outgoing.once('close', () => resolve(true));
      outgoing.once('finish', () => resolve(true));
      handler(incoming, outgoing, () => resolve(false));
    });
    // A fresh marker per request: middleware may still add headers to it after the page was sent.
    return handled ? new Response(null, { headers: { 'x-hono-already-sent': '1' } }) : null;
  };
}
