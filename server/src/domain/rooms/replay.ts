import type { RoomEvent } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import { presentMessage } from '../messages/present-message';

export type ReplayProps = { conversationId: string; afterSeq: number; limit: number; includePrivate: boolean };

/**
 * The rows of what a client missed since `afterSeq` (one more than the page, to tell whether there is
 * more): every message stored after it and every revision made after it, in room order, each at its
 * latest revision's seq (`event_seq`).
 */
export function replayRows(db: Db, props: ReplayProps) {
  let q = db
    .selectFrom('messages')
    .selectAll()
    .select(sql<number>`greatest(seq, coalesce(revision_seq, 0))`.as('event_seq'))
    .where('conversation_id', '=', props.conversationId)
    .where((eb) => eb.or([eb('seq', '>', props.afterSeq), eb('revision_seq', '>', props.afterSeq)]));
  if (!props.includePrivate) q = q.where('private', '=', false);
  return q.orderBy('event_seq').limit(props.limit + 1);
}

type ReplayRow = Awaited<ReturnType<ReturnType<typeof replayRows>['execute']>>[number];

/** A page of replay rows as room events, and whether more follow. */
export function replayPage(rows: ReplayRow[], props: ReplayProps): { events: RoomEvent[]; hasMore: boolean } {
  const events = rows.slice(0, props.limit).map((r) => ({
    conversationId: props.conversationId,
    eventSeq: Number(r.event_seq),
    message: presentMessage(r),
  }));
  return { events, hasMore: rows.length > props.limit };
}

/**
 * What a client missed since `afterSeq`, read from the database (never from a memory buffer a restart
 * would lose). A revised message appears once, in its current state, at its latest revision's seq.
 */
export async function roomEventsAfter(db: Db, props: ReplayProps): Promise<{ events: RoomEvent[]; hasMore: boolean }> {
  return replayPage(await replayRows(db, props).execute(), props);
}
