import { describe, expect, it } from 'vitest';
import type { Participant, RoomEvent } from '../protocol';
import type { Message } from '../schemas/messages';
import {
  initialRoomState,
  liveStreams,
  nextDeadline,
  otherViewers,
  type RoomAction,
  type RoomState,
  readUpTo,
  reduceRoom,
  STREAM_DONE_FADE_MS,
  TYPING_FADE_MS,
  typingNow,
  unreadCount,
} from './index';

const ROOM = '00000000-0000-4000-8000-000000000001';
const me: Participant = { kind: 'agent', id: 'me', name: 'Me' };
const ann: Participant = { kind: 'agent', id: 'ann', name: 'Ann' };
const visitor: Participant = { kind: 'contact', id: 'c1', name: null };

function msg(seq: number, over: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    conversationId: ROOM,
    seq,
    authorKind: 'contact',
    authorId: 'c1',
    private: false,
    bodyHtml: `<p>${seq}</p>`,
    bodyText: String(seq),
    clientId: null,
    attachments: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    editedAt: null,
    deletedAt: null,
    ...over,
  };
}
const ev = (message: Message, eventSeq = message.seq): RoomEvent => ({ conversationId: ROOM, eventSeq, message });
const start = () => initialRoomState({ conversationId: ROOM, self: { kind: 'agent', id: 'me' } });
const run = (s: RoomState, ...actions: RoomAction[]) => actions.reduce(reduceRoom, s);

describe('room-state: messages', () => {
  it('orders by seq and keeps one copy per id, whatever the arrival order', () => {
    const s = run(
      start(),
      { type: 'event', event: ev(msg(3)) },
      { type: 'event', event: ev(msg(1)) },
      { type: 'event', event: ev(msg(3)) },
      { type: 'history', messages: [msg(2), msg(1)] },
    );
    expect(s.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(s.lastSeq).toBe(3);
  });

  it('applies an edit, ignores an older revision that arrives late, and keeps deletions', () => {
    const edited = msg(1, { bodyText: 'edited', editedAt: '2026-01-01T00:01:00.000Z' });
    const deleted = msg(1, { deletedAt: '2026-01-01T00:02:00.000Z' });
    let s = run(start(), { type: 'event', event: ev(msg(1)) }, { type: 'event', event: ev(deleted, 5) });
    s = reduceRoom(s, { type: 'event', event: ev(edited, 4) });
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0]!.deletedAt).not.toBeNull();
    expect(s.lastSeq).toBe(5);
  });

  it('a history page does not overwrite a newer revision already shown', () => {
    const edited = msg(1, { bodyText: 'edited' });
    const s = run(start(), { type: 'event', event: ev(edited, 4) }, { type: 'history', messages: [msg(1)] });
    expect(s.messages[0]!.bodyText).toBe('edited');
  });

  it('a stored message replaces its pending reply by clientId; a failed send stays with its reason', () => {
    let s = run(
      start(),
      { type: 'sending', reply: { clientId: 'a', body: '<p>a</p>', private: false } },
      { type: 'sending', reply: { clientId: 'b', body: '<p>b</p>', private: true } },
      { type: 'sendFailed', clientId: 'b', reason: 'too big' },
    );
    s = reduceRoom(s, { type: 'event', event: ev(msg(1, { authorKind: 'agent', authorId: 'me', clientId: 'a' })) });
    expect(s.pending).toEqual([{ clientId: 'b', body: '<p>b</p>', private: true, failed: 'too big' }]);
  });

  it('an outbox reply already stored is not shown as pending', () => {
    const s = run(
      start(),
      { type: 'history', messages: [msg(1, { clientId: 'a' })] },
      {
        type: 'outbox',
        replies: [
          { clientId: 'a', body: 'x', private: false },
          { clientId: 'b', body: 'y', private: false },
        ],
      },
    );
    expect(s.pending.map((p) => p.clientId)).toEqual(['b']);
  });
});

describe('room-state: typing', () => {
  it('is per person, fades after TYPING_FADE_MS unless repeated, and ignores my own signal', () => {
    let s = run(
      start(),
      { type: 'typing', participant: ann, typing: true, at: 1000 },
      { type: 'typing', participant: visitor, typing: true, at: 2000 },
      { type: 'typing', participant: me, typing: true, at: 2000 },
    );
    expect(typingNow(s, 2000).map((p) => p.id)).toEqual(['ann', 'c1']);
    expect(nextDeadline(s)).toBe(1000 + TYPING_FADE_MS);
    s = reduceRoom(s, { type: 'typing', participant: visitor, typing: true, at: 5000 });
    expect(typingNow(s, 1000 + TYPING_FADE_MS).map((p) => p.id)).toEqual(['c1']);
    s = reduceRoom(s, { type: 'tick', at: 1000 + TYPING_FADE_MS });
    expect(Object.keys(s.typing)).toEqual(['contact:c1']);
    s = reduceRoom(s, { type: 'typing', participant: visitor, typing: false, at: 6000 });
    expect(typingNow(s, 6000)).toEqual([]);
  });

  it('ends when that person sends, and for everyone when the conversation is resolved', () => {
    let s = run(
      start(),
      { type: 'typing', participant: ann, typing: true, at: 0 },
      { type: 'typing', participant: visitor, typing: true, at: 0 },
      { type: 'event', event: ev(msg(1)) },
    );
    expect(typingNow(s, 1).map((p) => p.id)).toEqual(['ann']);
    s = reduceRoom(s, { type: 'status', status: { category: 'resolved' }, at: 'x' });
    expect(typingNow(s, 1)).toEqual([]);
    s = reduceRoom(s, { type: 'typing', participant: ann, typing: true, at: 2 });
    expect(typingNow(s, 2).map((p) => p.id)).toEqual(['ann']);
  });
});

describe('room-state: reads and viewers', () => {
  it('read cursors only move forward, per person; readUpTo asks by kind', () => {
    const s = run(
      start(),
      { type: 'read', participant: visitor, seq: 4 },
      { type: 'read', participant: visitor, seq: 2 },
      { type: 'read', participant: ann, seq: 9 },
    );
    expect(readUpTo(s, 'contact')).toBe(4);
    expect(readUpTo(s, 'agent')).toBe(9);
    expect(readUpTo(s, 'bot')).toBe(0);
  });

  it('viewers are replaced whole; I am not among the others', () => {
    const s = run(start(), { type: 'viewers', viewers: [ann] }, { type: 'viewers', viewers: [me, ann] });
    expect(otherViewers(s)).toEqual([ann]);
  });

  it('a self with no id (a visitor) hides every participant of its kind', () => {
    const s = initialRoomState({ conversationId: ROOM, self: { kind: 'contact', id: null } });
    expect(otherViewers(reduceRoom(s, { type: 'viewers', viewers: [visitor, ann] }))).toEqual([ann]);
  });
});

describe('room-state: unread', () => {
  it('counts what others wrote after my read seq, without deleted messages', () => {
    const s = reduceRoom(initialRoomState({ conversationId: ROOM, self: { kind: 'contact', id: null } }), {
      type: 'history',
      messages: [
        msg(1, { authorKind: 'agent', authorId: 'ann' }),
        msg(2),
        msg(3, { authorKind: 'agent', authorId: 'ann' }),
        msg(4, { authorKind: 'bot', authorId: null, deletedAt: '2026-01-01T00:00:00.000Z' }),
        msg(5, { authorKind: 'bot', authorId: null }),
      ],
    });
    expect(unreadCount(s, 1)).toBe(2);
    expect(unreadCount(s, 0)).toBe(3);
  });
});

describe('room-state: the bot stream', () => {
  const frame = (text: string, done = false, streamId = 's1'): RoomAction => ({
    type: 'botStream',
    event: { streamId, text, done },
    at: 100,
  });
  const bot = (seq: number) => msg(seq, { authorKind: 'bot', authorId: null });

  it('shows the text so far and gives way to the stored message', () => {
    let s = run(start(), { type: 'history', messages: [msg(1)] }, frame('Hel'), frame('Hello'));
    expect(liveStreams(s, 100)).toEqual([['s1', expect.objectContaining({ text: 'Hello', done: false, afterSeq: 1 })]]);
    s = run(s, frame('Hello!', true), { type: 'event', event: ev(bot(2)) });
    expect(liveStreams(s, 200)).toEqual([]);
  });

  it('the stored message arriving before `done` ends the stream, and late frames do not bring it back', () => {
    const s = run(start(), frame('Hel'), { type: 'event', event: ev(bot(1)) }, frame('Hello'), frame('Hello', true));
    expect(s.streams).toEqual({});
  });

  it('a finished stream whose message never comes fades; so does a stalled one', () => {
    let s = run(start(), frame('Hi', true));
    expect(liveStreams(s, 100)).toHaveLength(1);
    s = reduceRoom(s, { type: 'tick', at: 100 + STREAM_DONE_FADE_MS });
    expect(s.streams).toEqual({});
    s = run(start(), frame('Hi', false, 's2'), { type: 'tick', at: 100 + STREAM_DONE_FADE_MS });
    expect(liveStreams(s, 100 + STREAM_DONE_FADE_MS)).toHaveLength(1);
    expect(run(s, { type: 'tick', at: 100_000 }).streams).toEqual({});
  });

  it('a person taking over ends the bot stream', () => {
    const s = run(
      initialRoomState({ conversationId: ROOM, self: { kind: 'contact', id: null }, status: { owner: 'bot' } }),
      frame('Hel'),
      { type: 'status', status: { owner: 'human' }, at: 'x' },
    );
    expect(s.streams).toEqual({});
  });
});

describe('room-state: queue, status and rating', () => {
  it('the queue position shows until a person answers live or the conversation ends', () => {
    let s = reduceRoom(start(), { type: 'queuePosition', position: 3, etaMinutes: 4 });
    expect(s.queue).toEqual({ position: 3, etaMinutes: 4 });
    s = reduceRoom(s, { type: 'event', event: ev(msg(1, { authorKind: 'agent', authorId: 'ann' })), live: false });
    expect(s.queue).not.toBeNull();
    s = reduceRoom(s, { type: 'event', event: ev(msg(2, { authorKind: 'agent', authorId: 'ann' })) });
    expect(s.queue).toBeNull();
    s = run(
      s,
      { type: 'queuePosition', position: 1, etaMinutes: null },
      { type: 'status', status: { category: 'closed' }, at: 'x' },
    );
    expect(s.queue).toBeNull();
  });

  it('a live change of owner, assignee or status becomes a notice; the first known state does not', () => {
    const at = '2026-01-01T00:00:00.000Z';
    let s = reduceRoom(start(), {
      type: 'status',
      status: { statusId: 'open', statusName: 'Open', category: 'open', owner: 'bot', assigneeId: null },
      at,
      notify: false,
    });
    expect(s.notices).toEqual([]);
    s = reduceRoom(s, {
      type: 'status',
      status: { statusId: 'done', statusName: 'Done', category: 'resolved', owner: 'human', assigneeId: 'ann' },
      at,
    });
    expect(s.notices).toEqual([
      { at, kind: 'owner', owner: 'human' },
      { at, kind: 'assignee', assigneeId: 'ann' },
      { at, kind: 'status', fromName: 'Open', toName: 'Done' },
    ]);
    const csat = { rating: 5, comment: null, ratedAt: at };
    s = reduceRoom(s, { type: 'status', status: { csat }, at });
    expect(s.status.csat).toEqual(csat);
    expect(s.notices).toHaveLength(3);
  });

  it('a snapshot older than the one shown arrives late and changes nothing (a reopen is not undone)', () => {
    const rated = { rating: 5, comment: null, ratedAt: '2026-01-01T10:00:00.000Z' };
    let s = initialRoomState({
      conversationId: ROOM,
      self: { kind: 'agent', id: 'ann' },
      status: { statusId: 'done', statusName: 'Done', category: 'resolved', csat: rated, updatedAt: '2026-01-01T10:00:00.000Z' },
    });
    const reopened = { statusId: 'open', statusName: 'Open', category: 'open' as const, csat: null };
    s = reduceRoom(s, { type: 'status', status: { ...reopened, updatedAt: '2026-01-01T10:05:00.002Z' }, at: 'x' });
    // The customer's message event, stamped when the message was stored (before the reopen), lands last.
    s = reduceRoom(s, {
      type: 'status',
      status: { statusId: 'done', statusName: 'Done', category: 'resolved', csat: rated, updatedAt: '2026-01-01T10:05:00.001Z' },
      at: 'x',
    });
    expect(s.status).toMatchObject({ ...reopened, updatedAt: '2026-01-01T10:05:00.002Z' });
    // Unstamped changes (the widget's) and same-moment ones still apply.
    s = reduceRoom(s, { type: 'status', status: { owner: 'human' }, at: 'x' });
    s = reduceRoom(s, { type: 'status', status: { category: 'pending', updatedAt: '2026-01-01T10:05:00.002Z' }, at: 'x' });
    expect(s.status).toMatchObject({ owner: 'human', category: 'pending' });
  });

  it('never changes the state it was given', () => {
    const s0 = start();
    const frozen = JSON.stringify(s0);
    run(
      s0,
      { type: 'event', event: ev(msg(1)) },
      { type: 'typing', participant: ann, typing: true, at: 0 },
      { type: 'read', participant: ann, seq: 1 },
    );
    expect(JSON.stringify(s0)).toBe(frozen);
  });
});
