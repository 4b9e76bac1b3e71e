import type { StatusCategory } from '../enums';
import type { BotStreamEvent, Participant, RoomEvent } from '../protocol';
import type { Conversation, RoomOwner } from '../schemas/conversations';
import type { Message } from '../schemas/messages';

/**
 * One room's live state, as both clients (the workspace room page and the widget) hold it. Only
 * type imports here: the widget bundles this code and must not pull zod in.
 */

/** A typing signal without a repeat for this long is gone (a closed tab never sends "stopped"). */
export const TYPING_FADE_MS = 6000;
/** A finished bot stream whose stored message never came (the bot was stopped) fades after this. */
export const STREAM_DONE_FADE_MS = 5000;
/** A stream that stops without `done` (the bot's process went away) fades after this. */
export const STREAM_STALL_FADE_MS = 30_000;

/** Who a client is in the room: its own typing and viewing are not shown back to it. */
export interface RoomSelf {
  kind: Participant['kind'];
  /** Null: every participant of this kind is "me" (the widget's visitor has one id per contact, unknown early). */
  id: string | null;
}

/** A reply sent but not acked yet (shown greyed; the ack's stored message replaces it by clientId). */
export interface PendingReply {
  clientId: string;
  body: string;
  private: boolean;
  attachments?: Message['attachments'];
  /** The reason the send failed; the reply stays visible so nothing typed is lost silently. */
  failed?: string;
}

export interface TypingEntry {
  participant: Participant;
  /** Epoch ms after which the signal is gone unless repeated. */
  until: number;
}

export interface BotStream {
  text: string;
  done: boolean;
  /** The room's last seq when the stream began: a stored bot message after it is this answer. */
  afterSeq: number;
  until: number;
}

/** Who answers, the status and the rating: what the header, the widget's status line and CSAT read. */
export interface RoomStatus {
  statusId: string | null;
  statusName: string | null;
  category: StatusCategory | null;
  owner: RoomOwner | null;
  assigneeId: string | null;
  csat: Conversation['csat'];
  /**
   * When the conversation last changed (ISO), where the source knows it. Snapshots travel with several
   * events (a message carries the room as it was when the message was stored) and can arrive after a newer
   * one: an older snapshot is ignored instead of undoing the newer state.
   */
  updatedAt: string | null;
}

/** A change seen live, told in the history as a system line (the client words it in its language). */
export type RoomNotice =
  | { at: string; kind: 'owner'; owner: RoomOwner }
  | { at: string; kind: 'assignee'; assigneeId: string | null }
  | { at: string; kind: 'status'; fromName: string | null; toName: string | null };

export interface QueuePosition {
  position: number;
  etaMinutes: number | null;
}

export interface RoomState {
  conversationId: string;
  self: RoomSelf;
  /** Stored messages, ordered by seq, one per id (the latest revision). */
  messages: Message[];
  /** The event seq each message's shown revision came with: an older revision arriving late is ignored. */
  revisions: Record<string, number>;
  /** The highest seq seen (messages and revisions). */
  lastSeq: number;
  pending: PendingReply[];
  /** Keyed by participantKey(). */
  typing: Record<string, TypingEntry>;
  /** The furthest seq each participant has read, keyed by participantKey(). */
  reads: Record<string, { participant: Participant; seq: number }>;
  viewers: Participant[];
  streams: Record<string, BotStream>;
  closedStreams: string[];
  queue: QueuePosition | null;
  status: RoomStatus;
  notices: RoomNotice[];
}

export type RoomAction =
  /** Messages from a page or a history request (older ones, or the first page): merged by id. */
  | { type: 'history'; messages: Message[] }
  /** A live or replayed room event: a new message or a revision (edit, delete) of one. */
  | { type: 'event'; event: RoomEvent; live?: boolean }
  | { type: 'sending'; reply: PendingReply }
  | { type: 'sendFailed'; clientId: string; reason: string }
  /** The outbox after a reload: replies typed before it and not acked yet. */
  | { type: 'outbox'; replies: PendingReply[] }
  | { type: 'typing'; participant: Participant; typing: boolean; at: number }
  | { type: 'read'; participant: Participant; seq: number }
  | { type: 'viewers'; viewers: Participant[] }
  | { type: 'botStream'; event: Pick<BotStreamEvent, 'streamId' | 'text' | 'done'>; at: number }
  | { type: 'queuePosition'; position: number; etaMinutes: number | null }
  /** The room's status/owner/assignee/rating changed; only the fields given change. `at`: ISO time for notices. */
  | { type: 'status'; status: Partial<RoomStatus>; at: string; notify?: boolean }
  /** Time passed: expired typing signals and streams go. */
  | { type: 'tick'; at: number };

export const participantKey = (p: Pick<Participant, 'kind' | 'id'>) => `${p.kind}:${p.id}`;

/** The status slice of a full conversation (the workspace has those; the widget sends category/owner only). */
export function statusOf(c: Pick<Conversation, 'status' | 'owner' | 'assigneeId' | 'csat' | 'updatedAt'>): RoomStatus {
  return {
    statusId: c.status.id,
    statusName: c.status.name,
    category: c.status.category,
    owner: c.owner,
    assigneeId: c.assigneeId,
    csat: c.csat,
    updatedAt: c.updatedAt,
  };
}

export function initialRoomState(props: {
  conversationId: string;
  self: RoomSelf;
  messages?: Message[];
  status?: Partial<RoomStatus>;
}): RoomState {
  const messages = dedupeBySeq(props.messages ?? []);
  return {
    conversationId: props.conversationId,
    self: props.self,
    messages,
    revisions: {},
    lastSeq: messages.reduce((m, x) => Math.max(m, x.seq), 0),
    pending: [],
    typing: {},
    reads: {},
    viewers: [],
    streams: {},
    closedStreams: [],
    queue: null,
    status: {
      statusId: null,
      statusName: null,
      category: null,
      owner: null,
      assigneeId: null,
      csat: null,
      updatedAt: null,
      ...props.status,
    },
    notices: [],
  };
}

/** One message per id (the later one in the list wins), ordered by seq. */
export function dedupeBySeq(list: Message[]): Message[] {
  const byId = new Map<string, Message>();
  for (const m of list) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}
