import type { ReadCursor, RoomEvent } from '@autocrm/shared';
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Db } from '../../storage/db';
import { cursorRows, toReadCursor } from './read-cursors';
import { type ReplayProps, replayPage, replayRows } from './replay';

export interface RoomJoin {
  events: RoomEvent[];
  hasMore: boolean;
  /** The room's latest seq (a joining client resumes from it). */
  lastSeq: number;
  readCursors: ReadCursor[];
  /** Routing counts the room as queued: the visitor may be shown their place in line. */
  queued: boolean;
}

/**
 * What a socket joining a room is told, in one statement: the replay of what it missed, the room's
 * last seq, its read cursors and whether routing queues it. Every reconnect of every widget and tab
 * runs this (a reconnect storm is thousands at once, and each statement is a round trip and a socket
 * write); one statement also reads all of it from one snapshot. The conversation must exist (access
 * was checked before the join). The room's state rides on every replay row, and on one row of nulls
 * when nothing was missed.
 */
export async function roomJoin(db: Db, props: ReplayProps): Promise<RoomJoin> {
  const rows = await db
    .selectFrom('conversations as room')
    .leftJoinLateral(replayRows(db, props).as('m'), (join) => join.onTrue())
    .selectAll('m')
    .select((eb) => [
      'room.last_seq as room_last_seq',
      eb
        .selectFrom('conversation_routing as r')
        .select('r.state')
        .whereRef('r.conversation_id', '=', 'room.id')
        .as('room_routing_state'),
      // (`room`: the cursor query has its own `c`, contacts, which would shadow it)
      jsonArrayFrom(cursorRows(db, eb.ref('room.id'))).as('room_cursors'),
    ])
    .where('room.id', '=', props.conversationId)
    .orderBy(sql`m.event_seq`)
    .execute();
  const first = rows[0];
  if (!first) throw new Error(`joined room ${props.conversationId} has no conversation`);
  // With nothing missed the one row's message columns are all null.
  const missed = rows.filter((r) => r.id !== null) as unknown as Parameters<typeof replayPage>[0];
  return {
    ...replayPage(missed, props),
    lastSeq: first.room_last_seq,
    readCursors: first.room_cursors.map(toReadCursor),
    queued: first.room_routing_state === 'queued',
  };
}
