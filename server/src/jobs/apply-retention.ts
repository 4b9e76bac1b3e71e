import type { AttachmentRow } from '../../../db/types';
import { forgetPastReaders, utcDay } from '../domain/kb/article-views';
import { redactConversations } from '../domain/privacy/redact-conversations';
import { getRetentionPolicy, listInboxRetention } from '../domain/privacy/retention-settings';
import { movePresenceRollups } from '../domain/reports/presence-rollups';
import { deleteUpload, uploadIdOf } from '../domain/widget/uploads';
import type { UploadStore } from '../storage/uploads/upload-store';
import { daysBefore, type JobDefinition } from './job';

/** Rows per transaction, and the most batches one run takes (the next run carries on). */
const BATCH = 200;
const MAX_BATCHES = 50;

/**
 * Presence history (the reports' time online/away) lives as long as the audit log when the admins
 * limit that; otherwise 400 days, enough for a year's report beside the year before it.
 */
export const PRESENCE_HISTORY_DEFAULT_DAYS = 400;

const attachmentsOf = (v: unknown): AttachmentRow[] => (typeof v === 'string' ? JSON.parse(v) : (v ?? [])) as AttachmentRow[];
const fileIds = (rows: { attachments: unknown }[]): string[] =>
  rows.flatMap((r) => attachmentsOf(r.attachments).flatMap((a) => uploadIdOf(a.url) ?? []));

/**
 * Applies the admins' retention policy (settings/privacy), inbox by inbox with each inbox's overrides:
 * resolved and closed conversations past the archive age are archived (out of the lists, still
 * viewable); past their age they are anonymized (content removed, kept for reports) or deleted; attachment files past theirs
 * are deleted from the store and from their messages; old audit entries go, and presence history of the
 * same age (or PRESENCE_HISTORY_DEFAULT_DAYS when the audit log is kept forever). Batched, and idempotent: a
 * conversation once anonymized is marked and not visited again, and a re-run finds nothing left to do.
 */
export const applyRetention = (uploads: UploadStore): JobDefinition => ({
  name: 'apply-retention',
  schedule: '17 4 * * *',
  description:
    'Applies the retention policy (Settings → Privacy, with per-inbox overrides): archiving, old conversations, attachments, audit log, presence history',
  async run({ db, now }) {
    const policy = await getRetentionPolicy(db);
    const result = {
      conversationsArchived: 0,
      conversationsAnonymized: 0,
      conversationsDeleted: 0,
      attachmentsDeleted: 0,
      auditEntriesDeleted: 0,
      presenceIntervalsDeleted: 0,
      articleReaderKeysDeleted: 0,
    };

    // Each inbox follows the workspace policy with its own overrides laid over it.
    for (const { inboxId, effective } of await listInboxRetention(db)) {
      if (effective.archiveAfterDays !== null) {
        const cutoff = daysBefore(now, effective.archiveAfterDays);
        for (let i = 0; i < MAX_BATCHES; i++) {
          const r = await db
            .updateTable('conversations')
            .set({ archived_at: now })
            .where('id', 'in', (eb) =>
              eb
                .selectFrom('conversations')
                .select('id')
                .where('inbox_id', '=', inboxId)
                .where('archived_at', 'is', null)
                .where('status_category', 'in', ['resolved', 'closed'])
                .where('last_activity_at', '<', cutoff)
                .limit(BATCH),
            )
            .executeTakeFirst();
          const n = Number(r.numUpdatedRows);
          result.conversationsArchived += n;
          if (n < BATCH) break;
        }
      }

      const { afterDays, action } = effective.conversations;
      if (afterDays !== null) {
        const cutoff = daysBefore(now, afterDays);
        for (let i = 0; i < MAX_BATCHES; i++) {
          let q = db
            .selectFrom('conversations')
            .select('id')
            .where('inbox_id', '=', inboxId)
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

      if (effective.attachmentsAfterDays !== null) {
        const cutoff = daysBefore(now, effective.attachmentsAfterDays);
        for (let i = 0; i < MAX_BATCHES; i++) {
          const rows = await db
            .selectFrom('messages')
            .select(['id', 'attachments'])
            .where('attachments', '!=', '[]' as never)
            .where('created_at', '<', cutoff)
            .where('conversation_id', 'in', (eb) => eb.selectFrom('conversations').select('id').where('inbox_id', '=', inboxId))
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

    // Only intervals that ended before the cutoff: an agent's open interval is their present state.
    const presenceCutoff = daysBefore(now, policy.auditLogAfterDays ?? PRESENCE_HISTORY_DEFAULT_DAYS);
    for (let i = 0; i < MAX_BATCHES; i++) {
      // One transaction: what reports sum per hour and day goes with them (reports/presence-rollups.ts).
      const n = await db.transaction().execute(async (trx) => {
        const r = await trx
          .deleteFrom('agent_presence_log')
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('agent_presence_log')
              .select('id')
              .where('ended_at', '<', presenceCutoff)
              .limit(BATCH * 10),
          )
          .returning(['user_id', 'status', 'started_at', 'ended_at'])
          .execute();
        await movePresenceRollups(
          trx,
          r.flatMap((x) => (x.ended_at ? [{ ...x, ended_at: x.ended_at }] : [])),
          -1,
        );
        return r.length;
      });
      result.presenceIntervalsDeleted += n;
      if (n < BATCH * 10) break;
    }
    // Help-center readers' hashed keys serve one day's counting only (on a day without views nobody else drops them).
    result.articleReaderKeysDeleted = await forgetPastReaders(db, { today: utcDay(now) });
    return result;
  },
});
