import type { Participant } from '../protocol';
import { isSelf } from './reduce';
import type { BotStream, RoomState } from './state';

/** Who is typing now, oldest signal first (expired ones are skipped even before a tick prunes them). */
export function typingNow(state: RoomState, now: number): Participant[] {
  return Object.values(state.typing)
    .filter((t) => t.until > now)
    .map((t) => t.participant);
}

/** The furthest seq read by anyone of this kind (the workspace asks for the contact, the widget for agents). */
export function readUpTo(state: RoomState, kind: Participant['kind']): number {
  return Object.values(state.reads).reduce((m, r) => (r.participant.kind === kind ? Math.max(m, r.seq) : m), 0);
}

/** Everyone viewing the room except me. */
export function otherViewers(state: RoomState): Participant[] {
  return state.viewers.filter((v) => !isSelf(state, v));
}

/** The bot answers being written, by stream id, in the order they began. */
export function liveStreams(state: RoomState, now: number): [string, BotStream][] {
  return Object.entries(state.streams).filter(([, s]) => s.until > now);
}

/** When the next typing signal or stream expires (epoch ms), so the client can schedule one tick. */
export function nextDeadline(state: RoomState): number | null {
  const all = [...Object.values(state.typing), ...Object.values(state.streams)].map((x) => x.until);
  return all.length ? Math.min(...all) : null;
}

/** Messages after `afterSeq` written by others (not my kind), not deleted: the widget's unread badge. */
export function unreadCount(state: RoomState, afterSeq: number): number {
  return state.messages.filter((m) => m.seq > afterSeq && m.authorKind !== state.self.kind && !m.deletedAt).length;
}
