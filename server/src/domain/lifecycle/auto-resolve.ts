import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import { SYSTEM } from '../actor';
import { applyConversationUpdate } from '../conversations/update-conversation';
import { appendMessage } from '../messages/append-message';
import { lifecycleOf } from './lifecycle-settings';

const DAY_MS = 86_400_000;

/** The status an auto-resolved conversation gets: the first resolved status (default first). */
async function resolvedStatus(trx: Db) {
  return trx
    .selectFrom('statuses')
    .select('id')
    .where('category', '=', 'resolved')
    .orderBy('is_default', 'desc')
    .orderBy('position')
    .executeTakeFirst();
}

/**
 * Pending (waiting on the customer) conversations idle past their inbox's settings: first the reminder
 * (if the inbox has one), then resolution. Idle time counts from the last activity; once reminded, the
 * resolution waits its days from the reminder. One transaction per conversation, claimed with SKIP
 * LOCKED, so processes never double a reminder.
 */
export async function autoResolveIdle(db: Db, now: Date): Promise<number> {
  const inboxes = (await db.selectFrom('inboxes').select(['id', 'settings']).execute())
    .map((i) => ({ id: i.id, ...lifecycleOf(i.settings) }))
    .filter((i) => i.autoResolveAfterDays !== null);
  let done = 0;
  for (const inbox of inboxes) {
    const resolveDays = inbox.autoResolveAfterDays as number;
    const remindDays = inbox.reminderAfterDays;
    // Candidates: pending, not snoozed, idle at least the shorter of the two periods.
    const firstDue = new Date(now.getTime() - Math.min(resolveDays, remindDays ?? resolveDays) * DAY_MS);
    const ids = await db
      .selectFrom('conversations')
      .select('id')
      .where('inbox_id', '=', inbox.id)
      .where('status_category', '=', 'pending')
      .where('snoozed_until', 'is', null)
      .where('snooze_until_reply', '=', false)
      .where(sql<boolean>`coalesce(reminder_sent_at, last_activity_at) <= ${firstDue}`)
      .limit(500)
      .execute();
    for (const { id } of ids) {
      const acted = await db.transaction().execute(async (trx) => {
        const c = await trx
          .selectFrom('conversations')
          .select(['status_category', 'last_activity_at', 'reminder_sent_at'])
          .where('id', '=', id)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (c?.status_category !== 'pending') return false;
        const age = (since: Date) => (now.getTime() - since.getTime()) / DAY_MS;
        if (remindDays !== null && !c.reminder_sent_at) {
          if (age(c.last_activity_at) < remindDays) return false;
          await appendMessage(trx, {
            conversationId: id,
            authorKind: 'system',
            authorId: null,
            body: `<p>${escapeHtml(inbox.reminderText)}</p>`,
          });
          await trx
            .updateTable('conversations')
            .set({ reminder_sent_at: now, idle_since: c.last_activity_at })
            .where('id', '=', id)
            .execute();
          return true;
        }
        if (age(c.reminder_sent_at ?? c.last_activity_at) < resolveDays) return false;
        const status = await resolvedStatus(trx);
        if (!status) return false;
        await applyConversationUpdate(trx, { actor: SYSTEM, id, update: { statusId: status.id } });
        await appendMessage(trx, {
          conversationId: id,
          authorKind: 'system',
          authorId: null,
          private: true,
          body: `<p>Resolved automatically after ${resolveDays} idle day${resolveDays === 1 ? '' : 's'} waiting on the customer.</p>`,
        });
        return true;
      });
      if (acted) done++;
    }
  }
  return done;
}

/** A customer reply or a status change ends the wait: the next idle period starts from scratch. */
export async function clearReminder(trx: Db, conversationId: string): Promise<void> {
  await trx
    .updateTable('conversations')
    .set({ reminder_sent_at: null, idle_since: null })
    .where('id', '=', conversationId)
    .where('reminder_sent_at', 'is not', null)
    .execute();
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
