import { AppError, type ConversationRouting, type ConversationRoutingUpdate } from '@autocrm/shared';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { assertCanSeeInbox } from '../access/gate';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { queuePositionOf } from './queue';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export type GetConversationRoutingProps = { actor: Actor; conversationId: string };

/** What routing did with a conversation: state, queue position, rules fired, SLA due times and state. */
export async function getConversationRouting(
  db: Db,
  { actor, conversationId }: GetConversationRoutingProps,
): Promise<ConversationRouting> {
  const conv = await db
    .selectFrom('conversations')
    .select(['id', 'inbox_id', 'team_id'])
    .where('id', '=', conversationId)
    .executeTakeFirst();
  if (!conv) throw new AppError('not_found', `conversation ${conversationId} not found`);
  await assertCanSeeInbox(db, { actor, inboxId: conv.inbox_id });
  const r = await db
    .selectFrom('conversation_routing')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  const fired = await db
    .selectFrom('rule_firings')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('id')
    .execute();
  return {
    conversationId,
    state: r?.state ?? 'new',
    teamId: r?.team_id ?? conv.team_id,
    language: r?.language ?? null,
    requiredSkills: r?.required_skills ?? [],
    queue: r?.state === 'queued' ? await queuePositionOf(db, conversationId) : null,
    queuedAt: iso(r?.queued_at ?? null),
    overflowedAt: iso(r?.overflowed_at ?? null),
    rulesFired: fired.map((f) => ({ ruleId: f.rule_id, name: f.rule_name, actions: f.actions, at: f.fired_at.toISOString() })),
    sla: {
      policyId: r?.sla_policy_id ?? null,
      state: r?.sla_state ?? 'none',
      firstResponseDueAt: iso(r?.first_response_due_at ?? null),
      nextResponseDueAt: iso(r?.next_response_due_at ?? null),
      resolutionDueAt: iso(r?.resolution_due_at ?? null),
      breached: r?.sla_breached ?? [],
    },
  };
}

export type UpdateConversationRoutingProps = { actor: Actor; conversationId: string; input: ConversationRoutingUpdate };

/** Hand-set language, skills or team; a conversation still waiting goes back through routing. */
export async function updateConversationRouting(
  db: Db,
  { actor, conversationId, input }: UpdateConversationRoutingProps,
): Promise<ConversationRouting> {
  await db.transaction().execute(async (trx) => {
    const conv = await trx
      .selectFrom('conversations')
      .select(['inbox_id', 'assignee_id'])
      .where('id', '=', conversationId)
      .executeTakeFirst();
    if (!conv) throw new AppError('not_found', `conversation ${conversationId} not found`);
    await assertCanSeeInbox(trx, { actor, inboxId: conv.inbox_id });
    const skills = input.requiredSkills?.map((s) => ({ skillId: s.skillId, minLevel: s.minLevel ?? 1 }));
    if (skills?.length) {
      const found = await trx
        .selectFrom('skills')
        .select('id')
        .where(
          'id',
          'in',
          skills.map((s) => s.skillId),
        )
        .execute();
      if (found.length !== new Set(skills.map((s) => s.skillId)).size)
        throw new AppError('validation_failed', 'requiredSkills: unknown skill', [
          { path: 'requiredSkills', message: 'contains an unknown skill' },
        ]);
    }
    if (input.teamId && !(await trx.selectFrom('teams').select('id').where('id', '=', input.teamId).executeTakeFirst()))
      throw new AppError('validation_failed', 'teamId: unknown team', [{ path: 'teamId', message: 'unknown team' }]);
    const set = {
      ...(input.language !== undefined ? { language: input.language } : {}),
      ...(skills ? { required_skills: JSON.stringify(skills) } : {}),
      ...(input.teamId !== undefined ? { team_id: input.teamId } : {}),
    };
    const before = await trx
      .selectFrom('conversation_routing')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .forUpdate()
      .executeTakeFirst();
    await trx
      .insertInto('conversation_routing')
      .values({
        conversation_id: conversationId,
        state: conv.assignee_id ? 'assigned' : 'queued',
        queued_at: new Date(),
        updated_at: new Date(),
        ...set,
      })
      .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ ...set, updated_at: new Date() }))
      .execute();
    await recordAudit(trx, {
      actor,
      action: 'conversation.routing_updated',
      entityType: 'conversation',
      entityId: conversationId,
      before: before ?? null,
      after: input,
    });
    await emit(trx, 'routing.settings_changed', { what: 'conversation', id: conversationId });
  });
  return getConversationRouting(db, { actor, conversationId });
}
