import type { z } from 'zod';
import type { ErrorCode } from './errors';
import {
  type Ack,
  type AgentNotification,
  type BotStreamEvent,
  DeleteMessage,
  EditMessage,
  type JoinResult,
  JoinRoom,
  LeaveRoom,
  ListConversations,
  MarkRead,
  type Participant,
  type PresenceStatus,
  type ReadCursor,
  RequestPerson,
  type RoomEvent,
  SendMessage,
  SetPresence,
  StartConversation,
  Supervise,
  SyncRoom,
  Typing,
  TypingPreview,
  UnreadCounts,
  type WidgetConversation,
} from './protocol';
import type { Conversation } from './schemas/conversations';
import type { EmailStatusEvent } from './schemas/email';
import type { ChannelStatusEvent } from './schemas/messaging-channels';

/**
 * Every Socket.IO event, declared once. Client-to-server events carry the schema the server validates
 * with, whether the client waits for an ack, the ack's fields and the namespaces that handle them; the
 * server registers its handlers from this map and both clients' socket types are derived from it, so a
 * name, payload or ack cannot drift between the two ends. Server-to-client events are types only.
 */

/** `required`: the client waits for the answer; `optional`: it may ask for one; `none`: fire and forget. */
type AckMode = 'required' | 'optional' | 'none';
type Namespace = 'agent' | 'widget';

export interface ClientEventSpec<S extends z.ZodType = z.ZodType, R extends object = object, M extends AckMode = AckMode> {
  payload: S;
  ack: M;
  namespaces: readonly Namespace[];
  /** Type only (never set): the fields of a successful ack. */
  result?: R;
}

/** `clientEvent<AckFields>()(schema, ack, namespaces)`: curried so the ack type is named and the rest inferred. */
const clientEvent =
  <R extends object = object>() =>
  <S extends z.ZodType, M extends AckMode>(payload: S, ack: M, namespaces: readonly Namespace[]): ClientEventSpec<S, R, M> => ({
    payload,
    ack,
    namespaces,
  });

const both = ['agent', 'widget'] as const;

export const clientEvents = {
  'room:join': clientEvent<JoinResult>()(JoinRoom, 'required', both),
  'room:leave': clientEvent()(LeaveRoom, 'optional', both),
  'room:sync': clientEvent<{ events: RoomEvent[]; hasMore: boolean }>()(SyncRoom, 'required', both),
  'message:send': clientEvent<{ clientId: string; seq: number; id: string }>()(SendMessage, 'required', both),
  'message:edit': clientEvent<{ seq: number }>()(EditMessage, 'required', both),
  'message:delete': clientEvent<{ seq: number }>()(DeleteMessage, 'required', both),
  typing: clientEvent()(Typing, 'none', both),
  /** Widget only, and only when the inbox has the live typing preview on: the visitor's draft, never stored. */
  'typing:preview': clientEvent()(TypingPreview, 'none', ['widget']),
  read: clientEvent()(MarkRead, 'optional', both),
  'presence:set': clientEvent()(SetPresence, 'optional', ['agent']),
  /** Supervisors and admins: receive every room's activity (messages, typing, viewers, queues) until turned off. */
  supervise: clientEvent()(Supervise, 'required', ['agent']),
  /** Agent only: unread messages per conversation for the signed-in agent (after their read cursor). */
  'unread:counts': clientEvent<{ counts: Record<string, number> }>()(UnreadCounts, 'required', ['agent']),
  /** Widget only: open a new conversation with a first message. */
  'conversation:start': clientEvent<{ conversationId: string; seq: number; id: string }>()(StartConversation, 'required', [
    'widget',
  ]),
  /** Widget only: "talk to a person" — the bot hands the room to routing. */
  'bot:handoff': clientEvent<{ handedOff: boolean }>()(RequestPerson, 'required', ['widget']),
  /** Widget only: this visitor's conversations, newest first. */
  'conversation:list': clientEvent<{ conversations: WidgetConversation[] }>()(ListConversations, 'required', ['widget']),
} satisfies Record<string, ClientEventSpec>;

type ClientEvents = typeof clientEvents;
export type ClientEventName = keyof ClientEvents;
/** What a client sends (defaults may be left out). */
export type ClientPayload<E extends ClientEventName> = z.input<ClientEvents[E]['payload']>;
/** What the server's handler receives, after validation. */
export type ValidClientPayload<E extends ClientEventName> = z.output<ClientEvents[E]['payload']>;
/** The fields of a successful ack (besides `ok: true`). */
export type ClientAckResult<E extends ClientEventName> = ClientEvents[E] extends ClientEventSpec<z.ZodType, infer R> ? R : never;

type AckFn<E extends ClientEventName> = (r: Ack<ClientAckResult<E>>) => void;

export type ClientToServerEvents = {
  [E in ClientEventName]: ClientEvents[E]['ack'] extends 'required'
    ? (p: ClientPayload<E>, ack: AckFn<E>) => void
    : ClientEvents[E]['ack'] extends 'optional'
      ? (p: ClientPayload<E>, ack?: AckFn<E>) => void
      : (p: ClientPayload<E>) => void;
};

/** Server-to-client events and their payloads. */
export interface ServerEventPayloads {
  message: RoomEvent;
  typing: { conversationId: string; participant: Participant; typing: boolean };
  /** Agents in the room: what the visitor is typing now (live typing preview); '' when the draft is gone. */
  'typing:preview': { conversationId: string; participant: Participant; draft: string };
  read: { conversationId: string } & ReadCursor;
  viewers: { conversationId: string; viewers: Participant[] };
  presence: { userId: string; name: string; status: PresenceStatus };
  /** Agents' queues: a conversation was created or changed (status, assignee, priority, new message). */
  'queue:conversation': { conversation: Conversation; reason: string; unread?: number };
  /** Widget: the conversation's state changed (status, assignee, who answers: bot or a person). */
  'conversation:updated': {
    conversationId: string;
    statusCategory: string;
    assignee: Participant | null;
    owner?: 'bot' | 'human';
    /** Past the reopen window a new conversation continues this one: the widget opens it. */
    continuedIn?: string;
  };
  /** Agents in a merged conversation's room: it now lives in `mergedInto` (the workspace opens it). */
  'conversation:merged': { conversationId: string; mergedInto: { id: string; number: number } };
  /**
   * The bot's answer as it is being written: `text` is everything so far (not a delta), so a client that
   * misses one still shows the right text. `done` ends it; the stored message follows as a `message`.
   */
  'bot:stream': BotStreamEvent;
  /** Agents: something needs attention (an SLA target due soon or missed). */
  notification: AgentNotification;
  /** Agents (every tab of that user): notifications were marked read; the unread count now. */
  'notifications:read': { unread: number; ids: string[] | 'all' };
  /** Widget: while waiting for a person, the place in the queue and the estimated wait (null: unknown). */
  'queue:position': { conversationId: string; position: number; estimatedWaitMinutes: number | null };
  /**
   * Live events may have been missed (Redis was away, so another process's broadcasts did not arrive):
   * sync every joined room from the last seq seen.
   */
  resync: { reason: 'redis' };
  /** Agents in the room: an outgoing mail's delivery state changed (queued, sent, failed ...). */
  'email:status': EmailStatusEvent;
  /** Agents in the room: an SMS or WhatsApp message's delivery state changed (sent, delivered, failed ...). */
  'channel:status': ChannelStatusEvent;
  /** The server is about to close the connection (garbage input, logged out). */
  'session:ended': { code: ErrorCode; message: string };
}

export type ServerToClientEvents = { [E in keyof ServerEventPayloads]: (e: ServerEventPayloads[E]) => void };
