import { z } from 'zod';
import { Id, Timestamp } from './common';
import { Contact } from './contacts';
import { Conversation } from './conversations';

/**
 * An inbox's lifecycle settings: what a customer message does to a finished conversation. Stored in the
 * inbox's settings under `lifecycle`; every field optional, defaults applied where they are read.
 */
export const InboxLifecycle = z
  .strictObject({
    reopenWindowDays: z.number().int().min(1).max(365).nullable().optional().meta({
      description:
        'A customer message within this many days of resolution reopens the conversation; later it starts a new conversation linked to the old one. null (default): always reopen',
    }),
    autoResolveAfterDays: z.number().int().min(1).max(365).nullable().optional().meta({
      description: 'Pending (waiting on the customer) conversations resolve after this many idle days; null (default): never',
    }),
    reminderAfterDays: z.number().int().min(1).max(365).nullable().optional().meta({
      description:
        'Before auto-resolving, remind the customer after this many idle days; the resolution then waits its days from the reminder',
    }),
    reminderText: z.string().trim().min(1).max(1000).optional().meta({ description: 'The reminder sent to the customer' }),
  })
  .meta({ id: 'InboxLifecycle' });
export type InboxLifecycle = z.infer<typeof InboxLifecycle>;

export const CONVERSATION_LINK_KINDS = ['follow_up_of', 'followed_up_by', 'related', 'merged_into', 'merged_from'] as const;

export const ConversationLink = z
  .object({
    conversationId: Id,
    number: z.number().int(),
    subject: z.string().nullable(),
    kind: z.enum(CONVERSATION_LINK_KINDS),
    createdAt: Timestamp,
  })
  .meta({ id: 'ConversationLink' });
export type ConversationLink = z.infer<typeof ConversationLink>;

export const SnoozeInput = z
  .strictObject({
    until: Timestamp.optional().meta({ description: 'Wake up at this time' }),
    untilReply: z.boolean().optional().meta({ description: 'Wake up when the customer replies' }),
  })
  .refine((v) => v.until !== undefined || v.untilReply === true, {
    message: 'give `until`, `untilReply: true`, or both (whichever comes first wakes it)',
  })
  .meta({ id: 'SnoozeInput' });
export type SnoozeInput = z.infer<typeof SnoozeInput>;

export const MergeConversationInput = z
  .strictObject({
    secondaryId: Id.meta({ description: 'The duplicate: its messages move here, then it is closed and points here' }),
    confirmDifferentContact: z.boolean().optional().meta({
      description:
        'Required when the two conversations belong to different contacts; the moved messages then become internal notes',
    }),
  })
  .meta({ id: 'MergeConversationInput' });

export const MergeConversationResult = z
  .object({ primary: Conversation, secondary: Conversation, movedMessages: z.number().int() })
  .meta({ id: 'MergeConversationResult' });

export const LinkConversationInput = z
  .strictObject({ linkedId: Id.meta({ description: 'The related conversation' }) })
  .meta({ id: 'LinkConversationInput' });

export const MergeContactInput = z
  .strictObject({
    duplicateId: Id.meta({ description: 'The duplicate contact: everything moves to this one, then it is deleted' }),
  })
  .meta({ id: 'MergeContactInput' });

export const MergeContactResult = z
  .object({
    contact: Contact,
    movedConversations: z.number().int(),
    keptAside: z.record(z.string(), z.string()).meta({
      description: "The duplicate's identity values that differed from the survivor's, kept in these attributes",
    }),
  })
  .meta({ id: 'MergeContactResult' });
