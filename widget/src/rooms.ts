import type { Message, Participant, RoomEvent, StatusCategory } from '@autocrm/shared';
import type { RoomClient } from '@autocrm/shared/realtime-client';
import {
  initialRoomState,
  liveStreams,
  nextDeadline,
  type QueuePosition,
  type RoomAction,
  type RoomState,
  readUpTo,
  reduceRoom,
  typingNow,
  unreadCount,
} from '@autocrm/shared/room-state';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Owner } from './types';

/**
 * The visitor's rooms, each one a RoomState of the shared reducer (shared/src/room-state), the same one
 * the workspace's room page runs: ordering, revisions, typing, reads, the bot's stream and the queue
 * cannot differ between the two sides. Here live only what the reducer does not know: the agents' names
 * the widget has learnt (messages carry only ids) and the one timer that lets typing and streams fade.
 */
export class RoomsController implements ReactiveController {
  private readonly states = new Map<string, RoomState>();
  private tickTimer: ReturnType<typeof setTimeout> | undefined;
  /** Agents' names by id: typing, viewers and the conversation list tell them; messages carry only ids. */
  readonly names = new Map<string, string>();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected() {
    clearTimeout(this.tickTimer);
  }

  /** Another visitor (or none): nothing of the last one's rooms stays. */
  clear() {
    this.hostDisconnected();
    this.states.clear();
  }

  private room(id: string): RoomState {
    // The visitor is every contact in the room (self id null): their own typing and reads are not shown back.
    return this.states.get(id) ?? initialRoomState({ conversationId: id, self: { kind: 'contact', id: null } });
  }

  private apply(id: string, action: RoomAction) {
    this.states.set(id, reduceRoom(this.room(id), action));
    this.schedule();
    this.host.requestUpdate();
  }

  /** One timer for the earliest typing signal or stream to fade, in whichever room. */
  private schedule() {
    clearTimeout(this.tickTimer);
    let next = Number.POSITIVE_INFINITY;
    for (const s of this.states.values()) next = Math.min(next, nextDeadline(s) ?? next);
    if (next === Number.POSITIVE_INFINITY) return;
    this.tickTimer = setTimeout(
      () => {
        const at = Date.now();
        for (const [id, s] of this.states) this.states.set(id, reduceRoom(s, { type: 'tick', at }));
        this.schedule();
        this.host.requestUpdate();
      },
      Math.max(0, next - Date.now()) + 10,
    );
  }

  /** Signals the socket sends for rooms the visitor is in. */
  listen(socket: RoomClient['socket']) {
    socket.on('typing', (e) => {
      if (e.participant.id && e.participant.name) this.names.set(e.participant.id, e.participant.name);
      this.apply(e.conversationId, { type: 'typing', participant: e.participant, typing: e.typing, at: Date.now() });
    });
    socket.on('read', (e) => this.apply(e.conversationId, { type: 'read', participant: e.participant, seq: e.seq }));
    socket.on('viewers', (e) => {
      for (const v of e.viewers) if (v.id && v.name) this.names.set(v.id, v.name);
      this.apply(e.conversationId, { type: 'viewers', viewers: e.viewers });
    });
    // The bot's answer as it is written: the full text so far, shown as text (never HTML).
    socket.on('bot:stream', (e) => this.apply(e.conversationId, { type: 'botStream', event: e, at: Date.now() }));
    // Queue transparency: routing sends the position and estimated wait while waiting for a person.
    socket.on('queue:position', (e) => {
      if (e?.conversationId)
        this.apply(e.conversationId, {
          type: 'queuePosition',
          position: e.position,
          etaMinutes: e.estimatedWaitMinutes ?? null,
        });
    });
  }

  /** A stored message (live, or history replayed by a join). Returns whether it is new to this room. */
  message(e: RoomEvent, live: boolean): boolean {
    const isNew = !this.room(e.conversationId).messages.some((m) => m.id === e.message.id);
    this.apply(e.conversationId, { type: 'event', event: e, live });
    return isNew;
  }

  /**
   * conversation:updated, the hand-off's answer or the conversation list: who answers, the assignee and
   * the status category. The widget words no notices from these, so none are kept.
   */
  status(id: string, change: { owner?: Owner; category?: StatusCategory; assignee?: Participant | null }) {
    const a = change.assignee;
    if (a?.id && a.name) this.names.set(a.id, a.name);
    this.apply(id, {
      type: 'status',
      status: {
        ...(a !== undefined ? { assigneeId: a?.id ?? null } : {}),
        ...(change.owner ? { owner: change.owner } : {}),
        ...(change.category ? { category: change.category } : {}),
      },
      at: new Date().toISOString(),
      notify: false,
    });
  }

  /** The room's messages by seq. */
  messages(id: string | null): Message[] {
    return (id && this.states.get(id)?.messages) || [];
  }

  /** The name of whoever types in the room now (null: someone unnamed), undefined when nobody does. */
  typing(id: string | null): string | null | undefined {
    const s = id ? this.states.get(id) : undefined;
    const who = s ? typingNow(s, Date.now()).at(-1) : undefined;
    return who ? (who.name ?? null) : undefined;
  }

  /** The bot's answer being written in the room, if any (the latest stream). */
  stream(id: string | null): string | undefined {
    const s = id ? this.states.get(id) : undefined;
    return s ? liveStreams(s, Date.now()).at(-1)?.[1].text : undefined;
  }

  queue(id: string): QueuePosition | undefined {
    return this.states.get(id)?.queue ?? undefined;
  }

  /** The agent assigned to the room, as last told (null: nobody). */
  assigneeOf(id: string | null): string | null {
    return (id && this.states.get(id)?.status.assigneeId) || null;
  }

  agentReadUpTo(id: string | null): number {
    const s = id ? this.states.get(id) : undefined;
    return s ? readUpTo(s, 'agent') : 0;
  }

  /** Messages from others after what this visitor read, not deleted: the launcher's badge. */
  unread(myRead: Record<string, number>): number {
    let n = 0;
    for (const [id, s] of this.states) n += unreadCount(s, myRead[id] ?? 0);
    return n;
  }

  /**
   * Who answers the room: what the server last said; before it said anything, the messages tell (the
   * bot wrote last: the bot; a person wrote, was assigned or the hand-off notice came after it: a person).
   */
  ownerOf(id: string | null): Owner | undefined {
    const s = id ? this.states.get(id) : undefined;
    if (!s) return undefined;
    if (s.status.owner) return s.status.owner;
    if (s.status.assigneeId) return 'human';
    let bot = -1;
    let other = -1;
    for (const m of s.messages) {
      if (m.authorKind === 'bot') bot = m.seq;
      else if (m.authorKind !== 'contact') other = m.seq;
    }
    return bot > other ? 'bot' : other >= 0 ? 'human' : undefined;
  }
}
