import type { AttachmentRow } from '../../../db/types';
import { redactConversations } from '../domain/privacy/redact-conversations';
import { getRetentionPolicy } from '../domain/privacy/retention-settings';
import { deleteUpload, uploadIdOf } from '../domain/widget/uploads';
import type { UploadStore } from '../storage/uploads/upload-store';
import { daysBefore, type JobDefinition } from './job';

/** Rows per transaction, and the most batches one run takes (the next run carries on). */
const BATCH = 200;
const MAX_BATCHES = 50;

const attachmentsOf = (v: unknown): AttachmentRow[] => (typeof v === 'string' ? JSON.parse(v) : (v ?? [])) as AttachmentRow[];
const fileIds = (rows: { attachments: unknown }[]): string[] =>
  rows.flatMap((r) => attachmentsOf(r.attachments).flatMap((a) => uploadIdOf(a.url) ?? []));

/**
 * Applies the admins' retention policy (settings/privacy): resolved and closed conversations past
 * their age are anonymized (content removed, kept for reports) or deleted; attachment files past theirs
 * are deleted from the store and from their messages; old audit entries go. Batched, and idempotent: a
 * conversation once anonymized is marked and not visited again, and a re-run finds nothing left to do.
 */
export const applyRetention = (uploads: UploadStore): JobDefinition => ({
  name: 'apply-retention',
  schedule: '17 4 * * *',
  description: 'Applies the retention policy (Settings → Privacy): old conversations, attachments, audit log',
  async run({ db, now }) {
    const policy = await getRetentionPolicy(db);
    const result = { conversationsAnonymized: 0, conversationsDeleted: 0, attachmentsDeleted: 0, auditEntriesDeleted: 0 };

    const { afterDays, action } = policy.conversations;
    if (afterDays !== null) {
      const cutoff = daysBefore(now, afterDays);
      for (let i = 0; i < MAX_BATCHES; i++) {
        let q = db
          .selectFrom('conversations')
          .select('id')
          .where('status_category', 'in', ['resolved', 'closed'])
          .where('last_activity_at', '<', cutoff)
          .orderBy('last_activity_at')
          .limit(BATCH);
        if (action === 'anonymize') q = q.where('redacted_at', 'is', null);
        const ids = (await q.execute()).map((r) => r.id);
        if (!ids.length) break;
        const files = await db.transaction().execute(async (trx) => {
          if (action === 'anonymize') return (await redactConversations(trx, { ids, now })).uploadIds;
          const withFiles = await trx
            .selectFrom('messages')
            .select('attachments')
            .where('conversation_id', 'in', ids)
            .where('attachments', '!=', '[]' as never)
            .execute();
          await trx.deleteFrom('conversations').where('id', 'in', ids).execute();
          return fileIds(withFiles);
        });
        for (const id of files) await deleteUpload(uploads, id);
        result.attachmentsDeleted += files.length;
        if (action === 'anonymize') result.conversationsAnonymized += ids.length;
        else result.conversationsDeleted += ids.length;
      }
    }

    if (policy.attachmentsAfterDays !== null) {
      const cutoff = daysBefore(now, policy.attachmentsAfterDays);
      for (let i = 0; i < MAX_BATCHES; i++) {
        const rows = await db
          .selectFrom('messages')
          .select(['id', 'attachments'])
          .where('attachments', '!=', '[]' as never)
          .where('created_at', '<', cutoff)
          .limit(BATCH)
          .execute();
        if (!rows.length) break;
        await db
          .updateTable('messages')
          .set({ attachments: '[]' })
          .where(
            'id',
            'in',
            rows.map((r) => r.id),
          )
          .execute();
        const files = fileIds(rows);
        for (const id of files) await deleteUpload(uploads, id);
        result.attachmentsDeleted += files.length;
      }
    }

    if (policy.auditLogAfterDays !== null) {
      const cutoff = daysBefore(now, policy.auditLogAfterDays);
      for (let i = 0; i < MAX_BATCHES; i++) {
        const r = await db
          .deleteFrom('audit_log')
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('audit_log')
              .select('id')
              .where('at', '<', cutoff)
              .limit(BATCH * 10),
          )
          .executeTakeFirst();
        const n = Number(r.numDeletedRows);
        result.auditEntriesDeleted += n;
        if (n < BATCH * 10) break;
      }
    }
    return result;
  },
});
