import type { Message, Participant, RoomEvent, StatusCategory } from '@autocrm/shared';
import type { RoomClient } from '@autocrm/shared/realtime-client';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Owner } from './types';

/** An agent's "typing" without a repeat for this long is gone (a closed tab never sends "stopped"). */
const TYPING_FADE_MS = 6000;

interface Queue {
  position: number;
  etaMinutes: number | null;
}

/**
 * The visitor's rooms: messages by id, who types, how far the agents read, the bot's answer being
 * written, the place in the queue and who answers, plus the agents' names the widget has learnt.
 * The socket's room signals come in here and nowhere else.
 *
 * Why not the shared room-state reducer (shared/src/room-state, used by the workspace): it costs
 * 1.5 KB gzipped, and the widget is within 1 KB of its 36 KB budget. This controller's methods are the
 * reducer's selectors by another name, so moving onto it is a change to this file only.
 */
export class RoomsController implements ReactiveController {
  private readonly byRoom = new Map<string, Map<string, Message>>();
  private readonly typingBy = new Map<string, string | null>();
  private readonly typingExpiry = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly agentRead = new Map<string, number>();
  private readonly queues = new Map<string, Queue>();
  /** Who answers each room, as the server last said (conversation:updated). */
  private readonly owner = new Map<string, Owner>();
  /** The bot's answer being written, per room: the text so far. */
  private readonly streams = new Map<string, string>();
  /** Agents' names by id: typing, viewers and the conversation list tell them; messages carry only ids. */
  readonly names = new Map<string, string>();
  /** The assignee as last told, named when we can. */
  readonly assignee = new Map<string, Participant | null>();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected() {
    for (const t of this.typingExpiry.values()) clearTimeout(t);
  }

  /** Another visitor (or none): nothing of the last one's rooms stays. */
  clear() {
    this.hostDisconnected();
    for (const m of [this.byRoom, this.typingBy, this.typingExpiry, this.agentRead, this.queues, this.owner, this.streams])
      m.clear();
    this.assignee.clear();
  }

  private changed() {
    this.host.requestUpdate();
  }

  /** Signals the socket sends for rooms the visitor is in. */
  listen(socket: RoomClient['socket']) {
    socket.on('typing', (e) => {
      if (e.participant.kind === 'contact') return;
      if (e.participant.id && e.participant.name) this.names.set(e.participant.id, e.participant.name);
      clearTimeout(this.typingExpiry.get(e.conversationId));
      if (e.typing) {
        this.typingBy.set(e.conversationId, e.participant.name);
        // Typing agents repeat the signal every few seconds; one that stops (closed tab, lost network) fades.
        this.typingExpiry.set(
          e.conversationId,
          setTimeout(() => {
            this.typingBy.delete(e.conversationId);
            this.changed();
          }, TYPING_FADE_MS),
        );
      } else this.typingBy.delete(e.conversationId);
      this.changed();
    });
    socket.on('read', (e) => {
      if (e.participant.kind !== 'agent') return;
      this.agentRead.set(e.conversationId, Math.max(this.agentRead.get(e.conversationId) ?? 0, e.seq));
      this.changed();
    });
    socket.on('viewers', (e) => {
      for (const v of e.viewers) if (v.id && v.name) this.names.set(v.id, v.name);
      this.changed();
    });
    // The bot's answer as it is written: the full text so far, shown as text (never HTML).
    socket.on('bot:stream', (e) => {
      if (e.done || !e.text) this.streams.delete(e.conversationId);
      else this.streams.set(e.conversationId, e.text);
      this.changed();
    });
    // Queue transparency: routing sends the position and estimated wait while waiting for a person.
    socket.on('queue:position', (e) => {
      if (e?.conversationId)
        this.queues.set(e.conversationId, { position: e.position, etaMinutes: e.estimatedWaitMinutes ?? null });
      this.changed();
    });
  }

  /** A stored message (live, or history replayed by a join). Returns whether it is new to this room. */
  message(e: RoomEvent, live: boolean): boolean {
    const id = e.conversationId;
    const map = this.byRoom.get(id) ?? new Map<string, Message>();
    this.byRoom.set(id, map);
    const isNew = !map.has(e.message.id);
    map.set(e.message.id, e.message);
    if (e.message.authorKind === 'bot') this.streams.delete(id);
    if (isNew && e.message.authorKind !== 'contact') {
      this.typingBy.delete(id);
      // A person answered: the wait is over (history replayed on joining is not; the server judged that).
      if (live && e.message.authorKind === 'agent') this.queues.delete(id);
    }
    this.changed();
    return isNew;
  }

  /** conversation:updated, or the hand-off's answer: who answers, the assignee and the status category. */
  status(id: string, change: { owner?: Owner; category?: StatusCategory; assignee?: Participant | null }) {
    if (change.assignee !== undefined) {
      const a = change.assignee;
      const name = a?.id ? this.names.get(a.id) : undefined;
      this.assignee.set(id, a ? { ...a, name: name ?? a.name } : null);
    }
    if (change.owner) this.owner.set(id, change.owner);
    // A person took over: whatever the bot was writing will not be stored.
    if (change.owner === 'human') this.streams.delete(id);
    // Over: nobody types, nobody waits.
    if (change.category === 'resolved' || change.category === 'closed') {
      this.typingBy.delete(id);
      this.queues.delete(id);
    }
    this.changed();
  }

  /** The room's messages by seq. */
  messages(id: string | null): Message[] {
    const map = id ? this.byRoom.get(id) : undefined;
    return map ? [...map.values()].sort((a, b) => a.seq - b.seq) : [];
  }

  /** The name of whoever types in the room now (null: someone unnamed), undefined when nobody does. */
  typing(id: string | null): string | null | undefined {
    return id ? this.typingBy.get(id) : undefined;
  }

  /** The bot's answer being written in the room, if any. */
  stream(id: string | null): string | undefined {
    return id ? this.streams.get(id) : undefined;
  }

  queue(id: string): Queue | undefined {
    return this.queues.get(id);
  }

  agentReadUpTo(id: string | null): number {
    return id ? (this.agentRead.get(id) ?? 0) : 0;
  }

  /** Messages from others after what this visitor read, not deleted: the launcher's badge. */
  unread(myRead: Record<string, number>): number {
    let n = 0;
    for (const [conv, map] of this.byRoom) {
      const read = myRead[conv] ?? 0;
      for (const m of map.values()) if (m.authorKind !== 'contact' && m.seq > read && !m.deletedAt) n++;
    }
    return n;
  }

  /**
   * Who answers the room: what the server last said; before it said anything, the messages tell (the
   * bot wrote last: the bot; a person wrote, was assigned or the hand-off notice came after it: a person).
   */
  ownerOf(id: string | null): Owner | undefined {
    if (!id) return undefined;
    const known = this.owner.get(id);
    if (known) return known;
    if (this.assignee.get(id)) return 'human';
    let bot = -1;
    let other = -1;
    for (const m of this.byRoom.get(id)?.values() ?? []) {
      if (m.authorKind === 'bot') bot = Math.max(bot, m.seq);
      else if (m.authorKind !== 'contact') other = Math.max(other, m.seq);
    }
    return bot > other ? 'bot' : other >= 0 ? 'human' : undefined;
  }
}
