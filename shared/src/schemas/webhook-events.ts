import { z } from 'zod';
import { Contact } from './contacts';
import { Conversation } from './conversations';
import { Message } from './messages';

// The webhook contract, written once: these schemas are the source of the payload types in events.ts
// (`DomainEventPayloads` is inferred from them), of the OpenAPI document's `webhooks` section and of the
// event-type list. A field added here is a field every listener and every receiver sees; nothing else
// repeats the shapes, so an optional field cannot exist on one side only.

const Id = z.string();
export const SlaEventPayload = z.object({
  conversationId: Id,
  policyId: Id,
  target: z.enum(['first_response', 'next_response', 'resolution']),
  dueAt: z.string(),
  assigneeId: Id.nullable(),
  teamId: Id.nullable(),
});
export type SlaEventPayload = z.infer<typeof SlaEventPayload>;

export const WebhookEventPayloads = {
  'conversation.created': z.object({ conversation: Conversation }),
  /** `addedTags`: the tags this change added (when it changed tags). */
  'conversation.updated': z.object({
    conversation: Conversation,
    changed: z.array(z.string()),
    addedTags: z.array(z.string()).optional(),
  }),
  'conversation.status_changed': z.object({ conversation: Conversation, fromStatusId: Id.nullable(), toStatusId: Id }),
  'conversation.assigned': z.object({ conversation: Conversation, fromAssigneeId: Id.nullable(), toAssigneeId: Id.nullable() }),
  'message.created': z.object({ message: Message, conversation: Conversation }),
  /** An edit or deletion; `revisionSeq` is the room seq the revision took. */
  'message.updated': z.object({
    message: Message,
    conversation: Conversation,
    revisionSeq: z.number().int(),
    change: z.enum(['edited', 'deleted']),
  }),
  /** The customer rated the conversation after it was resolved (1–5, optional comment). */
  'conversation.rated': z.object({ conversation: Conversation, rating: z.number().int(), comment: z.string().nullable() }),
  /**
   * A customer wrote in a resolved or closed conversation and it is open again (or, past the inbox's
   * reopen window, `followUpId` is the new conversation that continues it).
   */
  'conversation.reopened': z.object({
    conversation: Conversation,
    previousAssigneeId: Id.nullable(),
    messageId: Id,
    followUpId: Id.nullable(),
  }),
  /** A snooze ended: its time came, the customer replied, or an agent woke it. */
  'conversation.snooze_ended': z.object({
    conversation: Conversation,
    reason: z.enum(['time', 'reply', 'agent']),
    snoozedBy: Id.nullable(),
  }),
  /**
   * A duplicate (`secondary`) was merged into `primary`: its messages now sit in the primary at seqs
   * `firstMovedSeq`..`primary.lastSeq`, and the secondary is closed and points at the primary.
   */
  'conversation.merged': z.object({
    primary: Conversation,
    secondary: Conversation,
    movedMessages: z.number().int(),
    firstMovedSeq: z.number().int(),
    crossContact: z.boolean(),
  }),
  'conversation.linked': z.object({ conversationId: Id, linkedId: Id, linked: z.boolean() }),
  'contact.merged': z.object({
    contact: Contact,
    mergedContactId: Id,
    movedConversations: z.number().int(),
    movedVisitorIds: z.array(Id),
  }),
  'contact.created': z.object({ contact: Contact }),
  'contact.updated': z.object({ contact: Contact, changed: z.array(z.string()) }),
  /** The bot gives the conversation to a person; routing takes it from here. */
  'conversation.handoff': z.object({
    conversation: Conversation,
    reason: z.string(),
    language: z.string().nullable().optional(),
  }),
  /** Nobody could take the conversation: it waits in the team's queue. */
  'routing.queued': z.object({
    conversationId: Id,
    teamId: Id.nullable(),
    position: z.number().int(),
    estimatedWaitMinutes: z.number().nullable(),
  }),
  'routing.overflowed': z.object({
    conversationId: Id,
    fromTeamId: Id.nullable(),
    toTeamId: Id.nullable(),
    relaxedSkills: z.boolean(),
  }),
  'routing.rules_fired': z.object({ conversationId: Id, rules: z.array(z.object({ id: Id, name: z.string() })) }),
  /** An SLA target is due soon. `target` is first_response, next_response or resolution. */
  'sla.warning': SlaEventPayload,
  'sla.breached': SlaEventPayload,
  /** A tag was folded into another (`tag` stays, `mergedTagId` is gone); caches of tags drop it. */
  'tag.merged': z.object({
    tag: z.object({ id: Id, name: z.string(), color: z.string().nullable() }),
    mergedTagId: Id,
    mergedTagName: z.string(),
    movedConversations: z.number().int(),
  }),
};

export type WebhookEventType = keyof typeof WebhookEventPayloads;

/** The `data` of each event type, as listeners and webhook receivers get it. */
export type WebhookEventData = { [K in WebhookEventType]: z.infer<(typeof WebhookEventPayloads)[K]> };

/** What each event means, for the document (one line each). */
export const WEBHOOK_EVENT_DESCRIPTIONS: { [K in WebhookEventType]: string } = {
  'conversation.created': 'A conversation was started (widget, email, API or an agent).',
  'conversation.updated': 'Fields of a conversation changed; `changed` names them.',
  'conversation.status_changed': 'A conversation moved to another status.',
  'conversation.assigned': 'A conversation was assigned, reassigned or unassigned.',
  'message.created': 'A message or internal note was added (check `message.private`).',
  'message.updated': 'A message was edited or deleted; `revisionSeq` is the room seq of the change.',
  'conversation.reopened':
    'A customer wrote in a resolved or closed conversation; `followUpId` is set when a new one continues it.',
  'conversation.snooze_ended': 'A snooze ended: its time came, the customer replied, or an agent woke it.',
  'conversation.rated': 'The customer rated the conversation (1-5, optional comment).',
  'conversation.merged': 'A duplicate (`secondary`) was merged into `primary`: its messages were moved there and it was closed.',
  'conversation.linked': 'Two conversations were linked as related (`linked: true`) or unlinked.',
  'contact.merged': 'A duplicate contact was merged into `contact` (the survivor) and deleted.',
  'contact.created': 'A contact was created.',
  'contact.updated': 'Fields of a contact changed; `changed` names them.',
  'conversation.handoff': 'The bot handed the conversation to a person.',
  'routing.queued': 'Nobody could take the conversation: it waits in a queue.',
  'routing.overflowed': "A queued conversation waited past its team's overflow time.",
  'routing.rules_fired': 'Routing rules fired on a conversation.',
  'sla.warning': 'An SLA target is due soon.',
  'sla.breached': 'An SLA target was missed.',
  'tag.merged': 'A tag was merged into another (`tag` stays); conversations that had it now have `tag`.',
};
