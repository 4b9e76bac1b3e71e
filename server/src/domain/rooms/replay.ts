import type { RoomEvent } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import { presentMessage } from '../messages/present-message';

/**
 * What a client missed since `afterSeq`: every message stored after it and every revision made after
 * it, in room order, read from the database (never from a memory buffer a restart would lose).
 * A revised message appears once, in its current state, at its latest revision's seq.
 */
export async function roomEventsAfter(
  db: Db,
  props: { conversationId: string; afterSeq: number; limit: number; includePrivate: boolean },
): Promise<{ events: RoomEvent[]; hasMore: boolean }> {
  let q = db
    .selectFrom('messages')
    .selectAll()
    .select(sql<number>`greatest(seq, coalesce(revision_seq, 0))`.as('event_seq'))
    .where('conversation_id', '=', props.conversationId)
    .where((eb) => eb.or([eb('seq', '>', props.afterSeq), eb('revision_seq', '>', props.afterSeq)]));
  if (!props.includePrivate) q = q.where('private', '=', false);
  const rows = await q
    .orderBy('event_seq')
    .limit(props.limit + 1)
    .execute();
  const events = rows.slice(0, props.limit).map((r) => ({
    conversationId: props.conversationId,
    eventSeq: Number(r.event_seq),
    message: presentMessage(r),
  }));
  return { events, hasMore: rows.length > props.limit };
}
