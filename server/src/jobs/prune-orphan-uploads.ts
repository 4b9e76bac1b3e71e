import { sql } from 'kysely';
import { getRetentionPolicy } from '../domain/privacy/retention-settings';
import { deleteUpload, isUploadId, readUploadMeta } from '../domain/widget/uploads';
import type { Db } from '../storage/db';
import type { UploadStore } from '../storage/uploads/upload-store';
import type { JobDefinition } from './job';

/**
 * The ids among these that a message, mail or macro still points at. Uploads bound to their conversation
 * say so in their metadata; some are not bound (a mail's attachments, the first message of a conversation
 * made through the API, a macro's files, which belong to no conversation), so those are asked before
 * anything is deleted.
 */
async function referenced(db: Db, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 50) {
    const chunk = ids.slice(i, i + 50);
    const like = (column: string) =>
      sql<boolean>`(${sql.join(
        chunk.map((id) => sql`${sql.ref(column)}::text LIKE ${`%/widget-uploads/${id}/%`}`),
        sql` OR `,
      )})`;
    const rows = await db
      .selectFrom('messages')
      .select(['attachments', 'body_html'])
      .where((eb) => eb.or([like('attachments'), like('body_html')]))
      .execute();
    const mails = await db.selectFrom('email_messages').select('full_html').where(like('full_html')).execute();
    const macros = await db.selectFrom('macros').select('attachments').where(like('attachments')).execute();
    const text = JSON.stringify([rows, mails, macros]);
    for (const id of chunk) if (text.includes(`/widget-uploads/${id}/`)) found.add(id);
  }
  return found;
}

/**
 * Uploads never attached to a message (a visitor picked a file and left, an agent pasted an image and
 * discarded the draft) are deleted from the store after the policy's hours, with their metadata. A
 * file whose metadata is missing (a crash between the two writes) goes once it is as old.
 */
export const pruneOrphanUploads = (uploads: UploadStore): JobDefinition => ({
  name: 'prune-orphan-uploads',
  schedule: '47 * * * *',
  description: 'Deletes uploads never attached to a message after the hours set in Settings → Privacy',
  async run({ db, now }) {
    const { orphanUploadsAfterHours } = await getRetentionPolicy(db);
    const cutoff = now.getTime() - orphanUploadsAfterHours * 3_600_000;
    const objects = new Map<string, Date>();
    for await (const o of uploads.list()) objects.set(o.key, o.lastModified);
    let kept = 0;
    const candidates: string[] = [];
    for (const [key, modified] of objects) {
      const id = key.endsWith('.json') ? key.slice(0, -5) : key;
      if (!isUploadId(id) || (key === id && objects.has(`${id}.json`))) continue;
      const meta = key === id ? undefined : await readUploadMeta(uploads, id);
      const created = meta?.createdAt ? new Date(meta.createdAt).getTime() : modified.getTime();
      if (meta?.conversationId || created >= cutoff) kept++;
      else candidates.push(id);
    }
    const inUse = await referenced(db, candidates);
    let deleted = 0;
    for (const id of candidates) {
      if (inUse.has(id)) {
        kept++;
        continue;
      }
      await deleteUpload(uploads, id);
      deleted++;
    }
    return { deleted, kept };
  },
});
