import { getRetentionPolicy } from '../domain/privacy/retention-settings';
import { deleteUpload, isUploadId, readUploadMeta } from '../domain/widget/uploads';
import type { UploadStore } from '../storage/uploads/upload-store';
import type { JobDefinition } from './job';

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
    let deleted = 0;
    let kept = 0;
    for (const [key, modified] of objects) {
      const id = key.endsWith('.json') ? key.slice(0, -5) : key;
      if (!isUploadId(id) || (key === id && objects.has(`${id}.json`))) continue;
      const meta = key === id ? undefined : await readUploadMeta(uploads, id);
      const created = meta?.createdAt ? new Date(meta.createdAt).getTime() : modified.getTime();
      if (meta?.conversationId || created >= cutoff) {
        kept++;
        continue;
      }
      await deleteUpload(uploads, id);
      deleted++;
    }
    return { deleted, kept };
  },
});
