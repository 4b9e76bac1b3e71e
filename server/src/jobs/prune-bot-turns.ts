import { daysBefore, type JobDefinition } from './job';

/** A finished bot turn is only a record of work done; the answer itself is a message in the room. */
export const pruneBotTurns = (retentionDays: number): JobDefinition => ({
  name: 'prune-bot-turns',
  schedule: '47 * * * *',
  description: `Deletes finished bot turns older than ${retentionDays} days`,
  async run({ db, now }) {
    const r = await db
      .deleteFrom('bot_turns')
      .where('status', 'in', ['done', 'failed'])
      .where('created_at', '<', daysBefore(now, retentionDays))
      .executeTakeFirst();
    return { deleted: Number(r.numDeletedRows) };
  },
});
