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
    /**
     * Resolved or closed conversations whose last activity is older than this many days are archived:
     * out of the lists and default searches (`archived=true` finds them), still viewable. Absent: never.
     */
    archiveAfterDays: days.optional(),
  })
  .strict()
  .meta({ id: 'RetentionPolicy' });
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

/**
 * One inbox's retention, overriding the workspace policy field by field: a field left out follows the
 * workspace; null in it means keep forever in this inbox.
 */
export const InboxRetention = z
  .object({
    archiveAfterDays: days.optional(),
    conversations: z
      .object({ afterDays: days, action: z.enum(['anonymize', 'delete']) })
      .strict()
      .optional(),
    attachmentsAfterDays: days.optional(),
  })
  .strict()
  .meta({ id: 'InboxRetention' });
export type InboxRetention = z.infer<typeof InboxRetention>;
export const InboxRetentionView = z
  .object({
    inboxId: z.string(),
    overrides: InboxRetention,
    effective: z.object({
      archiveAfterDays: days,
      conversations: z.object({ afterDays: days, action: z.enum(['anonymize', 'delete']) }),
      attachmentsAfterDays: days,
    }),
  })
  .meta({ id: 'InboxRetentionView' });
export type InboxRetentionView = z.infer<typeof InboxRetentionView>;

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
    /** Knowledge-gap questions that were theirs: reworded from another asker, or deleted when they were the only one. */
    knowledgeGaps: z.number().int().optional(),
    /** Files they uploaded and never sent (deleted at once rather than left to the orphan job). */
    unsentUploads: z.number().int().optional(),
    /** Agents' internal notes about the contact, deleted. */
    contactNotes: z.number().int().optional(),
  })
  .meta({ id: 'ErasureReport' });
export type ErasureReport = z.infer<typeof ErasureReport>;
