import { z } from 'zod';
import type { ErrorCode } from './errors';
import type { Conversation } from './schemas/conversations';
import type { EmailStatusEvent } from './schemas/email';
import { AttachmentInput, MAX_MESSAGE_CHARS, type Message } from './schemas/messages';
import type { ChannelStatusEvent } from './schemas/messaging-channels';

/**
 * The realtime protocol: Socket.IO namespaces, event names and payload schemas, shared by the server,
 * the workspace and the widget so none of them can drift. Client-to-server payloads are validated with
 * these schemas on the server; server-to-client payloads are typed by them.
 */

export const NAMESPACES = { agent: '/agent', widget: '/widget' } as const;

/** Largest frame the server accepts; bigger frames close the connection (Socket.IO maxHttpBufferSize). */
export const MAX_FRAME_BYTES = 512 * 1024;

const ConversationId = z.uuid();
const ClientId = z.string().min(1).max(100);
const Seq = z.number().int().min(0);

export const JoinRoom = z.strictObject({ conversationId: ConversationId, lastSeq: Seq.default(0) });
export const LeaveRoom = z.strictObject({ conversationId: ConversationId });
export const SyncRoom = z.strictObject({
  conversationId: ConversationId,
  afterSeq: Seq,
  limit: z.number().int().min(1).max(500).default(200),
});
export const SendMessage = z.strictObject({
  conversationId: ConversationId,
  clientId: ClientId,
  body: z.string().min(1).max(MAX_MESSAGE_CHARS),
  private: z.boolean().optional(),
  attachments: z.array(AttachmentInput).max(10).optional(),
});
export const EditMessage = z.strictObject({
  conversationId: ConversationId,
  messageId: z.uuid(),
  body: z.string().min(1).max(MAX_MESSAGE_CHARS),
});
export const DeleteMessage = z.strictObject({ conversationId: ConversationId, messageId: z.uuid() });
export const Typing = z.strictObject({ conversationId: ConversationId, typing: z.boolean() });
export const MarkRead = z.strictObject({ conversationId: ConversationId, seq: Seq });
export const UnreadCounts = z.strictObject({ conversationIds: z.array(ConversationId).min(1).max(200) });
export const Supervise = z.strictObject({ on: z.boolean() });
export const SetPresence = z.strictObject({ status: z.enum(['online', 'away']) });
export const RequestPerson = z.strictObject({ conversationId: ConversationId });
export const StartConversation = z.strictObject({
  clientId: ClientId,
  body: z.string().min(1).max(MAX_MESSAGE_CHARS),
  subject: z.string().trim().min(1).max(300).optional(),
  /** The widget's language (`ja`, `pt-BR`): the bot and the hand-off speak it from the first turn. */
  locale: z.string().trim().min(2).max(35).optional(),
});

export type PresenceStatus = 'online' | 'away' | 'offline';

export interface Participant {
  kind: 'agent' | 'contact' | 'bot' | 'system';
  id: string | null;
  name: string | null;
}

/** One entry of a room's stream: a new message, or a later revision (edit/delete) of one. */
export interface RoomEvent {
  conversationId: string;
  /** The room seq of this event: the message's seq, or the seq its latest revision took. */
  eventSeq: number;
  message: Message;
}

export interface ReadCursor {
  participant: Participant;
  seq: number;
}

export interface JoinResult {
  events: RoomEvent[];
  /** More events exist after the last one returned: call room:sync from there. */
  hasMore: boolean;
  lastSeq: number;
  readCursors: ReadCursor[];
  viewers: Participant[];
}

export type Ack<T = object> = ({ ok: true } & T) | { ok: false; error: { code: ErrorCode; message: string } };

export interface ClientToServerEvents {
  'room:join': (p: z.input<typeof JoinRoom>, ack: (r: Ack<JoinResult>) => void) => void;
  'room:leave': (p: z.input<typeof LeaveRoom>, ack?: (r: Ack) => void) => void;
  'room:sync': (p: z.input<typeof SyncRoom>, ack: (r: Ack<{ events: RoomEvent[]; hasMore: boolean }>) => void) => void;
  'message:send': (p: z.input<typeof SendMessage>, ack: (r: Ack<{ clientId: string; seq: number; id: string }>) => void) => void;
  'message:edit': (p: z.input<typeof EditMessage>, ack: (r: Ack<{ seq: number }>) => void) => void;
  'message:delete': (p: z.input<typeof DeleteMessage>, ack: (r: Ack<{ seq: number }>) => void) => void;
  typing: (p: z.input<typeof Typing>) => void;
  read: (p: z.input<typeof MarkRead>, ack?: (r: Ack) => void) => void;
  'presence:set': (p: z.input<typeof SetPresence>, ack?: (r: Ack) => void) => void;
  /** Supervisors and admins: receive every room's activity (messages, typing, viewers, queues) until turned off. */
  supervise: (p: z.input<typeof Supervise>, ack: (r: Ack) => void) => void;
  /** Agent only: unread messages per conversation for the signed-in agent (after their read cursor). */
  'unread:counts': (p: z.input<typeof UnreadCounts>, ack: (r: Ack<{ counts: Record<string, number> }>) => void) => void;
  /** Widget only: open a new conversation with a first message. */
  'conversation:start': (
    p: z.input<typeof StartConversation>,
    ack: (r: Ack<{ conversationId: string; seq: number; id: string }>) => void,
  ) => void;
  /** Widget only: "talk to a person" — the bot hands the room to routing. */
  'bot:handoff': (p: z.input<typeof RequestPerson>, ack: (r: Ack<{ handedOff: boolean }>) => void) => void;
  /** Widget only: this visitor's conversations, newest first. */
  'conversation:list': (p: Record<string, never>, ack: (r: Ack<{ conversations: WidgetConversation[] }>) => void) => void;
}

export interface WidgetConversation {
  id: string;
  number: number;
  subject: string | null;
  statusCategory: string;
  lastSeq: number;
  lastActivityAt: string;
  /** The assigned agent, if any (the widget shows who is answering). */
  assignee?: { id: string; name: string } | null;
  /** Agents who wrote in this conversation, to name them in the widget. */
  agents?: { id: string; name: string }[];
}

export interface ServerToClientEvents {
  message: (e: RoomEvent) => void;
  typing: (e: { conversationId: string; participant: Participant; typing: boolean }) => void;
  read: (e: { conversationId: string } & ReadCursor) => void;
  viewers: (e: { conversationId: string; viewers: Participant[] }) => void;
  presence: (e: { userId: string; name: string; status: PresenceStatus }) => void;
  /** Agents' queues: a conversation was created or changed (status, assignee, priority, new message). */
  'queue:conversation': (e: { conversation: Conversation; reason: string; unread?: number }) => void;
  /** Widget: the conversation's state changed (status, assignee, who answers: bot or a person). */
  'conversation:updated': (e: {
    conversationId: string;
    statusCategory: string;
    assignee: Participant | null;
    owner?: 'bot' | 'human';
    /** Past the reopen window a new conversation continues this one: the widget opens it. */
    continuedIn?: string;
  }) => void;
  /** Agents in a merged conversation's room: it now lives in `mergedInto` (the workspace opens it). */
  'conversation:merged': (e: { conversationId: string; mergedInto: { id: string; number: number } }) => void;
  /**
   * The bot's answer as it is being written: `text` is everything so far (not a delta), so a client that
   * misses one still shows the right text. `done` ends it; the stored message follows as a `message`.
   */
  'bot:stream': (e: BotStreamEvent) => void;
  /** Agents: something needs attention (an SLA target due soon or missed). */
  notification: (e: AgentNotification) => void;
  /** Widget: while waiting for a person, the place in the queue and the estimated wait (null: unknown). */
  'queue:position': (e: { conversationId: string; position: number; estimatedWaitMinutes: number | null }) => void;
  /**
   * Live events may have been missed (Redis was away, so another process's broadcasts did not arrive):
   * sync every joined room from the last seq seen.
   */
  resync: (e: { reason: 'redis' }) => void;
  /** Agents in the room: an outgoing mail's delivery state changed (queued, sent, failed ...). */
  'email:status': (e: EmailStatusEvent) => void;
  /** Agents in the room: an SMS (or other messaging channel) message's delivery state changed. */
  'channel:status': (e: ChannelStatusEvent) => void;
  /** The server is about to close the connection (garbage input, logged out). */
  'session:ended': (e: { code: ErrorCode; message: string }) => void;
}

export interface AgentNotification {
  kind: 'sla.warning' | 'sla.breached' | 'mention' | 'reopened' | 'snooze.ended' | 'automation';
  conversationId: string;
  title: string;
  dueAt?: string;
  /** mention: the message that mentions the agent, whether it is an internal note, and who wrote it. */
  messageId?: string;
  private?: boolean;
  byId?: string | null;
  at: string;
}

export interface BotStreamEvent {
  conversationId: string;
  streamId: string;
  text: string;
  done: boolean;
}

/** Room names, derived in one place. */
export const rooms = {
  conversation: (id: string) => `conv:${id}`,
  inboxQueue: (inboxId: string) => `queue:inbox:${inboxId}`,
  supervisors: 'supervisors',
  user: (id: string) => `user:${id}`,
  session: (id: string) => `session:${id}`,
  visitor: (id: string) => `visitor:${id}`,
};
