import type { Db } from '../../storage/db';
import { endSnooze } from './snooze';

/** Ends the snoozes whose time has come (one transaction each, claimed with SKIP LOCKED). */
export async function wakeDueSnoozes(db: Db, now: Date): Promise<number> {
  let woken = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('conversations')
        .select('id')
        .where('snoozed_until', '<=', now)
        .orderBy('snoozed_until')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!due) return false;
      await endSnooze(trx, { conversationId: due.id, reason: 'time', now });
      return true;
    });
    if (!done) return woken;
    woken++;
  }
}
