import { AppError, type Conversation } from '@autocrm/shared';
import { sql } from 'kysely';
import { emit } from '../../events/outbox';
import type { Db } from '../../storage/db';
import { SYSTEM } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { conversationFromRow, conversationTagNames, firstCustomerText } from '../conversations/present-conversation';
import { applyConversationUpdate } from '../conversations/update-conversation';
import { macroToUpdate } from '../macros/apply-macro';
import { checkMacroActions } from '../macros/macros';
import { type AssignResult, type AssignRow, assignConversation } from './assign-conversation';
import { evaluateRules } from './evaluate-rules';
import { loadActiveRules } from './rules';
import { computeSla, loadSlaPolicies, type SlaPolicyRow } from './sla';
import { loadCalendars } from './teams';

/** What classification reads that is configuration, not the conversation: loadable once per batch. */
export interface RoutingSnapshot {
  rules: Awaited<ReturnType<typeof loadActiveRules>>;
  calendars: Awaited<ReturnType<typeof loadCalendars>>;
  slaPolicies: SlaPolicyRow[];
}

export async function loadRoutingSnapshot(trx: Db): Promise<RoutingSnapshot> {
  const [rules, calendars, slaPolicies] = await Promise.all([loadActiveRules(trx), loadCalendars(trx), loadSlaPolicies(trx)]);
  return { rules, calendars, slaPolicies };
}

export type ClassifyConversationProps = {
  conversationId: string;
  now: Date;
  /** Rules, calendars and SLA policies read once for a batch; read here when left out. */
  settings?: RoutingSnapshot;
};

/**
 * First routing of a conversation (created, or handed off by the bot): run the rules, record what
 * fired, apply their changes through the ordinary conversation update (so history, audit and events
 * stay consistent), work out required skills and SLA due times, then assign or queue. The caller
 * holds the routing lock.
 */
export async function classifyConversation(
  trx: Db,
  { conversationId, now, settings }: ClassifyConversationProps,
): Promise<AssignResult> {
  // The routing row (locked), the conversation as events show it, the contact's attributes and the
  // customer's first words, in one statement.
  const row = await trx
    .selectFrom('conversation_routing as r')
    .innerJoin('conversations as c', 'c.id', 'r.conversation_id')
    .innerJoin('statuses as s', 's.id', 'c.status_id')
    .innerJoin('inboxes as i', 'i.id', 'c.inbox_id')
    .selectAll('c')
    .select((eb) => [
      's.name as status_name',
      'i.channel as channel',
      conversationTagNames,
      'r.language as routing_language',
      'r.team_id as routing_team_id',
      'r.required_skills as routing_required_skills',
      'r.state as routing_state',
      'r.queued_at as routing_queued_at',
      'r.overflowed_at as routing_overflowed_at',
      eb.selectFrom('contacts as ct').select('ct.attributes').whereRef('ct.id', '=', 'c.contact_id').as('contact_attributes'),
      firstCustomerText('first_text'),
    ])
    .where('r.conversation_id', '=', conversationId)
    .forUpdate('r')
    .executeTakeFirst();
  if (!row) return { kind: 'skipped' };
  const conv = conversationFromRow(row);
  const routing = { language: row.routing_language, team_id: row.routing_team_id, required_skills: row.routing_required_skills };
  const { rules, calendars, slaPolicies } = settings ?? (await loadRoutingSnapshot(trx));
  const outcome = evaluateRules(rules, {
    inboxId: conv.inboxId,
    channel: conv.channel,
    tags: conv.tags,
    priority: conv.priority,
    language: routing.language,
    customFields: conv.customFields,
    text: [conv.subject ?? '', row.first_text ?? ''].join('\n'),
    contactAttributes: row.contact_attributes ?? {},
    now,
    calendars,
  });

  const addTags = outcome.tags.filter((t) => !conv.tags.includes(t));
  const teamId = outcome.teamId ?? routing.team_id ?? conv.teamId;
  const update = {
    ...(outcome.priority !== conv.priority ? { priority: outcome.priority } : {}),
    ...(addTags.length ? { addTags } : {}),
    ...(teamId && teamId !== conv.teamId ? { teamId } : {}),
  };
  let after = Object.keys(update).length
    ? await applyConversationUpdate(trx, { actor: SYSTEM, id: conversationId, update })
    : conv;
  after = await applyRuleMacros(trx, conversationId, outcome.macroIds, after);

  if (outcome.fired.length) {
    await trx
      .insertInto('rule_firings')
      .values(
        outcome.fired.map((f) => ({
          conversation_id: conversationId,
          rule_id: f.rule.id,
          rule_name: f.rule.name,
          actions: JSON.stringify(f.actions),
          fired_at: now,
        })),
      )
      .execute();
    await emit(trx, 'routing.rules_fired', {
      conversationId,
      rules: outcome.fired.map((f) => ({ id: f.rule.id, name: f.rule.name })),
    });
  }

  // The conversation's language asks for the matching language skill, when the workspace has one.
  const required = [...routing.required_skills];
  for (const s of outcome.requiredSkills) {
    const prev = required.find((r) => r.skillId === s.skillId);
    if (prev) prev.minLevel = Math.max(prev.minLevel, s.minLevel);
    else required.push(s);
  }
  if (routing.language) {
    const base = routing.language.toLowerCase().split('-')[0] ?? '';
    const skill = await trx
      .selectFrom('skills')
      .select(['id', 'code'])
      .where('kind', '=', 'language')
      .where((eb) => eb.or([eb('code', '=', routing.language), eb('code', '=', base)]))
      .orderBy('code', 'desc')
      .executeTakeFirst();
    if (skill && !required.some((r) => r.skillId === skill.id)) required.push({ skillId: skill.id, minLevel: 1 });
  }

  const sla = await computeSla(trx, {
    c: {
      priority: after.priority,
      inboxId: after.inboxId,
      tags: after.tags,
      teamId: after.teamId,
      firstResponseAt: after.firstResponseAt,
    },
    calendars,
    now,
    policies: slaPolicies,
  });
  await trx
    .updateTable('conversation_routing')
    .set({ team_id: after.teamId, required_skills: JSON.stringify(required), ...sla, sla_started_at: now, updated_at: now })
    .where('conversation_id', '=', conversationId)
    .execute();

  if (!after.assigneeId && outcome.assignAgentId) {
    // A rule names the agent: they get it whatever their load (the admin asked for exactly this).
    await applyConversationUpdate(trx, { actor: SYSTEM, id: conversationId, update: { assigneeId: outcome.assignAgentId } });
    await trx
      .updateTable('agent_routing_state')
      .set({ last_assigned_at: now })
      .where('user_id', '=', outcome.assignAgentId)
      .execute();
    await trx
      .updateTable('conversation_routing')
      .set({ state: 'assigned' })
      .where('conversation_id', '=', conversationId)
      .execute();
    return { kind: 'assigned', userId: outcome.assignAgentId };
  }
  // Assignment gets the rows as just written (no second read of what this transaction holds locked).
  const known: AssignRow = {
    state: row.routing_state,
    team_id: after.teamId,
    required_skills: required,
    queued_at: row.routing_queued_at,
    overflowed_at: row.routing_overflowed_at,
    assignee_id: after.assigneeId,
    conversation_team_id: after.teamId,
    status_category: after.status.category,
    inbox_id: after.inboxId,
    channel: row.channel,
  };
  return assignConversation(trx, { conversationId, now, known });
}

/**
 * The field changes of the shared macros that fired rules name (their reply text is for a person's
 * reply box, so it is not sent). Each runs inside a savepoint: a macro that no longer fits (a deleted
 * status or team, a bad custom field value) is skipped and audited, and routing goes on.
 */
async function applyRuleMacros(trx: Db, conversationId: string, macroIds: string[], conv: Conversation): Promise<Conversation> {
  if (!macroIds.length) return conv;
  const macros = await trx
    .selectFrom('macros')
    .select(['id', 'actions'])
    .where('id', 'in', macroIds)
    .where('visibility', '=', 'shared')
    .execute();
  let after = conv;
  for (const id of macroIds) {
    const macro = macros.find((m) => m.id === id);
    // "Assign to me" means nobody when a rule applies the macro.
    const actions = (macro?.actions ?? []).filter((a) => !(a.type === 'assign' && a.assigneeId === 'me'));
    await sql`SAVEPOINT rule_macro`.execute(trx);
    try {
      if (!macro) throw new AppError('not_found', `macro ${id} is gone or no longer shared`);
      await checkMacroActions(trx, { actions });
      const update = macroToUpdate(actions, SYSTEM);
      if (update) after = await applyConversationUpdate(trx, { actor: SYSTEM, id: conversationId, update });
      await sql`RELEASE SAVEPOINT rule_macro`.execute(trx);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      await sql`ROLLBACK TO SAVEPOINT rule_macro`.execute(trx);
      await recordAudit(trx, {
        actor: SYSTEM,
        action: 'routing.macro_skipped',
        entityType: 'conversation',
        entityId: conversationId,
        after: { macroId: id, code: err.code, message: err.message },
      });
    }
  }
  return after;
}
