import { AppError, ErrorResponse } from '@autocrm/shared';
import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { type PortalCustomer, resolvePortalSession } from '../../domain/portal/sessions';
import { assertStorableText } from '../../domain/text/storable-text';
import type { AppDeps, AppEnv } from '../context';
import { fromZod } from '../errors';

/** The header a portal call carries its customer session in (never a cookie: no CSRF, no agent cookie). */
export const PORTAL_SESSION_HEADER = 'x-portal-session';

type PortalEnv = { Variables: AppEnv['Variables'] & { customer: PortalCustomer } };

export const portalError = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorResponse } },
});
const ERRORS = {
  400: portalError('Invalid input; nothing was stored'),
  401: portalError('No portal session, or it ended'),
  404: portalError('Not found (or not this customer’s)'),
  429: portalError('Too many requests'),
};

export const PortalOk = z.object({ ok: z.literal(true) });

/**
 * The portal's own sub-app and how its operations are declared: every one tagged "Portal", with an
 * operation id from its summary and the errors every portal call may answer; `customer` ones need a
 * portal session (`X-Portal-Session`), resolved to the customer's contact before the handler runs.
 */
export function portalApp({ db }: AppDeps) {
  const app = new OpenAPIHono<PortalEnv>({
    defaultHook: (result) => {
      if (!result.success) throw fromZod(result.error);
      assertStorableText(result.data);
      return undefined;
    },
  });
  const requireCustomer: MiddlewareHandler<PortalEnv> = async (c, next) => {
    const token = c.req.header(PORTAL_SESSION_HEADER);
    const customer = token ? await resolvePortalSession(db, token) : undefined;
    if (!customer) throw new AppError('unauthenticated', 'sign in to the portal first');
    c.set('customer', customer);
    await next();
  };
  const documented = (r: RouteConfig, signedIn: boolean) => ({
    ...r,
    tags: ['Portal'],
    operationId:
      r.operationId ??
      `portal${(r.summary ?? '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : '')).replace(/^./, (ch) => ch.toUpperCase())}`,
    description: `${r.description ?? `${r.summary}.`}\n\n${signedIn ? 'Needs a portal session (`X-Portal-Session`), a customer signed in to the portal.' : 'Public: no authentication.'}`,
    responses: { ...ERRORS, ...r.responses },
  });
  const open = <const R extends RouteConfig>(r: R): R => createRoute({ ...documented(r, false), security: [] }) as unknown as R;
  const customer = <const R extends RouteConfig>(r: R): R =>
    createRoute({
      ...documented(r, true),
      security: [{ portalSession: [] }],
      middleware: [requireCustomer],
    }) as unknown as R;
  return { app, open, customer };
}

export type PortalApp = ReturnType<typeof portalApp>;
