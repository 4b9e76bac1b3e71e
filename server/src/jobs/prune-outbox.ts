import { daysBefore, type JobDefinition } from './job';

/** Dispatched domain events are history once every listener ran; undispatched ones are never touched. */
export const pruneOutbox = (retentionDays: number): JobDefinition => ({
  name: 'prune-outbox',
  schedule: '7 * * * *',
  description: `Deletes domain events dispatched more than ${retentionDays} days ago`,
  async run({ db, now }) {
    const r = await db
      .deleteFrom('outbox')
      .where('dispatched_at', 'is not', null)
      .where('dispatched_at', '<', daysBefore(now, retentionDays))
      .executeTakeFirst();
    return { deleted: Number(r.numDeletedRows) };
  },
});
