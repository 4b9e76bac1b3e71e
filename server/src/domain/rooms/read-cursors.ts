import type { Participant, ReadCursor } from '@autocrm/shared';
import { type Expression, sql } from 'kysely';
import type { Db } from '../../storage/db';

/**
 * Moves a participant's read cursor forward (never back) to at most the room's last seq. Returns the
 * new cursor, or undefined when nothing changed.
 */
export async function markRead(
  db: Db,
  props: { conversationId: string; kind: 'agent' | 'contact'; participantId: string; seq: number },
): Promise<number | undefined> {
  const conv = await db.selectFrom('conversations').select('last_seq').where('id', '=', props.conversationId).executeTakeFirst();
  if (!conv) return undefined;
  const seq = Math.min(props.seq, conv.last_seq);
  const row = await db
    .insertInto('read_cursors')
    .values({
      conversation_id: props.conversationId,
      participant_kind: props.kind,
      participant_id: props.participantId,
      last_read_seq: seq,
      updated_at: new Date(),
    })
    .onConflict((oc) =>
      oc
        .columns(['conversation_id', 'participant_kind', 'participant_id'])
        .doUpdateSet({ last_read_seq: sql`excluded.last_read_seq`, updated_at: sql`excluded.updated_at` })
        .where('read_cursors.last_read_seq', '<', seq),
    )
    .returning('last_read_seq')
    .executeTakeFirst();
  return row?.last_read_seq;
}

/** The room's cursors with each participant's name: a subquery of a room join's one read of its state (join-state.ts). */
export function cursorRows(db: Db, conversationId: string | Expression<string>) {
  return db
    .selectFrom('read_cursors as r')
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'r.participant_id').on('r.participant_kind', '=', 'agent'))
    .leftJoin('contacts as c', (j) => j.onRef('c.id', '=', 'r.participant_id').on('r.participant_kind', '=', 'contact'))
    .select(['r.participant_kind', 'r.participant_id', 'r.last_read_seq', 'u.name as user_name', 'c.name as contact_name'])
    .where('r.conversation_id', '=', conversationId);
}

type CursorRow = Awaited<ReturnType<ReturnType<typeof cursorRows>['execute']>>[number];

export const toReadCursor = (r: CursorRow): ReadCursor => ({
  participant: {
    kind: r.participant_kind,
    id: r.participant_id,
    name: r.participant_kind === 'agent' ? r.user_name : r.contact_name,
  } satisfies Participant,
  seq: r.last_read_seq,
});

export type UnreadCountsProps = { userId: string; conversationIds: string[] };

/** Unread messages for one agent per conversation: messages after their cursor not written by them. */
export async function unreadCounts(db: Db, { userId, conversationIds }: UnreadCountsProps): Promise<Map<string, number>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('messages as m')
    .leftJoin('read_cursors as r', (j) =>
      j
        .onRef('r.conversation_id', '=', 'm.conversation_id')
        .on('r.participant_kind', '=', 'agent')
        .on('r.participant_id', '=', userId),
    )
    .select(['m.conversation_id', sql<number>`count(*)::int`.as('n')])
    .where('m.conversation_id', 'in', conversationIds)
    .where(sql<boolean>`m.seq > coalesce(r.last_read_seq, 0)`)
    .where((eb) => eb.or([eb('m.author_id', 'is', null), eb('m.author_id', '<>', userId)]))
    .where('m.deleted_at', 'is', null)
    .groupBy('m.conversation_id')
    .execute();
  return new Map(rows.map((r) => [r.conversation_id, r.n]));
}
