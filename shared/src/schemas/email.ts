import { z } from 'zod';
import { Id, Timestamp } from './common';

export const EmailAddress = z
  .object({ address: z.string(), name: z.string().nullable() })
  .meta({ id: 'EmailAddress', description: 'Shown as text: a name may contain anything a sender typed' });

export const EmailDeliveryStatus = z
  .enum(['received', 'ignored', 'queued', 'sending', 'sent', 'failed', 'skipped'])
  .meta({ id: 'EmailDeliveryStatus' });

/** One mail of a conversation: a customer's mail in, or an agent's reply out with its delivery state. */
export const EmailEntry = z
  .object({
    id: Id,
    messageId: Id.nullable(),
    direction: z.enum(['in', 'out']),
    status: EmailDeliveryStatus,
    statusReason: z.string().nullable().meta({ description: 'The SMTP error of a failed mail, why one was skipped' }),
    attempts: z.number().int(),
    from: EmailAddress,
    to: z.array(EmailAddress),
    cc: z.array(EmailAddress),
    subject: z.string().nullable(),
    sentAt: Timestamp.nullable(),
    createdAt: Timestamp,
    hasFullBody: z.boolean(),
  })
  .meta({ id: 'EmailEntry' });
export type EmailEntry = z.infer<typeof EmailEntry>;

export const EmailThread = z
  .object({
    subject: z.string().nullable(),
    customer: EmailAddress.nullable(),
    inboxAddress: z.string().nullable(),
    cc: z.array(EmailAddress).meta({ description: 'Copied on every reply' }),
    emails: z.array(EmailEntry),
  })
  .meta({ id: 'EmailThread' });
export type EmailThread = z.infer<typeof EmailThread>;

export const EmailFull = z
  .object({
    id: Id,
    html: z.string().nullable().meta({ description: 'Sanitized HTML of the whole mail, quoted history included' }),
    text: z.string().nullable(),
  })
  .meta({ id: 'EmailFull' });

export const EmailCcUpdate = z
  .strictObject({ cc: z.array(z.email().max(254)).max(20) })
  .meta({ id: 'EmailCcUpdate', description: 'The addresses copied on replies (replaces the list)' });
