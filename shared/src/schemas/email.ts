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

/** An email inbox's outgoing server; the password is write-only (stored encrypted, never returned). */
export const EmailSmtpSettings = z
  .strictObject({
    host: z.string().trim().min(1).max(253),
    port: z.number().int().min(1).max(65535),
    secure: z.boolean().meta({ description: 'TLS from the start (port 465); otherwise STARTTLS when offered' }),
    user: z.string().max(254).optional(),
    password: z.string().max(1000).optional().meta({ description: 'Write-only; leave out to keep the stored one' }),
  })
  .meta({ id: 'EmailSmtpSettings' });

export const EmailInboxSettingsUpdate = z
  .strictObject({
    address: z.email().max(254).optional().meta({ description: 'The address customers write to' }),
    signature: z.string().max(2000).nullable().optional().meta({ description: 'Plain text under every reply' }),
    smtp: EmailSmtpSettings.nullable().optional().meta({ description: "This inbox's own server; null: use SMTP_URL" }),
  })
  .meta({ id: 'EmailInboxSettingsUpdate' });

export const EmailInboxSettings = z
  .object({
    address: z.string().nullable(),
    signature: z.string().nullable(),
    smtp: z
      .object({
        host: z.string(),
        port: z.number().int(),
        secure: z.boolean(),
        user: z.string().nullable(),
        hasPassword: z.boolean(),
      })
      .nullable(),
    usesDefaultSmtp: z.boolean().meta({ description: 'Replies go out through SMTP_URL' }),
  })
  .meta({ id: 'EmailInboxSettings' });
export type EmailInboxSettings = z.infer<typeof EmailInboxSettings>;

export const EmailTestRequest = z
  .strictObject({ to: z.email().max(254).optional().meta({ description: 'Also send a test mail to this address' }) })
  .meta({ id: 'EmailTestRequest' });

export const EmailTestResult = z
  .object({ ok: z.boolean(), sent: z.boolean(), error: z.string().nullable() })
  .meta({ id: 'EmailTestResult' });
