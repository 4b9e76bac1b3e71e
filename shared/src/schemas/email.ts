import { z } from 'zod';
import { Id, orNull, Timestamp } from './common';

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
    customer: orNull(EmailAddress),
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

/** A mailbox at the team's provider, polled (and watched with IDLE) for new mail; the password is write-only. */
export const EmailImapSettings = z
  .strictObject({
    host: z.string().trim().min(1).max(253),
    port: z.number().int().min(1).max(65535),
    secure: z.boolean().meta({ description: 'TLS from the start (port 993); otherwise STARTTLS when offered' }),
    user: z.string().min(1).max(254),
    password: z.string().max(1000).optional().meta({ description: 'Write-only; leave out to keep the stored one' }),
    mailbox: z.string().trim().min(1).max(200).default('INBOX'),
    moveTo: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .nullable()
      .optional()
      .meta({ description: 'Move each imported mail to this folder (else it is only marked seen)' }),
  })
  .meta({ id: 'EmailImapSettings' });

/** DKIM signing of outgoing mail: without a private key one is generated and its DNS record shown. */
export const EmailDkimSettings = z
  .strictObject({
    domain: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'a domain name')
      .max(253),
    selector: z
      .string()
      .trim()
      .regex(/^[a-zA-Z0-9_-]+$/, 'letters, digits, - and _')
      .max(63),
    privateKey: z
      .string()
      .max(10_000)
      .optional()
      .meta({ description: 'PEM; write-only, stored encrypted. Leave out to keep the stored key or generate one' }),
  })
  .meta({ id: 'EmailDkimSettings' });

export const EmailInboxSettingsUpdate = z
  .strictObject({
    address: z.email().max(254).optional().meta({ description: 'The address customers write to' }),
    signature: z.string().max(2000).nullable().optional().meta({ description: 'Plain text under every reply' }),
    smtp: EmailSmtpSettings.nullable().optional().meta({ description: "This inbox's own server; null: use SMTP_URL" }),
    imap: EmailImapSettings.nullable()
      .optional()
      .meta({ description: 'Fetch mail from this mailbox; null: mail arrives by SMTP only' }),
    dkim: EmailDkimSettings.nullable().optional().meta({ description: 'Sign outgoing mail; null: unsigned' }),
    transcriptOnResolve: z.boolean().optional().meta({ description: 'Mail chat customers a transcript when resolved' }),
    csatByEmail: z
      .boolean()
      .optional()
      .meta({ description: 'Mail the satisfaction survey when a conversation is resolved while the customer is away' }),
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
    imap: z
      .object({
        host: z.string(),
        port: z.number().int(),
        secure: z.boolean(),
        user: z.string(),
        hasPassword: z.boolean(),
        mailbox: z.string(),
        moveTo: z.string().nullable(),
        lastError: z.string().nullable(),
        lastSyncedAt: z.string().nullable(),
      })
      .nullable(),
    dkim: z
      .object({
        domain: z.string(),
        selector: z.string(),
        dnsName: z.string().meta({ description: 'Where the public key is published (a TXT record)' }),
        dnsValue: z.string().meta({ description: 'The TXT record value to publish' }),
      })
      .nullable(),
    transcriptOnResolve: z.boolean(),
    csatByEmail: z.boolean(),
  })
  .meta({ id: 'EmailInboxSettings' });
export type EmailInboxSettings = z.infer<typeof EmailInboxSettings>;

export const EmailTestRequest = z
  .strictObject({ to: z.email().max(254).optional().meta({ description: 'Also send a test mail to this address' }) })
  .meta({ id: 'EmailTestRequest' });

export const EmailTestResult = z
  .object({ ok: z.boolean(), sent: z.boolean(), error: z.string().nullable() })
  .meta({ id: 'EmailTestResult' });

export const EmailAgentSignature = z
  .strictObject({
    signature: z
      .string()
      .max(2000)
      .nullable()
      .meta({ description: "Plain text under this agent's email replies (instead of the inbox's); null: none" }),
  })
  .meta({ id: 'EmailAgentSignature' });

export const EmailTranscriptRequest = z
  .strictObject({ email: z.email().max(254).optional().meta({ description: "Where to send it; else the contact's address" }) })
  .meta({ id: 'EmailTranscriptRequest' });

/** Delivery state of one outgoing mail, pushed to the room's agents as it changes (`email:status`). */
export const EmailStatusEvent = z.object({
  conversationId: z.string(),
  emailId: z.string(),
  messageId: z.string().nullable(),
  status: EmailDeliveryStatus,
  reason: z.string().nullable(),
  attempts: z.number().int(),
});
export type EmailStatusEvent = z.infer<typeof EmailStatusEvent>;
