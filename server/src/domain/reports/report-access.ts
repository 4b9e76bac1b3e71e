import { AppError, type ReportQuery } from '@autocrm/shared';
import type { Actor } from '../actor';

/**
 * Agents see their own figures only: their filter is pinned to themselves, and asking for someone
 * else is refused rather than silently answered with their own numbers. Supervisors, admins and API
 * keys with `reports:read` see everyone.
 */
export function scopedQuery(actor: Actor, query: ReportQuery): ReportQuery {
  if (actor.kind !== 'user' || actor.role !== 'agent') return query;
  if (query.agent && query.agent !== actor.id)
    throw new AppError('forbidden', "agents see their own report figures only; supervisors and admins see everyone's");
  return { ...query, agent: actor.id };
}
