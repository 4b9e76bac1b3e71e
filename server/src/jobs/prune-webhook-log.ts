import { daysBefore, type JobDefinition } from './job';

/**
 * Finished webhook deliveries and their attempts are the delivery log admins read; past the retention
 * they go (attempts cascade). Pending deliveries, whatever their age, are left to the delivery worker.
 */
export const pruneWebhookLog = (retentionDays: number): JobDefinition => ({
  name: 'prune-webhook-log',
  schedule: '27 3 * * *',
  description: `Deletes finished webhook deliveries and attempts older than ${retentionDays} days`,
  async run({ db, now }) {
    const cutoff = daysBefore(now, retentionDays);
    const attempts = await db.deleteFrom('webhook_attempts').where('at', '<', cutoff).executeTakeFirst();
    const deliveries = await db
      .deleteFrom('webhook_deliveries')
      .where('status', 'in', ['succeeded', 'failed'])
      .where('updated_at', '<', cutoff)
      .executeTakeFirst();
    return { attempts: Number(attempts.numDeletedRows), deliveries: Number(deliveries.numDeletedRows) };
  },
});
