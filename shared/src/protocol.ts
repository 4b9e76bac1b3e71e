import { z } from 'zod';
import type { ErrorCode } from './errors';
import { AttachmentInput, MAX_MESSAGE_CHARS, type Message } from './schemas/messages';

/**
 * The realtime protocol: Socket.IO namespaces, payload schemas and shapes, shared by the server, the
 * workspace and the widget so none of them can drift. The events themselves (names, directions, acks)
 * are declared once in `socket-events.ts`, built from these.
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
/** The visitor's draft while they type (live typing preview; an empty draft clears it). */
export const TypingPreview = z.strictObject({ conversationId: ConversationId, draft: z.string().max(2000) });
export const MarkRead = z.strictObject({ conversationId: ConversationId, seq: Seq });
export const UnreadCounts = z.strictObject({ conversationIds: z.array(ConversationId).min(1).max(200) });
export const Supervise = z.strictObject({ on: z.boolean() });
export const SetPresence = z.strictObject({ status: z.enum(['online', 'away']) });
export const RequestPerson = z.strictObject({ conversationId: ConversationId });
/** Widget only: list one's own conversations (no fields; the payload may be left out). */
export const ListConversations = z.strictObject({}).optional();
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

export interface AgentNotification {
  kind: 'assigned' | 'customer.replied' | 'sla.warning' | 'sla.breached' | 'mention' | 'reopened' | 'snooze.ended' | 'automation';
  conversationId: string;
  title: string;
  /** The stored notification in the agent's notification centre (absent for live-only ones, such as automation's). */
  id?: string;
  body?: string | null;
  /** The agent's unread count after this one. */
  unread?: number;
  /** Which paths the agent wants for this kind while the tab is open (desktop notification, sound). */
  desktop?: boolean;
  sound?: boolean;
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
