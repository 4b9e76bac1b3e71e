import type { Message } from '../schemas/messages';
import {
  dedupeBySeq,
  participantKey,
  type RoomAction,
  type RoomNotice,
  type RoomState,
  type RoomStatus,
  STREAM_DONE_FADE_MS,
  STREAM_STALL_FADE_MS,
  TYPING_FADE_MS,
} from './state';

/** How many finished stream ids are remembered, so a late frame cannot bring a finished answer back. */
const CLOSED_STREAMS_KEPT = 20;

const isDone = (category: RoomStatus['category']) => category === 'resolved' || category === 'closed';

/**
 * The room's state after one signal. Pure: time comes in the action (`at`), so the same sequence of
 * actions always gives the same state, and the clients own their timers (see nextDeadline()).
 */
export function reduceRoom(state: RoomState, action: RoomAction): RoomState {
  switch (action.type) {
    case 'history':
      return withMessages(state, dedupeBySeq([...action.messages, ...state.messages]));
    case 'event':
      return onEvent(state, action.event.message, action.event.eventSeq, action.live ?? true);
    case 'sending':
      if (state.pending.some((p) => p.clientId === action.reply.clientId)) return state;
      return { ...state, pending: [...state.pending, action.reply] };
    case 'sendFailed':
      return {
        ...state,
        pending: state.pending.map((p) => (p.clientId === action.clientId ? { ...p, failed: action.reason } : p)),
      };
    case 'outbox': {
      // An outbox reply already stored (its ack was lost before the reload) is not shown twice.
      const stored = new Set(state.messages.map((m) => m.clientId).filter(Boolean));
      return { ...state, pending: action.replies.filter((r) => !stored.has(r.clientId)) };
    }
    case 'typing': {
      const p = action.participant;
      if (isSelf(state, p)) return state;
      const key = participantKey(p);
      if (!action.typing) return withoutTyping(state, key);
      return { ...state, typing: { ...state.typing, [key]: { participant: p, until: action.at + TYPING_FADE_MS } } };
    }
    case 'read': {
      const key = participantKey(action.participant);
      if ((state.reads[key]?.seq ?? -1) >= action.seq) return state;
      return { ...state, reads: { ...state.reads, [key]: { participant: action.participant, seq: action.seq } } };
    }
    case 'viewers':
      return { ...state, viewers: action.viewers };
    case 'botStream':
      return onStream(state, action.event, action.at);
    case 'queuePosition':
      return { ...state, queue: { position: action.position, etaMinutes: action.etaMinutes } };
    case 'status':
      return onStatus(state, action.status, action.at, action.notify ?? true);
    case 'tick':
      return prune(state, action.at);
  }
}

function withMessages(state: RoomState, messages: Message[]): RoomState {
  const lastSeq = messages.reduce((m, x) => Math.max(m, x.seq), state.lastSeq);
  return { ...state, messages, lastSeq };
}

function onEvent(state: RoomState, m: Message, eventSeq: number, live: boolean): RoomState {
  const existing = state.messages.find((x) => x.id === m.id);
  // A revision older than the one shown (frames crossed on the way) changes nothing.
  if (existing && (state.revisions[m.id] ?? existing.seq) > eventSeq) return state;
  const messages = existing ? state.messages.map((x) => (x.id === m.id ? m : x)) : dedupeBySeq([...state.messages, m]);
  let next: RoomState = {
    ...withMessages(state, messages),
    lastSeq: Math.max(state.lastSeq, eventSeq, m.seq),
    revisions: { ...state.revisions, [m.id]: eventSeq },
    pending: m.clientId ? state.pending.filter((p) => p.clientId !== m.clientId) : state.pending,
  };
  if (existing) return next;
  // Whoever just wrote is no longer typing.
  next = withoutTyping(next, participantKey({ kind: m.authorKind, id: m.authorId }));
  // The stored answer replaces the streamed text: finished streams, and those begun before it, go.
  if (m.authorKind === 'bot') next = closeStreams(next, (s) => s.done || s.afterSeq < m.seq);
  // A person answered: the wait in the queue is over (history replayed on joining is not news).
  if (live && m.authorKind === 'agent' && !m.private) next = { ...next, queue: null };
  return next;
}

function onStream(state: RoomState, e: Extract<RoomAction, { type: 'botStream' }>['event'], at: number): RoomState {
  if (state.closedStreams.includes(e.streamId)) return state;
  const afterSeq = state.streams[e.streamId]?.afterSeq ?? state.lastSeq;
  // The stored message may arrive before `done`: then the stream has nothing left to show.
  const stored = state.messages.some((m) => m.authorKind === 'bot' && m.seq > afterSeq);
  if ((e.done && stored) || (e.done && !e.text)) return closeStreams(state, (_, id) => id === e.streamId);
  const until = at + (e.done ? STREAM_DONE_FADE_MS : STREAM_STALL_FADE_MS);
  return { ...state, streams: { ...state.streams, [e.streamId]: { text: e.text, done: e.done, afterSeq, until } } };
}

function onStatus(state: RoomState, change: Partial<RoomStatus>, at: string, notify: boolean): RoomState {
  const before = state.status;
  if (isOlderSnapshot(before.updatedAt, change.updatedAt)) return state;
  const status = { ...before, ...change };
  const notices: RoomNotice[] = [];
  if (notify) {
    if (change.owner && before.owner !== null && change.owner !== before.owner)
      notices.push({ at, kind: 'owner', owner: change.owner });
    if (change.assigneeId !== undefined && change.assigneeId !== before.assigneeId)
      notices.push({ at, kind: 'assignee', assigneeId: change.assigneeId });
    if (change.statusId !== undefined && before.statusId !== null && change.statusId !== before.statusId)
      notices.push({ at, kind: 'status', fromName: before.statusName, toName: status.statusName });
  }
  let next: RoomState = { ...state, status, notices: notices.length ? [...state.notices, ...notices] : state.notices };
  // Resolving ends everyone's typing and the wait (a later signal, e.g. an agent replying to reopen, shows again).
  if (isDone(status.category)) next = { ...next, typing: {}, queue: null };
  // A person took over: the bot's unfinished answer will not be stored.
  if (change.owner === 'human' && before.owner === 'bot') next = closeStreams(next, () => true);
  return next;
}

function prune(state: RoomState, at: number): RoomState {
  const typingGone = Object.entries(state.typing).filter(([, t]) => t.until <= at);
  let next = state;
  if (typingGone.length)
    next = { ...next, typing: Object.fromEntries(Object.entries(next.typing).filter(([, t]) => t.until > at)) };
  if (Object.values(next.streams).some((s) => s.until <= at)) next = closeStreams(next, (s) => s.until <= at);
  return next;
}

function withoutTyping(state: RoomState, key: string): RoomState {
  if (!(key in state.typing)) return state;
  const { [key]: _, ...typing } = state.typing;
  return { ...state, typing };
}

function closeStreams(state: RoomState, which: (s: RoomState['streams'][string], id: string) => boolean): RoomState {
  const closed = Object.entries(state.streams).filter(([id, s]) => which(s, id));
  if (!closed.length) return state;
  const ids = closed.map(([id]) => id);
  return {
    ...state,
    streams: Object.fromEntries(Object.entries(state.streams).filter(([id]) => !ids.includes(id))),
    closedStreams: [...state.closedStreams, ...ids].slice(-CLOSED_STREAMS_KEPT),
  };
}

/** My own signals (typing, viewing) are not shown back to me. */
export function isSelf(state: RoomState, p: { kind: string; id: string | null }): boolean {
  return p.kind === state.self.kind && (state.self.id === null || p.id === state.self.id);
}

/** A snapshot taken before the one already shown (both stamped): it arrived late and changes nothing. */
export function isOlderSnapshot(current: string | null | undefined, incoming: string | null | undefined): boolean {
  return !!current && !!incoming && incoming < current;
}
