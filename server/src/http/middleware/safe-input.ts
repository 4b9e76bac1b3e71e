import { AppError } from '@autocrm/shared';
import type { MiddlewareHandler } from 'hono';
import { assertNoPrototypeKeys } from '../../domain/text/prototype-keys';
import { assertStorableText } from '../../domain/text/storable-text';

/**
 * Every path and query parameter reaches Postgres as text: a NUL (or an unpaired surrogate) in any of
 * them is a 400 here, before any route or query runs, instead of a database error (500). API v1
 * routes validate their parameters by schema (which names the field), so this guards the rest: the
 * widget API, uploads, assets and pages.
 */
export const storableAddress = (): MiddlewareHandler => async (c, next) => {
  if (c.req.path.startsWith('/api/v1/')) return next();
  const raw = new URL(c.req.url).pathname;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    throw new AppError('validation_failed', 'the address is not valid percent-encoding');
  }
  assertStorableText(path, ['(path)']);
  for (const [name, values] of Object.entries(c.req.queries())) for (const v of values) assertStorableText(v, [name]);
  await next();
};

/** JSON bodies with `__proto__`/`constructor`/`prototype` keys are refused (see assertNoPrototypeKeys). */
export const noPrototypeKeys = (): MiddlewareHandler => async (c, next) => {
  if (/^application\/(.+\+)?json/i.test(c.req.header('content-type') ?? '')) {
    const body = await c.req.json().catch(() => undefined);
    assertNoPrototypeKeys(body);
  }
  await next();
};
