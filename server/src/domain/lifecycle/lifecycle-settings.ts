import { AppError, InboxLifecycle } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';

/** An inbox's lifecycle settings with defaults (a broken stored value reads as the defaults). */
export function lifecycleOf(settings: Record<string, unknown>): Required<InboxLifecycle> {
  const parsed = InboxLifecycle.safeParse(settings.lifecycle ?? {});
  const s = parsed.success ? parsed.data : {};
  return {
    reopenWindowDays: s.reopenWindowDays ?? null,
    autoResolveAfterDays: s.autoResolveAfterDays ?? null,
    reminderAfterDays: s.reminderAfterDays ?? null,
    reminderText:
      s.reminderText ??
      'Is there anything else we can help with? If we do not hear from you, we will close this conversation soon.',
  };
}

export async function getInboxLifecycle(db: Db, inboxId: string) {
  const row = await db.selectFrom('inboxes').select('settings').where('id', '=', inboxId).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'inbox not found');
  return lifecycleOf(row.settings);
}

export type UpdateInboxLifecycleProps = { actor: Actor; inboxId: string; change: InboxLifecycle };

/** Merges a change into the inbox's lifecycle settings, audited. */
export async function updateInboxLifecycle(db: Db, { actor, inboxId, change }: UpdateInboxLifecycleProps) {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('inboxes').select('settings').where('id', '=', inboxId).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('not_found', 'inbox not found');
    const before = lifecycleOf(row.settings);
    const after = { ...before, ...change };
    await trx
      .updateTable('inboxes')
      .set({ settings: JSON.stringify({ ...row.settings, lifecycle: after }) })
      .where('id', '=', inboxId)
      .execute();
    await recordAudit(trx, { actor, action: 'inbox.lifecycle_updated', entityType: 'inbox', entityId: inboxId, before, after });
    return after;
  });
}
