import { AppError, type Scope } from '@autocrm/shared';
import type { MiddlewareHandler } from 'hono';
import { hasScope } from '../../domain/actor';
import type { AppEnv } from '../context';

/** Refuses the request unless the caller is signed in and holds `scope`. */
export const requireScope =
  (scope: Scope): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const actor = c.get('actor');
    if (!actor) throw new AppError('unauthenticated', 'sign in or send an API key');
    if (!hasScope(actor, scope)) throw new AppError('insufficient_scope', `this needs the ${scope} scope`);
    await next();
  };

/** Signed in as a person (not an API key): for a user's own session and password. */
export const requireUser = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const actor = c.get('actor');
  if (actor?.kind !== 'user' || !c.get('session')) throw new AppError('unauthenticated', 'sign in first');
  await next();
};
