import { z } from 'zod';
import { LOGGED_CHANNELS } from '../enum-values';
import { AuthorKind, Channel, Priority, StatusCategory } from '../enums';
import { Cursor, Id, Limit, Line, orNull, Timestamp } from './common';
import { ContactInput } from './contacts';
import { AttachmentInput } from './messages';

/** A custom field value as it travels on the wire; it is checked against its definition on every write. */
export const CustomFieldValue = z.union([
  z.string().max(5000),
  z.number(),
  z.boolean(),
  z.array(z.string().max(200)).max(50),
  z.null(),
]);
export const CustomFieldValues = z
  .record(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'custom field keys are lower_snake_case'), CustomFieldValue)
  .meta({ id: 'CustomFieldValues', description: 'Values keyed by custom field key; null clears a value' });

/** Tags are matched case-insensitively: names are stored lower-case. */
export const TagName = Line(60).toLowerCase();

export const ConversationCreate = z
  .strictObject({
    inboxId: Id,
    subject: Line(300).optional(),
    contactId: Id.optional(),
    contact: ContactInput.optional().meta({ description: 'Create or match (by email) a contact inline' }),
    priority: Priority.optional(),
    statusId: Id.optional(),
    assigneeId: Id.nullable().optional(),
    teamId: Id.nullable().optional(),
    tags: z.array(TagName).max(20).optional(),
    customFields: CustomFieldValues.optional(),
    message: z
      .strictObject({
        body: z.string().min(1).max(100_000),
        private: z.boolean().optional(),
        from: z.enum(['contact', 'agent']).optional(),
        clientId: z.string().min(1).max(100).optional(),
        attachments: z.array(AttachmentInput).max(10).optional(),
      })
      .optional()
      .meta({ description: 'First message; by default from the contact' }),
  })
  .meta({ id: 'ConversationCreate' });
export type ConversationCreate = z.infer<typeof ConversationCreate>;

export const StartConversationInput = z
  .strictObject({
    inboxId: Id.meta({ description: 'An email inbox (the message is mailed) or a chat inbox (the widget shows it)' }),
    contactId: Id.optional().meta({ description: 'An existing contact; required in a chat inbox' }),
    contact: ContactInput.optional().meta({ description: 'Or a new contact (email inboxes), matched by email if it exists' }),
    subject: Line(300).optional(),
    body: z.string().min(1).max(100_000).meta({ description: "The agent's first message (HTML)" }),
    assigneeId: Id.nullable().optional().meta({ description: 'Default: the agent who starts it' }),
    clientId: z.string().min(1).max(100).optional(),
    attachments: z
      .array(AttachmentInput)
      .max(10)
      .optional()
      .meta({ description: 'Files you uploaded (or a macro gave you), sent with the first message' }),
    loggedVia: z.enum(LOGGED_CHANNELS).optional().meta({
      description:
        'Log a phone call or a walk-in that already happened: any inbox you can see, any contact (existing or new); `body` is your summary, kept as an internal note (nothing is sent to the customer), and the conversation shows this channel',
    }),
  })
  .refine((v) => !(v.contactId && v.contact), { message: 'give contactId or contact, not both' })
  .meta({ id: 'StartConversationInput' });
export type StartConversationInput = z.infer<typeof StartConversationInput>;

export const ConversationUpdate = z
  .strictObject({
    subject: Line(300).nullable().optional(),
    statusId: Id.optional(),
    priority: Priority.optional(),
    assigneeId: Id.nullable().optional(),
    teamId: Id.nullable().optional(),
    tags: z.array(TagName).max(20).optional().meta({ description: 'Replace all tags' }),
    addTags: z.array(TagName).max(20).optional(),
    removeTags: z.array(TagName).max(20).optional(),
    customFields: CustomFieldValues.optional().meta({ description: 'Merged into the current values' }),
  })
  .refine((u) => Object.keys(u).length > 0, 'at least one field to change')
  .meta({ id: 'ConversationUpdate' });
export type ConversationUpdate = z.infer<typeof ConversationUpdate>;

export const ConversationBulkUpdate = z
  .strictObject({
    ids: z.array(Id).min(1).max(100),
    update: ConversationUpdate,
  })
  .meta({ id: 'ConversationBulkUpdate' });

export const RoomOwner = z.enum(['bot', 'human']).meta({ id: 'RoomOwner' });
export type RoomOwner = z.infer<typeof RoomOwner>;

export const Conversation = z
  .object({
    id: Id,
    number: z.number().int(),
    subject: z.string().nullable(),
    inboxId: Id,
    channel: Channel,
    contactId: Id,
    status: z.object({ id: Id, name: z.string(), category: StatusCategory }),
    priority: Priority,
    assigneeId: Id.nullable(),
    teamId: Id.nullable(),
    tags: z.array(z.string()),
    customFields: z.record(z.string(), z.unknown()),
    lastSeq: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    lastActivityAt: Timestamp,
    firstResponseAt: Timestamp.nullable(),
    resolvedAt: Timestamp.nullable(),
    waitingSince: Timestamp.nullable(),
    /** Who answers the room now: the bot (first, in widget inboxes with the bot on) or a person. */
    owner: RoomOwner,
    /** The customer's satisfaction rating after resolution, if they gave one. */
    csat: z.object({ rating: z.number().int().min(1).max(5), comment: z.string().nullable(), ratedAt: Timestamp }).nullable(),
    /** Snoozed: out of the queues until this time and/or until the customer replies, whichever is first. */
    snooze: z.object({ until: Timestamp.nullable(), untilReply: z.boolean() }).nullable(),
    /** Merged into this conversation: this one is closed and its messages are there. */
    mergedIntoId: Id.nullable(),
    /** Archived by retention (done long ago): left out of lists unless asked for (`archived=true`). */
    archivedAt: Timestamp.optional(),
  })
  .meta({ id: 'Conversation' });
export type Conversation = z.infer<typeof Conversation>;

/**
 * A row of the conversation list: the conversation plus what a queue row shows without opening it
 * (the last message the customer could see, and how many messages the calling agent has not read).
 */
export const ConversationListItem = Conversation.extend({
  lastMessagePreview: z
    .string()
    .nullable()
    .meta({ description: 'The last public message as plain text, at most 140 characters; null before any message' }),
  lastMessageAuthorKind: orNull(AuthorKind),
  lastMessageAt: Timestamp.nullable(),
  unreadCount: z
    .number()
    .int()
    .nullable()
    .meta({ description: "Messages after the calling agent's read cursor (not their own); null for API keys" }),
}).meta({ id: 'ConversationListItem' });
export type ConversationListItem = z.infer<typeof ConversationListItem>;

export const CONVERSATION_SORTS = ['created_at', 'updated_at', 'last_activity_at', 'priority', 'waiting_since'] as const;

export const ConversationListQuery = z.strictObject({
  status: Id.optional().meta({ description: 'Status id' }),
  statusCategory: StatusCategory.optional(),
  priority: Priority.optional(),
  assignee: z
    .union([Id, z.literal('none'), z.literal('me'), z.literal('me_or_unassigned')])
    .optional()
    .meta({
      description:
        'User id, `me`, `none`, or `me_or_unassigned`: mine plus unassigned ones a person answers (not the bot), what an agent must act on',
    }),
  team: z.union([Id, z.literal('none')]).optional(),
  inbox: Id.optional(),
  contact: Id.optional(),
  company: Id.optional().meta({ description: 'Conversations of the contacts of this company' }),
  archived: z.enum(['true', 'false', 'all']).default('false').meta({
    description: 'Archived conversations (closed long ago, by retention) are left out unless `true` (only them) or `all`',
  }),
  tag: TagName.optional(),
  customField: z
    .string()
    .max(300)
    .regex(/^[a-z][a-z0-9_]{0,62}:.*$/s, 'use key:value')
    .optional()
    .meta({ description: 'Custom field filter `key:value` (value as text, `true`/`false`, or a number)' }),
  q: z.string().trim().min(1).max(200).optional().meta({ description: 'Text in subject, messages or contact' }),
  snoozed: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: '`false`: leave snoozed conversations out (what queues show); `true`: only snoozed ones' }),
  sort: z.enum(CONVERSATION_SORTS).default('last_activity_at'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: Limit,
  cursor: Cursor,
});
export type ConversationListQuery = z.infer<typeof ConversationListQuery>;

export const StatusChange = z
  .object({
    id: Id,
    fromStatusId: Id.nullable(),
    toStatusId: Id,
    actor: z.string().meta({ description: '`user:<id>`, `api_key:<id>` or `system`' }),
    at: Timestamp,
  })
  .meta({ id: 'StatusChange' });
