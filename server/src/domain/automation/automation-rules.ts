import { randomUUID } from 'node:crypto';
import {
  AppError,
  type AutomationFiring,
  type AutomationRule,
  type AutomationRuleInput,
  AutomationTrigger,
  type RuleAction,
  type RuleCondition,
} from '@autocrm/shared';
import { type Selectable, sql } from 'kysely';
import type { AutomationFiringsTable, AutomationRulesTable } from '../../../../db/types';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { nextRulePosition } from '../routing/rule-position';
import { AUTOMATION_ACTION_TYPES, type Rule } from '../routing/rule-types';
import { loadCatalog } from '../routing/rules';
import { parseRule } from '../routing/validate-rules';

/** A stored rule, parsed, ready to run. */
export interface AutomationRuleDef {
  id: string;
  name: string;
  inboxId: string | null;
  trigger: AutomationTrigger;
  rule: Rule;
}

type Row = Selectable<AutomationRulesTable>;

const present = (r: Row, last?: { at: Date; result: AutomationRule['lastResult'] }): AutomationRule => ({
  id: r.id,
  name: r.name,
  position: r.position,
  enabled: r.enabled,
  inboxId: r.inbox_id,
  trigger: r.trigger as AutomationTrigger,
  match: r.match,
  // Stored as parseRule returned them (checked when saved).
  conditions: r.conditions as RuleCondition[],
  actions: r.actions as RuleAction[],
  lastFiredAt: last ? last.at.toISOString() : null,
  lastResult: last?.result ?? null,
});

export const presentFiring = (f: Selectable<AutomationFiringsTable>): AutomationFiring => ({
  id: String(f.id),
  ruleId: f.rule_id,
  ruleName: f.rule_name,
  conversationId: f.conversation_id,
  eventType: f.event_type,
  depth: f.depth,
  actions: f.actions as unknown[],
  result: f.result,
  error: f.error,
  firedAt: f.fired_at.toISOString(),
});

/** The rules in order, each with when it last fired (the builder's "last fired" column). */
export async function listAutomationRules(db: Db): Promise<AutomationRule[]> {
  const rows = await db.selectFrom('automation_rules').selectAll().orderBy('position').orderBy('created_at').execute();
  if (!rows.length) return [];
  // The newest firing per rule: DISTINCT ON reads one row per rule from the (rule_id, fired_at) index.
  const last = await sql<{ rule_id: string; fired_at: Date; result: 'ok' | 'error' | 'skipped' }>`
    SELECT DISTINCT ON (rule_id) rule_id, fired_at, result FROM automation_firings
    WHERE rule_id IS NOT NULL ORDER BY rule_id, fired_at DESC, id DESC`.execute(db);
  const byRule = new Map(last.rows.map((l) => [l.rule_id, { at: new Date(l.fired_at), result: l.result }]));
  return rows.map((r) => present(r, byRule.get(r.id)));
}

export async function listAutomationFirings(
  db: Db,
  filter: { ruleId?: string | undefined; conversationId?: string | undefined; limit: number },
): Promise<AutomationFiring[]> {
  const rows = await db
    .selectFrom('automation_firings')
    .selectAll()
    .$if(!!filter.ruleId, (q) => q.where('rule_id', '=', filter.ruleId as string))
    .$if(!!filter.conversationId, (q) => q.where('conversation_id', '=', filter.conversationId as string))
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .execute();
  return rows.map(presentFiring);
}

const toDef = (r: Row): AutomationRuleDef => ({
  id: r.id,
  name: r.name,
  inboxId: r.inbox_id,
  trigger: AutomationTrigger.parse(r.trigger),
  rule: parseRule({
    draft: {
      id: r.id,
      name: r.name,
      enabled: r.enabled,
      match: r.match,
      conditions: r.conditions as [],
      actions: r.actions as [],
    },
    catalog: null,
    allowedActions: AUTOMATION_ACTION_TYPES,
  }),
});

/**
 * The enabled rules with one of these triggers, for one inbox (or all), in order. References were checked
 * when the rule was saved; one gone since fails when the rule runs, recorded as its error. A rule that no
 * longer parses at all is skipped rather than stopping the others.
 */
export async function loadAutomationRules(
  db: Db,
  props: { triggers: readonly string[]; inboxId?: string },
): Promise<AutomationRuleDef[]> {
  if (!props.triggers.length) return [];
  const rows = await db
    .selectFrom('automation_rules')
    .selectAll()
    .where('enabled', '=', true)
    .where(sql<string>`trigger->>'type'`, 'in', props.triggers)
    .$if(!!props.inboxId, (q) =>
      q.where((eb) => eb.or([eb('inbox_id', 'is', null), eb('inbox_id', '=', props.inboxId as string)])),
    )
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  return rows.flatMap((r) => {
    try {
      return [toDef(r)];
    } catch {
      return [];
    }
  });
}

async function validate(trx: Db, id: string, input: AutomationRuleInput): Promise<void> {
  const catalog = await loadCatalog(trx);
  if (input.inboxId && !catalog.inboxIds.has(input.inboxId))
    throw new AppError('validation_failed', `rule "${input.name}": inboxId: unknown inbox ${input.inboxId}`, [
      { path: 'inboxId', message: `unknown inbox ${input.inboxId}` },
    ]);
  parseRule({ draft: { id, ...input }, catalog, allowedActions: AUTOMATION_ACTION_TYPES });
}

const values = (input: AutomationRuleInput) => ({
  name: input.name,
  ...(input.position !== undefined ? { position: input.position } : {}),
  ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
  ...(input.match !== undefined ? { match: input.match } : {}),
  ...(input.inboxId !== undefined ? { inbox_id: input.inboxId } : {}),
  trigger: JSON.stringify(input.trigger),
  conditions: JSON.stringify(input.conditions),
  actions: JSON.stringify(input.actions),
});

export type CreateAutomationRuleProps = { actor: Actor; input: AutomationRuleInput };

export async function createAutomationRule(db: Db, { actor, input }: CreateAutomationRuleProps): Promise<AutomationRule> {
  return db.transaction().execute(async (trx) => {
    const id = randomUUID();
    await validate(trx, id, input);
    const position = input.position ?? (await nextRulePosition(trx, 'automation_rules'));
    const row = await trx
      .insertInto('automation_rules')
      .values({ id, ...values(input), position })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: 'automation_rule.created',
      entityType: 'automation_rule',
      entityId: id,
      after: present(row),
    });
    return present(row);
  });
}

export type UpdateAutomationRuleProps = { actor: Actor; id: string; input: AutomationRuleInput };

export async function updateAutomationRule(db: Db, { actor, id, input }: UpdateAutomationRuleProps): Promise<AutomationRule> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('automation_rules').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found', `automation rule ${id} not found`);
    await validate(trx, id, input);
    const row = await trx
      .updateTable('automation_rules')
      .set({ ...values(input), updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: 'automation_rule.updated',
      entityType: 'automation_rule',
      entityId: id,
      before: present(before),
      after: present(row),
    });
    return present(row);
  });
}

export type DeleteAutomationRuleProps = { actor: Actor; id: string };

export async function deleteAutomationRule(db: Db, { actor, id }: DeleteAutomationRuleProps): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.deleteFrom('automation_rules').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw new AppError('not_found', `automation rule ${id} not found`);
    await recordAudit(trx, {
      actor,
      action: 'automation_rule.deleted',
      entityType: 'automation_rule',
      entityId: id,
      before: present(row),
    });
  });
}
