import { daysBefore, type JobDefinition } from './job';

/** Expired sessions can never sign anyone in again; old failed sign-ins are past every rate-limit window. */
export const pruneSessions = (): JobDefinition => ({
  name: 'prune-sessions',
  schedule: '17 * * * *',
  description: 'Deletes expired sessions and failed sign-in records older than a day',
  async run({ db, now }) {
    const sessions = await db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
    const attempts = await db.deleteFrom('login_attempts').where('at', '<', daysBefore(now, 1)).executeTakeFirst();
    return { sessions: Number(sessions.numDeletedRows), loginAttempts: Number(attempts.numDeletedRows) };
  },
});
