import { AppError } from '@autocrm/shared';
import type { MiddlewareHandler } from 'hono';
import { assertNoPrototypeKeys } from '../../domain/text/prototype-keys';
import { assertStorableText } from '../../domain/text/storable-text';

/**
 * Every path and query parameter reaches Postgres as text: a NUL (or an unpaired surrogate) in any of
 * them is a 400 here, before any route or query runs, instead of a database error (500).
 */
export const storableAddress = (): MiddlewareHandler => async (c, next) => {
  const raw = new URL(c.req.url).pathname;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    throw new AppError('validation_failed', 'the address is not valid percent-encoding');
  }
  assertStorableText(path, ['(path)']);
  assertStorableText(c.req.queries(), ['(query)']);
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
