import { randomUUID } from 'node:crypto';
import { AppError, type RoutingRule, type RoutingRuleInput, type RuleAction, type RuleCondition } from '@autocrm/shared';
import type { Selectable } from 'kysely';
import type { RoutingRulesTable } from '../../../../db/types';
import { cached } from '../../storage/cache/config-cache';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { recordAudit } from '../audit/record-audit';
import { nextRulePosition } from './rule-position';
import type { Rule } from './rule-types';
import { assertNoLoops, parseRule, type RuleCatalog } from './validate-rules';

const present = (r: Selectable<RoutingRulesTable>): RoutingRule => ({
  id: r.id,
  name: r.name,
  position: r.position,
  enabled: r.enabled,
  match: r.match,
  // Stored as parseRule returned them (checked when saved).
  conditions: r.conditions as RuleCondition[],
  actions: r.actions as RuleAction[],
});

export async function listRules(db: Db): Promise<RoutingRule[]> {
  const rows = await db.selectFrom('routing_rules').selectAll().orderBy('position').orderBy('created_at').execute();
  return rows.map(present);
}

export async function loadCatalog(db: Db): Promise<RuleCatalog> {
  const [teams, skills, users, inboxes, fields, macros, statuses, webhooks] = await Promise.all([
    db.selectFrom('teams').select('id').execute(),
    db.selectFrom('skills').select('id').execute(),
    db.selectFrom('users').select('id').where('active', '=', true).execute(),
    db.selectFrom('inboxes').select('id').execute(),
    db.selectFrom('custom_field_definitions').select(['key', 'type', 'options']).where('entity', '=', 'conversation').execute(),
    db.selectFrom('macros').select('id').where('visibility', '=', 'shared').execute(),
    db.selectFrom('statuses').select('id').execute(),
    db.selectFrom('webhooks').select('id').execute(),
  ]);
  return {
    teamIds: new Set(teams.map((t) => t.id)),
    skillIds: new Set(skills.map((s) => s.id)),
    userIds: new Set(users.map((u) => u.id)),
    inboxIds: new Set(inboxes.map((i) => i.id)),
    sharedMacroIds: new Set(macros.map((m) => m.id)),
    customFields: new Map(fields.map((f) => [f.key, { type: f.type, options: f.options }])),
    statusIds: new Set(statuses.map((s) => s.id)),
    webhookIds: new Set(webhooks.map((w) => w.id)),
  };
}

/**
 * The enabled rules, parsed, in order. A stored rule that no longer parses (its team was deleted, say)
 * is skipped rather than stopping routing; it shows up again as an error when someone edits it.
 */
export function loadActiveRules(db: Db): Promise<Rule[]> {
  // Classified on every new conversation; dropped when a rule or anything a rule names changes (cache-keys.ts).
  return cached(db, 'routing-rules', () => readActiveRules(db));
}

async function readActiveRules(db: Db): Promise<Rule[]> {
  const rows = await db
    .selectFrom('routing_rules')
    .selectAll()
    .where('enabled', '=', true)
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  if (!rows.length) return []; // the common case: no catalog to load (seven queries per classification)
  const catalog = await loadCatalog(db);
  return rows.flatMap((r) => {
    try {
      return [parseRule({ draft: { ...present(r) }, catalog })];
    } catch {
      return [];
    }
  });
}

/** Checks the rule and every other rule together (loops only exist between rules). */
async function validate(trx: Db, id: string, input: RoutingRuleInput): Promise<void> {
  const catalog = await loadCatalog(trx);
  const rule = parseRule({ draft: { id, ...input }, catalog });
  const others = await trx.selectFrom('routing_rules').selectAll().where('id', '!=', id).execute();
  const parsedOthers = others.flatMap((r) => {
    try {
      return [parseRule({ draft: present(r), catalog })];
    } catch {
      return [];
    }
  });
  assertNoLoops([...parsedOthers, rule], input.name);
}

const values = (input: RoutingRuleInput) => ({
  name: input.name,
  ...(input.position !== undefined ? { position: input.position } : {}),
  ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
  ...(input.match !== undefined ? { match: input.match } : {}),
  conditions: JSON.stringify(input.conditions),
  actions: JSON.stringify(input.actions),
});

export type CreateRuleProps = { actor: Actor; input: RoutingRuleInput };

export async function createRule(db: Db, { actor, input }: CreateRuleProps): Promise<RoutingRule> {
  return db.transaction().execute(async (trx) => {
    const id = randomUUID();
    await validate(trx, id, input);
    const position = input.position ?? (await nextRulePosition(trx, 'routing_rules'));
    const row = await trx
      .insertInto('routing_rules')
      .values({ id, ...values(input), position })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: 'routing_rule.created',
      entityType: 'routing_rule',
      entityId: id,
      after: present(row),
    });
    return present(row);
  });
}

export type UpdateRuleProps = { actor: Actor; id: string; input: RoutingRuleInput };

export async function updateRule(db: Db, { actor, id, input }: UpdateRuleProps): Promise<RoutingRule> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('routing_rules').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new AppError('not_found', `routing rule ${id} not found`);
    await validate(trx, id, input);
    const row = await trx
      .updateTable('routing_rules')
      .set({ ...values(input), updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actor,
      action: 'routing_rule.updated',
      entityType: 'routing_rule',
      entityId: id,
      before: present(before),
      after: present(row),
    });
    return present(row);
  });
}

export type DeleteRuleProps = { actor: Actor; id: string };

export async function deleteRule(db: Db, { actor, id }: DeleteRuleProps): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.deleteFrom('routing_rules').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw new AppError('not_found', `routing rule ${id} not found`);
    await recordAudit(trx, {
      actor,
      action: 'routing_rule.deleted',
      entityType: 'routing_rule',
      entityId: id,
      before: present(row),
    });
  });
}
