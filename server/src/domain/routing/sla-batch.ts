import type { ConversationSla } from '@autocrm/shared';
import type { Db } from '../../storage/db';
import { visibleInboxIds } from '../access/gate';
import type { Actor } from '../actor';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export type GetSlaStatesProps = { actor: Actor; ids: string[] };

/**
 * SLA state of many conversations at once (for queue lists and boards). Conversations the caller may
 * not see, or that do not exist, are left out; a conversation routing has not seen yet has state none.
 */
export async function getSlaStates(db: Db, { actor, ids }: GetSlaStatesProps): Promise<ConversationSla[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const visible = await visibleInboxIds(db, actor);
  if (visible && visible.length === 0) return [];
  let q = db
    .selectFrom('conversations as c')
    .leftJoin('conversation_routing as r', 'r.conversation_id', 'c.id')
    .select([
      'c.id',
      'r.sla_policy_id',
      'r.sla_state',
      'r.first_response_due_at',
      'r.next_response_due_at',
      'r.resolution_due_at',
      'r.sla_breached',
    ])
    .where('c.id', 'in', unique);
  if (visible) q = q.where('c.inbox_id', 'in', visible);
  const rows = await q.execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return unique.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        conversationId: id,
        policyId: r.sla_policy_id ?? null,
        state: r.sla_state ?? 'none',
        firstResponseDueAt: iso(r.first_response_due_at ?? null),
        nextResponseDueAt: iso(r.next_response_due_at ?? null),
        resolutionDueAt: iso(r.resolution_due_at ?? null),
        breached: r.sla_breached ?? [],
      },
    ];
  });
}
