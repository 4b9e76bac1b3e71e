import { z } from 'zod';
import { AuthorKind } from '../enums';
import { Id, Line, orNull, Timestamp } from './common';

export const AttachmentInput = z
  .strictObject({
    name: Line(255),
    contentType: z
      .string()
      .regex(/^[a-z]+\/[a-z0-9.+-]+$/i, 'must be a MIME type')
      .max(100),
    size: z
      .number()
      .int()
      .min(0)
      .max(50 * 1024 * 1024),
    url: z.url({ protocol: /^https?$/ }).max(2000),
  })
  .meta({ id: 'Attachment' });

/** How long a message body may be, in characters, over every transport. */
export const MAX_MESSAGE_CHARS = 100_000;

export const MessageCreate = z
  .strictObject({
    body: z.string().min(1).max(MAX_MESSAGE_CHARS).meta({ description: 'Rich text (HTML); sanitized on the server' }),
    private: z.boolean().optional().meta({ description: 'Internal note: never shown to the customer' }),
    from: z.enum(['agent', 'contact']).optional().meta({ description: 'Author side; defaults to agent' }),
    clientId: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: "Sender's idempotency id: a retried send with the same id is stored once" }),
    attachments: z.array(AttachmentInput).max(10).optional(),
  })
  .meta({ id: 'MessageCreate' });
export type MessageCreate = z.infer<typeof MessageCreate>;

/** What a bot message carries besides its text: the articles it cited and the buttons it offers. */
export const MessageMeta = z
  .object({
    citations: z.array(z.object({ articleId: Id, title: z.string(), url: z.string() })).optional(),
    actions: z.array(z.enum(['handoff'])).optional(),
    /** Moved here when its conversation was merged into this one. */
    mergedFrom: z.object({ conversationId: Id, number: z.number().int() }).optional(),
  })
  .meta({ id: 'MessageMeta' });
export type MessageMeta = z.infer<typeof MessageMeta>;

export const Message = z
  .object({
    id: Id,
    conversationId: Id,
    seq: z.number().int(),
    authorKind: AuthorKind,
    authorId: Id.nullable(),
    private: z.boolean(),
    bodyHtml: z.string(),
    bodyText: z.string(),
    clientId: z.string().nullable(),
    attachments: z.array(AttachmentInput),
    createdAt: Timestamp,
    editedAt: Timestamp.nullable(),
    deletedAt: Timestamp.nullable(),
    meta: orNull(MessageMeta).optional(),
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof Message>;

export const MessageListQuery = z.strictObject({
  afterSeq: z.coerce.number().int().min(0).optional().meta({ description: 'Only messages after this seq' }),
  beforeSeq: z.coerce.number().int().min(1).optional().meta({ description: 'Page back: messages before this seq' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  includePrivate: z.enum(['true', 'false']).default('true'),
});
