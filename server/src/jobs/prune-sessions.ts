import { daysBefore, type JobDefinition } from './job';

/**
 * Expired sessions can never sign anyone in again; old failed sign-ins are past every rate-limit window;
 * an expired second sign-in step or a used or expired password link is dead too.
 */
export const pruneSessions = (): JobDefinition => ({
  name: 'prune-sessions',
  schedule: '17 * * * *',
  description: 'Deletes expired sessions and sign-in steps, dead password links, and failed sign-in records older than a day',
  async run({ db, now }) {
    const sessions = await db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
    const attempts = await db.deleteFrom('login_attempts').where('at', '<', daysBefore(now, 1)).executeTakeFirst();
    const challenges = await db.deleteFrom('login_challenges').where('expires_at', '<', now).executeTakeFirst();
    // A link not yet minted (its mail still queued) has no expiry and stays.
    const resets = await db
      .deleteFrom('password_resets')
      .where((eb) => eb.or([eb('used_at', 'is not', null), eb('expires_at', '<', now)]))
      .executeTakeFirst();
    return {
      sessions: Number(sessions.numDeletedRows),
      loginAttempts: Number(attempts.numDeletedRows),
      signInSteps: Number(challenges.numDeletedRows),
      passwordLinks: Number(resets.numDeletedRows),
    };
  },
});
