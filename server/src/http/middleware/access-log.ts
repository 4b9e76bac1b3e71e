import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import type { Metrics } from '../../ops/metrics';
import { clientAddress } from '../client-address';
import type { AppEnv } from '../context';

/**
 * One structured line per request. Only the path is logged, never the query string, headers or body,
 * so tokens, keys and passwords cannot reach the logs.
 */
export const accessLog =
  (logger: Logger, metrics: Metrics, trustProxy: Config['TRUST_PROXY']): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const started = performance.now();
    await next();
    const ms = performance.now() - started;
    const route = c.req.routePath || 'unmatched';
    metrics.httpDuration.observe({ method: c.req.method, route, status: String(c.res.status) }, ms / 1000);
    const actor = c.get('actor');
    logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(ms * 10) / 10,
        // The client as TRUST_PROXY lets us see it (behind a proxy, not the proxy's address).
        ip: clientAddress(c, trustProxy),
        actor: actor ? (actor.kind === 'system' ? 'system' : `${actor.kind}:${actor.id}`) : undefined,
      },
      'request',
    );
  };
