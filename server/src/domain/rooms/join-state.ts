import type { ReadCursor } from '@autocrm/shared';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Db } from '../../storage/db';
import { cursorRows, toReadCursor } from './read-cursors';

export interface RoomJoinState {
  /** The room's latest seq (a joining client resumes from it). */
  lastSeq: number;
  readCursors: ReadCursor[];
  /** Routing counts the room as queued: the visitor may be shown their place in line. */
  queued: boolean;
}

/**
 * What a socket joining a room is told besides the replay, in one statement: every reconnect of every
 * widget and tab runs this (a reconnect storm is thousands at once, and each statement is a round trip
 * and a socket write). The conversation must exist (access was checked before the join).
 */
export async function roomJoinState(db: Db, props: { conversationId: string }): Promise<RoomJoinState> {
  const row = await db
    .selectFrom('conversations as room')
    .select((eb) => [
      'room.last_seq',
      eb
        .selectFrom('conversation_routing as r')
        .select('r.state')
        .whereRef('r.conversation_id', '=', 'room.id')
        .as('routing_state'),
      // (`room`: the cursor query has its own `c`, contacts, which would shadow it)
      jsonArrayFrom(cursorRows(db, eb.ref('room.id'))).as('cursors'),
    ])
    .where('room.id', '=', props.conversationId)
    .executeTakeFirstOrThrow();
  return { lastSeq: row.last_seq, readCursors: row.cursors.map(toReadCursor), queued: row.routing_state === 'queued' };
}
