import { AppError } from '@autocrm/shared';
import type { Context } from 'hono';
import type { Actor } from '../domain/actor';
import type { AppEnv } from './context';

/** The authenticated actor; routes only call this behind a scope guard, which already ensured one. */
export function actorOf(c: Context<AppEnv>): Actor {
  const actor = c.get('actor');
  if (!actor) throw new AppError('unauthenticated', 'sign in or send an API key');
  return actor;
}
