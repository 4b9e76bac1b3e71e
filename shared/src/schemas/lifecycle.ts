import { z } from 'zod';
import { Id, Timestamp } from './common';

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
  })
  .meta({ id: 'InboxLifecycle' });
export type InboxLifecycle = z.infer<typeof InboxLifecycle>;

export const CONVERSATION_LINK_KINDS = ['follow_up_of', 'followed_up_by', 'related'] as const;

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
