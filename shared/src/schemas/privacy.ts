import { z } from 'zod';

const days = z.number().int().min(1).max(36_500).nullable();

/** Retention policies admins set (null: keep forever). Applied by the `apply-retention` job. */
export const RetentionPolicy = z
  .object({
    conversations: z
      .object({
        /** Resolved or closed conversations whose last activity is older than this many days. */
        afterDays: days,
        /** `anonymize` keeps the conversation for reports and removes its content; `delete` removes it. */
        action: z.enum(['anonymize', 'delete']),
      })
      .strict(),
    /** Attachment files older than this many days are deleted (the message keeps its text). */
    attachmentsAfterDays: days,
    /** Audit log entries older than this many days. */
    auditLogAfterDays: days,
    /** Uploads never attached to a message after this many hours. */
    orphanUploadsAfterHours: z.number().int().min(1).max(8760),
  })
  .strict()
  .meta({ id: 'RetentionPolicy' });
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

export const DEFAULT_RETENTION: RetentionPolicy = {
  conversations: { afterDays: null, action: 'anonymize' },
  attachmentsAfterDays: null,
  auditLogAfterDays: null,
  orphanUploadsAfterHours: 24,
};

/** What an erasure removed, counted (the audit entry keeps these numbers, not the person's data). */
export const ErasureReport = z
  .object({
    contactId: z.string(),
    conversations: z.number().int(),
    messages: z.number().int(),
    attachments: z.number().int(),
    emails: z.number().int(),
    identities: z.number().int(),
    events: z.number().int(),
    webhookDeliveries: z.number().int(),
    auditEntries: z.number().int(),
  })
  .meta({ id: 'ErasureReport' });
export type ErasureReport = z.infer<typeof ErasureReport>;
