import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { SYSTEM } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { applyConversationUpdate } from '../conversations/update-conversation';
import type { Clock } from './clock';
import { takeRoutingLock } from './routing-lock';
import { unassignAndRoute } from './routing-rounds';
import { pendingTargets, slaState } from './sla';

const PRIORITY_UP = { low: 'normal', normal: 'high', high: 'urgent', urgent: 'urgent' } as const;

/** Warnings before, and events at, each missed target; optional priority raise or reassignment. */
export async function slaTimers(db: Db, props: { clock: Clock }): Promise<number> {
  const now = props.clock.now();
  return db.transaction().execute(async (trx) => {
    await takeRoutingLock(trx);
    const rows = await trx
      .selectFrom('conversation_routing as r')
      .innerJoin('conversations as c', 'c.id', 'r.conversation_id')
      .innerJoin('sla_policies as p', 'p.id', 'r.sla_policy_id')
      .selectAll('r')
      .select([
        'c.first_response_at',
        'c.status_category',
        'c.assignee_id',
        'c.team_id as conversation_team_id',
        'c.priority',
        'p.warning_minutes',
        'p.breach_raise_priority',
        'p.breach_reassign',
      ])
      .where('r.sla_state', 'in', ['ok', 'warning', 'breached'])
      .forUpdate('r')
      .skipLocked()
      .execute();
    let fired = 0;
    for (const r of rows) {
      const warned = [...r.sla_warned];
      const breached = [...r.sla_breached];
      let breachedNow = false;
      for (const t of pendingTargets(r, r)) {
        const payload = {
          conversationId: r.conversation_id,
          policyId: r.sla_policy_id ?? '',
          target: t.target,
          dueAt: t.dueAt.toISOString(),
          assigneeId: r.assignee_id,
          teamId: r.conversation_team_id,
        };
        if (now >= t.dueAt && !breached.includes(t.key)) {
          breached.push(t.key);
          breachedNow = true;
          fired++;
          await emit(trx, 'sla.breached', payload);
          await recordAudit(trx, {
            actor: SYSTEM,
            action: 'sla.breached',
            entityType: 'conversation',
            entityId: r.conversation_id,
            after: payload,
          });
        } else if (
          now.getTime() >= t.dueAt.getTime() - r.warning_minutes * 60_000 &&
          !warned.includes(t.key) &&
          !breached.includes(t.key)
        ) {
          warned.push(t.key);
          fired++;
          await emit(trx, 'sla.warning', payload);
        }
      }
      const next = { ...r, sla_warned: warned, sla_breached: breached };
      await trx
        .updateTable('conversation_routing')
        .set({ sla_warned: JSON.stringify(warned), sla_breached: JSON.stringify(breached), sla_state: slaState(next, r) })
        .where('conversation_id', '=', r.conversation_id)
        .execute();
      if (breachedNow && r.breach_raise_priority && r.priority !== 'urgent')
        await applyConversationUpdate(trx, {
          actor: SYSTEM,
          id: r.conversation_id,
          update: { priority: PRIORITY_UP[r.priority] },
        });
      if (breachedNow && r.breach_reassign && r.assignee_id)
        await unassignAndRoute(trx, { conversationId: r.conversation_id, from: r.assignee_id, now, reason: 'SLA breached' });
    }
    return fired;
  });
}
