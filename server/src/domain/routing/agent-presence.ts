import type { PresenceStatus } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { PresenceDirectory } from '../presence-directory';
import { movePresenceRollups } from '../reports/presence-rollups';

/** Routing's cached copy of an agent's presence; true when it changed. */
export async function storeAgentPresence(
  trx: Db,
  props: { userId: string; status: PresenceStatus; now: Date },
): Promise<boolean> {
  const { userId, status, now } = props;
  const user = await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
  if (!user) return false;
  const row = await trx
    .insertInto('agent_routing_state')
    .values({ user_id: userId, presence: status, presence_changed_at: now })
    .onConflict((oc) =>
      oc
        .column('user_id')
        .doUpdateSet({ presence: status, presence_changed_at: now })
        .where('agent_routing_state.presence', '!=', status),
    )
    .returning('user_id')
    .executeTakeFirst();
  if (row) await logPresenceChange(trx, { userId, status, now });
  return !!row;
}

/**
 * The presence history reports sum (time online/away/offline): the open interval ends where the new one
 * starts. A clock that went back (a test moving it, another process slightly behind) never makes an
 * interval end before it began, nor the next one begin before the last ended.
 */
async function logPresenceChange(trx: Db, props: { userId: string; status: PresenceStatus; now: Date }): Promise<void> {
  const { userId, status, now } = props;
  const closed = await trx
    .updateTable('agent_presence_log')
    .set({ ended_at: sql<Date>`greatest(started_at, ${now}::timestamptz)` })
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .returning(['user_id', 'status', 'started_at', 'ended_at'])
    .executeTakeFirst();
  // Reports sum closed intervals per hour and day (reports/presence-rollups.ts).
  if (closed?.ended_at) await movePresenceRollups(trx, [{ ...closed, ended_at: closed.ended_at }], 1);
  const startedAt = closed?.ended_at ?? now;
  await trx.insertInto('agent_presence_log').values({ user_id: userId, status, started_at: startedAt }).execute();
}

/**
 * Corrects the cached presence from live sockets (a process that died never said its agents left).
 * Through storeAgentPresence, so the history's open interval is closed at the correction too.
 */
export async function reconcileAgentPresence(db: Db, props: { source: PresenceDirectory; now: () => Date }): Promise<void> {
  const live = await props.source.all();
  const rows = await db.selectFrom('agent_routing_state').select(['user_id', 'presence']).execute();
  const store = (userId: string, status: PresenceStatus) =>
    db.transaction().execute((trx) => storeAgentPresence(trx, { userId, status, now: props.now() }));
  for (const r of rows) {
    const status = live.get(r.user_id)?.status ?? 'offline';
    if (status !== r.presence) await store(r.user_id, status);
  }
  for (const [userId, { status }] of live) {
    if (!rows.some((r) => r.user_id === userId)) await store(userId, status);
  }
}
