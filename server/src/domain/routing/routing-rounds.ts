import { sql } from 'kysely';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { SYSTEM } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { applyConversationUpdate } from '../conversations/update-conversation';
import { anySeatFree } from './agents';
import { assignConversation } from './assign-conversation';
import { classifyConversation, loadRoutingSnapshot } from './classify-conversation';
import type { Clock } from './clock';
import { takeRoutingLock } from './routing-lock';
import { getRoutingSettings } from './routing-settings';

// The steps of a routing round (workers/routing-rounds.ts runs them). Each commits on its own and takes
// the routing lock, so any number of processes may run rounds side by side.

/** How many new conversations one routing transaction classifies (under one lock, one snapshot). */
const NEW_PER_TRANSACTION = 25;

/**
 * Routes conversations recorded as new, up to NEW_PER_TRANSACTION per transaction, claimed with SKIP
 * LOCKED. The rules, calendars and SLA policies are read once per transaction (they are settings: a
 * change lands in the next one), not once per conversation: under a burst of new tickets routing was
 * about a third of all statements.
 */
export async function routeNew(db: Db, props: { clock: Clock }): Promise<number> {
  let n = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      await takeRoutingLock(trx);
      const next = await trx
        .selectFrom('conversation_routing')
        .select('conversation_id')
        .where('state', '=', 'new')
        .orderBy('updated_at')
        .limit(NEW_PER_TRANSACTION)
        .forUpdate()
        .skipLocked()
        .execute();
      if (!next.length) return 0;
      const settings = await loadRoutingSnapshot(trx);
      for (const r of next)
        await classifyConversation(trx, { conversationId: r.conversation_id, now: props.clock.now(), settings });
      return next.length;
    });
    n += done;
    // A short batch took all there was: no empty transaction just to find nothing.
    if (done < NEW_PER_TRANSACTION) return n;
  }
}

/** Offers queued conversations, by priority then waiting time, to whoever is free now. */
export async function backfill(db: Db, props: { clock: Clock }): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await takeRoutingLock(trx);
    // With every seat taken, trying each queued conversation (several queries apiece) finds nobody.
    const { defaultCapacity } = await getRoutingSettings(trx);
    if (!(await anySeatFree(trx, defaultCapacity))) return 0;
    const queued = await trx
      .selectFrom('conversation_routing as r')
      .innerJoin('conversations as c', 'c.id', 'r.conversation_id')
      .select('r.conversation_id')
      .where('r.state', '=', 'queued')
      .orderBy('c.priority_rank', 'desc')
      .orderBy('r.queued_at')
      .orderBy('r.conversation_id')
      .limit(1000)
      .execute();
    let assigned = 0;
    for (const q of queued) {
      const result = await assignConversation(trx, { conversationId: q.conversation_id, now: props.clock.now() });
      if (result.kind !== 'assigned') continue;
      assigned++;
      if (!(await anySeatFree(trx, defaultCapacity))) break;
    }
    return assigned;
  });
}

/** Queued past the team's overflow time: widen to the overflow team (and lower skill levels if set). */
export async function overflow(db: Db, props: { clock: Clock }): Promise<number> {
  const now = props.clock.now();
  return db.transaction().execute(async (trx) => {
    await takeRoutingLock(trx);
    const due = await trx
      .selectFrom('conversation_routing as r')
      .innerJoin('teams as t', 't.id', 'r.team_id')
      .select([
        'r.conversation_id',
        'r.team_id',
        'r.queued_at',
        't.overflow_after_minutes',
        't.overflow_team_id',
        't.overflow_relax_skills',
      ])
      .where('r.state', '=', 'queued')
      .where('r.overflowed_at', 'is', null)
      .where('t.overflow_after_minutes', 'is not', null)
      .execute();
    let n = 0;
    for (const d of due) {
      if (!d.queued_at || d.queued_at.getTime() + (d.overflow_after_minutes ?? 0) * 60_000 > now.getTime()) continue;
      await trx
        .updateTable('conversation_routing')
        .set({ overflowed_at: now, updated_at: now })
        .where('conversation_id', '=', d.conversation_id)
        .execute();
      await emit(trx, 'routing.overflowed', {
        conversationId: d.conversation_id,
        fromTeamId: d.team_id,
        toTeamId: d.overflow_team_id,
        relaxedSkills: d.overflow_relax_skills,
      });
      await assignConversation(trx, { conversationId: d.conversation_id, now });
      n++;
    }
    return n;
  });
}

/** Open conversations of agents offline longer than the setting go back to routing. */
export async function rerouteOffline(db: Db, props: { clock: Clock }): Promise<number> {
  const now = props.clock.now();
  const { rerouteOfflineAfterMinutes } = await getRoutingSettings(db);
  const cutoff = new Date(now.getTime() - rerouteOfflineAfterMinutes * 60_000);
  return db.transaction().execute(async (trx) => {
    await takeRoutingLock(trx);
    const rows = await trx
      .selectFrom('conversations as c')
      .innerJoin('agent_routing_state as s', 's.user_id', 'c.assignee_id')
      .select(['c.id', 'c.assignee_id'])
      .where('s.presence', '=', 'offline')
      .where('s.presence_changed_at', '<=', cutoff)
      .where('c.status_category', '=', 'open')
      .orderBy('c.priority_rank', 'desc')
      .orderBy('c.created_at')
      .execute();
    for (const r of rows)
      await unassignAndRoute(trx, { conversationId: r.id, from: r.assignee_id, now, reason: 'agent offline' });
    return rows.length;
  });
}

/** Takes a conversation from its agent and offers it to someone else (offline too long, SLA missed). */
export async function unassignAndRoute(
  trx: Db,
  props: { conversationId: string; from: string | null; now: Date; reason: string },
): Promise<void> {
  const { conversationId, from, now, reason } = props;
  await applyConversationUpdate(trx, { actor: SYSTEM, id: conversationId, update: { assigneeId: null } });
  await trx
    .insertInto('conversation_routing')
    .values({ conversation_id: conversationId, state: 'queued', queued_at: now, updated_at: now })
    .onConflict((oc) =>
      oc
        .column('conversation_id')
        .doUpdateSet({ state: 'queued', queued_at: sql`coalesce(conversation_routing.queued_at, ${now})`, updated_at: now }),
    )
    .execute();
  await recordAudit(trx, {
    actor: SYSTEM,
    action: 'routing.rerouted',
    entityType: 'conversation',
    entityId: conversationId,
    before: { assigneeId: from },
    after: { reason },
  });
  await assignConversation(trx, { conversationId, now, ...(from ? { exclude: [from] } : {}) });
}
