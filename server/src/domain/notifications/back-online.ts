import { stringsFor } from '@autocrm/shared/strings';
import { escapeUTF8 } from 'entities';
import type { Db } from '../../storage/db';
import { appendMessage, inSendTransaction } from '../messages/append-message';
import { isOpen } from '../routing/business-hours';
import { loadCalendars } from '../routing/teams';

/** The client id of a "back online" message: one per customer message it answers (a retried round stores it once). */
export const BACK_ONLINE_CLIENT_ID = 'back-online:';

/**
 * "We're back online": a customer who wrote while their conversation's team was closed (outside its
 * business hours, or on a holiday) and is still waiting for an answer hears, once the team opens, that
 * someone will answer soon. The notice is a message in the room, so the widget and the portal show it
 * live and a reconnecting client catches up on it; the push and the mail to a customer who is not there
 * hang off its `message.created` event. Conversations without a team, or whose team has no hours
 * (always open), never wait for an opening. Returns how many were told.
 */
export async function announceBackOnline(db: Db, { now }: { now: Date }): Promise<number> {
  const calendars = await loadCalendars(db);
  const teamIds = [...calendars].filter(([, cal]) => Object.keys(cal.hours).length || cal.holidays.length).map(([id]) => id);
  const openNow = teamIds.filter((id) => isOpen(calendars.get(id)!, now));
  if (!openNow.length) return 0;
  // Waiting: open, and the last public message is the customer's, not yet answered by a notice.
  const waiting = await db
    .selectFrom('conversations as c')
    .leftJoin('conversation_routing as r', 'r.conversation_id', 'c.id')
    .innerJoin('messages as m', (j) =>
      j
        .onRef('m.conversation_id', '=', 'c.id')
        .on('m.private', '=', false)
        .on('m.deleted_at', 'is', null)
        .on('m.author_kind', '=', 'contact'),
    )
    .leftJoin('back_online_notices as n', 'n.conversation_id', 'c.id')
    .select(['c.id', 'c.team_id', 'r.language', 'm.seq', 'm.created_at', 'n.after_seq'])
    .where('c.status_category', '=', 'open')
    .where('c.team_id', 'in', openNow)
    .where((eb) =>
      eb.and([
        eb.not(
          eb.exists(
            eb
              .selectFrom('messages as later')
              .select('later.id')
              .whereRef('later.conversation_id', '=', 'c.id')
              .whereRef('later.seq', '>', 'm.seq')
              .where('later.private', '=', false)
              .where('later.deleted_at', 'is', null),
          ),
        ),
        eb.or([eb('n.after_seq', 'is', null), eb('n.after_seq', '<', eb.ref('m.seq'))]),
      ]),
    )
    .limit(200)
    .execute();
  let told = 0;
  for (const w of waiting) {
    const cal = calendars.get(w.team_id!);
    // Written while open: an agent saw it come in; nothing to announce.
    if (!cal || isOpen(cal, new Date(w.created_at))) continue;
    await inSendTransaction(db, async (trx) => {
      await appendMessage(trx, {
        conversationId: w.id,
        authorKind: 'system',
        authorId: null,
        body: `<p>${escapeUTF8(stringsFor('bot', w.language).backOnline)}</p>`,
        clientId: `${BACK_ONLINE_CLIENT_ID}${w.seq}`,
      });
      await trx
        .insertInto('back_online_notices')
        .values({ conversation_id: w.id, after_seq: w.seq, notified_at: now })
        .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ after_seq: w.seq, notified_at: now }))
        .execute();
    });
    told++;
  }
  return told;
}
