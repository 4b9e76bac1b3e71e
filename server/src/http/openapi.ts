import type { Scope } from '@autocrm/shared';
import { ErrorResponse } from '@autocrm/shared';
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { z } from 'zod';
import { requireScope, requireUser } from './middleware/require-scope';

const error = (description: string) => ({ description, content: { 'application/json': { schema: ErrorResponse } } });

const ERRORS = {
  400: error('Invalid input: the message and `issues` name each bad field; nothing was stored'),
  401: error('Not signed in, or the API key is invalid or revoked'),
  403: error('The caller lacks the scope or role this needs'),
  404: error('Not found (or not visible to the caller)'),
  409: error('Conflicts with existing data'),
  413: error('Body too large'),
  415: error('Body is not application/json'),
  429: error('Too many requests'),
};

export const SECURITY: { [scheme: string]: string[] }[] = [{ apiKey: [] }, { session: [] }];

/**
 * Declares an operation with the scope it needs. The scope is enforced by middleware and published
 * in the OpenAPI document as `x-required-scope`, so the docs and the guard cannot disagree.
 */
export function secured<const R extends Omit<RouteConfig, 'middleware' | 'security'>>(scope: Scope | 'user', route: R): R {
  // The cast keeps R's request and response types for handler typing; the added parts are untyped extras.
  return createRoute({
    ...route,
    middleware: [scope === 'user' ? requireUser() : requireScope(scope)],
    security: SECURITY,
    'x-required-scope': scope,
    responses: { ...ERRORS, ...route.responses },
  }) as unknown as R;
}

export function publicRoute<const R extends RouteConfig>(route: R): R {
  return createRoute({ ...route, responses: { ...ERRORS, ...route.responses } }) as unknown as R;
}

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
