import type { Contact } from './schemas/contacts';
import type { Conversation } from './schemas/conversations';
import type { Message } from './schemas/messages';

/**
 * Domain events: written to the outbox in the same transaction as the change that caused them, then
 * handed to listeners (realtime fan-out, webhooks, bot, routing...). The payload map below is also the
 * public webhook contract, so adding a field is fine and renaming one is a breaking change.
 */
export interface DomainEventPayloads {
  'conversation.created': { conversation: Conversation };
  /** `addedTags`: the tags this change added (when it changed tags). */
  'conversation.updated': { conversation: Conversation; changed: string[]; addedTags?: string[] };
  'conversation.status_changed': { conversation: Conversation; fromStatusId: string | null; toStatusId: string };
  'conversation.assigned': { conversation: Conversation; fromAssigneeId: string | null; toAssigneeId: string | null };
  'message.created': { message: Message; conversation: Conversation };
  /** An edit or deletion; `revisionSeq` is the room seq the revision took. */
  'message.updated': { message: Message; conversation: Conversation; revisionSeq: number; change: 'edited' | 'deleted' };
  /**
   * A customer wrote in a resolved or closed conversation and it is open again (or, past the inbox's
   * reopen window, `followUpId` is the new conversation that continues it).
   */
  'conversation.reopened': {
    conversation: Conversation;
    previousAssigneeId: string | null;
    messageId: string;
    followUpId: string | null;
  };
  /**
   * A duplicate (`secondary`) was merged into `primary`: its messages now sit in the primary at seqs
   * `firstMovedSeq`..`primary.lastSeq`, and the secondary is closed and points at the primary.
   */
  'conversation.merged': {
    primary: Conversation;
    secondary: Conversation;
    movedMessages: number;
    firstMovedSeq: number;
    crossContact: boolean;
  };
  /** Two conversations were linked as related (`linked: true`) or unlinked. */
  'conversation.linked': { conversationId: string; linkedId: string; linked: boolean };
  /** A duplicate contact was merged into `contact` (the survivor) and deleted. */
  'contact.merged': { contact: Contact; mergedContactId: string; movedConversations: number; movedVisitorIds: string[] };
  /** A snooze ended: its time came, the customer replied, or an agent woke it. */
  'conversation.snooze_ended': { conversation: Conversation; reason: 'time' | 'reply' | 'agent'; snoozedBy: string | null };
  /** The customer rated the conversation after it was resolved (1–5, optional comment). */
  'conversation.rated': { conversation: Conversation; rating: number; comment: string | null };
  'contact.created': { contact: Contact };
  'contact.updated': { contact: Contact; changed: string[] };
  /** The bot gives the conversation to a person; routing takes it from here. */
  'conversation.handoff': { conversation: Conversation; reason: string; language?: string | null };
  /** Nobody could take the conversation: it waits in the team's queue. */
  'routing.queued': { conversationId: string; teamId: string | null; position: number; estimatedWaitMinutes: number | null };
  /** A queued conversation waited past its team's overflow time and now also reaches the overflow team. */
  'routing.overflowed': { conversationId: string; fromTeamId: string | null; toTeamId: string | null; relaxedSkills: boolean };
  /** Rules fired on a conversation (each rule once), with the actions they took. */
  'routing.rules_fired': { conversationId: string; rules: { id: string; name: string }[] };
  /** An SLA target is due soon. `target` is first_response, next_response or resolution. */
  'sla.warning': SlaEventPayload;
  /** An SLA target was missed. */
  'sla.breached': SlaEventPayload;
}

export interface SlaEventPayload {
  conversationId: string;
  policyId: string;
  target: 'first_response' | 'next_response' | 'resolution';
  dueAt: string;
  assigneeId: string | null;
  teamId: string | null;
}

export type EventType = keyof DomainEventPayloads;

// Derived from one typed map so the list can never drift from the payload types.
const EVENT_TYPE_MAP: { [K in EventType]: true } = {
  'conversation.created': true,
  'conversation.updated': true,
  'conversation.status_changed': true,
  'conversation.assigned': true,
  'message.created': true,
  'message.updated': true,
  'conversation.rated': true,
  'conversation.reopened': true,
  'conversation.snooze_ended': true,
  'conversation.merged': true,
  'conversation.linked': true,
  'contact.merged': true,
  'contact.created': true,
  'contact.updated': true,
  'conversation.handoff': true,
  'routing.queued': true,
  'routing.overflowed': true,
  'routing.rules_fired': true,
  'sla.warning': true,
  'sla.breached': true,
};
export const EVENT_TYPES = Object.keys(EVENT_TYPE_MAP) as [EventType, ...EventType[]];

export interface DomainEvent<K extends EventType = EventType> {
  /** Outbox id: increasing, unique across the workspace. */
  id: number;
  type: K;
  occurredAt: string;
  data: DomainEventPayloads[K];
  /** Set when an automation rule's actions wrote this event (not part of the webhook payload). */
  cause?: EventCause;
}

/** The automation rule whose actions wrote an event, and how deep in a chain of rules it is (1 = first). */
export interface EventCause {
  ruleId: string;
  ruleName: string;
  depth: number;
}

/** Body of an outbound webhook request (Standard Webhooks convention: type, timestamp, data). */
export interface WebhookPayload<K extends EventType = EventType> {
  type: K;
  timestamp: string;
  data: DomainEventPayloads[K];
}
