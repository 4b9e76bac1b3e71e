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
 * `List conversations` -> `listConversations`: every operation gets a stable, readable id for client
 * generators without each route spelling one out (tests/openapi.test.ts checks they are unique).
 */
export function operationIdOf(summary: string): string {
  const words = summary
    .replace(/'s\b/g, '')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .split(' ');
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1))).join('');
}

/** Who may call an operation, in words, appended to every description so the docs say it the same way. */
function accessNote(scope: Scope | 'user' | 'public'): string {
  if (scope === 'public') return 'Public: no authentication.';
  if (scope === 'user') return 'Needs a signed-in user (session cookie), whatever the role.';
  return `Needs the \`${scope}\` scope: an API key that has it, or a signed-in user whose role grants it (\`x-required-scope\`).`;
}

/** Fills in what every operation must carry (operationId, description naming access) from its summary. */
function documented<R extends RouteConfig>(route: R, scope: Scope | 'user' | 'public'): R {
  const summary = route.summary ?? `${route.method.toUpperCase()} ${route.path}`;
  return {
    ...route,
    operationId: route.operationId ?? operationIdOf(summary),
    description: `${route.description ?? `${summary}.`}\n\n${accessNote(scope)}`,
  };
}

/**
 * Declares an operation with the scope it needs. The scope is enforced by middleware and published
 * in the OpenAPI document as `x-required-scope`, so the docs and the guard cannot disagree.
 */
export function secured<const R extends Omit<RouteConfig, 'middleware' | 'security'>>(scope: Scope | 'user', route: R): R {
  // The cast keeps R's request and response types for handler typing; the added parts are untyped extras.
  return createRoute({
    ...documented(route as RouteConfig, scope),
    middleware: [scope === 'user' ? requireUser() : requireScope(scope)],
    security: SECURITY,
    'x-required-scope': scope,
    responses: { ...ERRORS, ...route.responses },
  }) as unknown as R;
}

export function publicRoute<const R extends RouteConfig>(route: R): R {
  // `security: []` says so explicitly: linters (and readers) otherwise take the document's default.
  return createRoute({
    ...documented(route, 'public'),
    security: [],
    responses: { ...ERRORS, ...route.responses },
  }) as unknown as R;
}

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
