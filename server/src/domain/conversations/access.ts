import { AppError } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';

/**
 * Which inboxes an actor may see: agents only the inboxes they are members of; supervisors, admins,
 * API keys (bounded by their scopes) and the system see all. `null` means all.
 */
export async function visibleInboxIds(db: Db, actor: Actor): Promise<string[] | null> {
  if (actor.kind !== 'user' || actor.role !== 'agent') return null;
  const rows = await db.selectFrom('inbox_members').select('inbox_id').where('user_id', '=', actor.id).execute();
  return rows.map((r) => r.inbox_id);
}

/** Throws not_found (not forbidden: an agent does not learn that a hidden conversation exists). */
export async function assertConversationVisible(db: Db, actor: Actor, inboxId: string): Promise<void> {
  const visible = await visibleInboxIds(db, actor);
  if (visible && !visible.includes(inboxId)) throw new AppError('not_found', 'conversation not found');
}
