import { z } from 'zod';
import type { DomainEventPayloads, EventType } from '../events';
import { Contact } from './contacts';
import { Conversation } from './conversations';
import { Message } from './messages';

// The webhook contract as schemas, for the OpenAPI document's `webhooks` section. The payload types in
// events.ts stay the source the server is written against; the check at the bottom fails to compile
// when a schema here and its payload type disagree in either direction, or an event has no schema.

const Id = z.string();
const SlaEvent = z.object({
  conversationId: Id,
  policyId: Id,
  target: z.enum(['first_response', 'next_response', 'resolution']),
  dueAt: z.string(),
  assigneeId: Id.nullable(),
  teamId: Id.nullable(),
});

export const WebhookEventPayloads = {
  'conversation.created': z.object({ conversation: Conversation }),
  'conversation.updated': z.object({
    conversation: Conversation,
    changed: z.array(z.string()),
    addedTags: z.array(z.string()).optional(),
  }),
  'conversation.status_changed': z.object({ conversation: Conversation, fromStatusId: Id.nullable(), toStatusId: Id }),
  'conversation.assigned': z.object({ conversation: Conversation, fromAssigneeId: Id.nullable(), toAssigneeId: Id.nullable() }),
  'message.created': z.object({ message: Message, conversation: Conversation }),
  'message.updated': z.object({
    message: Message,
    conversation: Conversation,
    revisionSeq: z.number().int(),
    change: z.enum(['edited', 'deleted']),
  }),
  'conversation.reopened': z.object({
    conversation: Conversation,
    previousAssigneeId: Id.nullable(),
    messageId: Id,
    followUpId: Id.nullable(),
  }),
  'conversation.snooze_ended': z.object({
    conversation: Conversation,
    reason: z.enum(['time', 'reply', 'agent']),
    snoozedBy: Id.nullable(),
  }),
  'conversation.rated': z.object({ conversation: Conversation, rating: z.number().int(), comment: z.string().nullable() }),
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
  'conversation.handoff': z.object({
    conversation: Conversation,
    reason: z.string(),
    language: z.string().nullable().optional(),
  }),
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
  'sla.warning': SlaEvent,
  'sla.breached': SlaEvent,
} satisfies { [K in EventType]: z.ZodType };

/** What each event means, for the document (one line each). */
export const WEBHOOK_EVENT_DESCRIPTIONS: { [K in EventType]: string } = {
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
};

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const exact: { [K in EventType]: Same<z.infer<(typeof WebhookEventPayloads)[K]>, DomainEventPayloads[K]> } = {
  'conversation.created': true,
  'conversation.updated': true,
  'conversation.status_changed': true,
  'conversation.assigned': true,
  'message.created': true,
  'message.updated': true,
  'conversation.reopened': true,
  'conversation.snooze_ended': true,
  'conversation.rated': true,
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
void exact;
