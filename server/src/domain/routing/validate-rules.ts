import { AppError } from '@autocrm/shared';
import type { z } from 'zod';
import { checkCustomFieldValue } from '../conversations/custom-fields';
import {
  ACTION_SCHEMAS,
  type Action,
  type ActionType,
  CONDITION_FIELDS,
  CONDITION_SCHEMAS,
  type Condition,
  ROUTING_ACTION_TYPES,
  type Rule,
} from './rule-types';

/** What a rule may refer to; ids not in here are rejected when the rule is saved. */
export interface RuleCatalog {
  teamIds: ReadonlySet<string>;
  skillIds: ReadonlySet<string>;
  userIds: ReadonlySet<string>;
  inboxIds: ReadonlySet<string>;
  /** Shared macros only: a rule runs for the whole workspace, a personal macro belongs to one person. */
  sharedMacroIds: ReadonlySet<string>;
  customFields: ReadonlyMap<string, { type: string; options: string[] }>;
  /** Only automation's set_status reads statuses. */
  statusIds?: ReadonlySet<string>;
  /** Only automation's call_webhook reads webhook endpoints. */
  webhookIds?: ReadonlySet<string>;
}

export interface RuleDraft {
  id: string;
  name: string;
  enabled?: boolean;
  match?: 'all' | 'any';
  conditions: Record<string, unknown>[];
  actions: Record<string, unknown>[];
}

type Issue = { path: string; message: string };

const fail = (ruleName: string, issues: Issue[]): never => {
  const first = issues[0];
  throw new AppError('validation_failed', `rule "${ruleName}": ${first?.path}: ${first?.message}`, issues);
};

const zodMessage = (err: z.ZodError, prefix: string): Issue[] =>
  err.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].join('.'),
    message: i.code === 'unrecognized_keys' ? `unknown key(s) ${i.keys.map((k) => `"${k}"`).join(', ')}` : i.message,
  }));

export type ParseRuleProps = { draft: RuleDraft; catalog: RuleCatalog | null; allowedActions?: readonly ActionType[] };

/**
 * Parses one rule's conditions and actions, checking every field, type and reference. Throws naming the
 * rule. Routing and automation share the language; each allows its own actions. Without a catalog the
 * references are not checked (a stored rule checked when saved; a reference gone since fails when run).
 */
export function parseRule({ draft, catalog, allowedActions = ROUTING_ACTION_TYPES }: ParseRuleProps): Rule {
  const issues: Issue[] = [];
  const conditions: Condition[] = [];
  draft.conditions.forEach((raw, i) => {
    const path = `conditions.${i}`;
    const field = raw.field;
    if (typeof field !== 'string' || !(CONDITION_FIELDS as readonly string[]).includes(field)) {
      issues.push({
        path: `${path}.field`,
        message: `unknown field ${JSON.stringify(field ?? null)} (known: ${CONDITION_FIELDS.join(', ')})`,
      });
      return;
    }
    const parsed = CONDITION_SCHEMAS[field as keyof typeof CONDITION_SCHEMAS].safeParse(raw);
    if (!parsed.success) {
      issues.push(...zodMessage(parsed.error, path));
      return;
    }
    const c = parsed.data as Condition;
    if (catalog) issues.push(...checkCondition(c, path, catalog));
    conditions.push(c);
  });
  const actions: Action[] = [];
  draft.actions.forEach((raw, i) => {
    const path = `actions.${i}`;
    const type = raw.type;
    if (typeof type !== 'string' || !(allowedActions as readonly string[]).includes(type)) {
      issues.push({
        path: `${path}.type`,
        message: `unknown action ${JSON.stringify(type ?? null)} (known: ${allowedActions.join(', ')})`,
      });
      return;
    }
    const parsed = ACTION_SCHEMAS[type as keyof typeof ACTION_SCHEMAS].safeParse(raw);
    if (!parsed.success) {
      issues.push(...zodMessage(parsed.error, path));
      return;
    }
    const a = parsed.data as Action;
    if (catalog) issues.push(...checkAction(a, path, catalog));
    actions.push(a);
  });
  if (issues.length) fail(draft.name, issues);
  return { id: draft.id, name: draft.name, enabled: draft.enabled ?? true, match: draft.match ?? 'all', conditions, actions };
}

function checkCondition(c: Condition, path: string, cat: RuleCatalog): Issue[] {
  const out: Issue[] = [];
  if (c.field === 'inbox') {
    for (const id of [c.value].flat())
      if (!cat.inboxIds.has(id)) out.push({ path: `${path}.value`, message: `unknown inbox ${id}` });
  }
  if (c.field === 'business_hours' && !cat.teamIds.has(c.teamId))
    out.push({ path: `${path}.teamId`, message: `unknown team ${c.teamId}` });
  if (c.field === 'custom_field') {
    const def = cat.customFields.get(c.key);
    if (!def) return [{ path: `${path}.key`, message: `unknown custom field "${c.key}"` }];
    if (c.op === 'is_set' || c.op === 'is_not_set') return out;
    if (c.value === undefined) return [{ path: `${path}.value`, message: `"${c.op}" needs a value` }];
    const want = def.type === 'number' ? 'number' : def.type === 'boolean' ? 'boolean' : 'string';
    if (typeof c.value !== want)
      out.push({
        path: `${path}.value`,
        message: `custom field "${c.key}" is ${def.type}: expected a ${want}, got ${typeof c.value}`,
      });
    else if ((def.type === 'single_select' || def.type === 'multi_select') && !def.options.includes(String(c.value)))
      out.push({ path: `${path}.value`, message: `"${c.value}" is not an option of "${c.key}" (${def.options.join(', ')})` });
    if ((c.op === 'gt' || c.op === 'lt') && !['number', 'date'].includes(def.type))
      out.push({ path: `${path}.op`, message: `"${c.op}" compares numbers or dates; "${c.key}" is ${def.type}` });
    if (c.op === 'contains' && !['text', 'multi_select'].includes(def.type))
      out.push({ path: `${path}.op`, message: `"contains" needs a text or multi_select field; "${c.key}" is ${def.type}` });
  }
  if ((c.field === 'assignee' || c.field === 'team') && (c.op === 'is' || c.op === 'is_not')) {
    if (c.value === undefined) return [{ path: `${path}.value`, message: `"${c.op}" needs a value` }];
    const known = c.field === 'assignee' ? cat.userIds : cat.teamIds;
    for (const id of [c.value].flat())
      if (!known.has(id))
        out.push({ path: `${path}.value`, message: `unknown ${c.field === 'assignee' ? 'user' : 'team'} ${id}` });
  }
  if (c.field === 'contact_attribute' && c.op !== 'is_set' && c.op !== 'is_not_set' && c.value === undefined)
    out.push({ path: `${path}.value`, message: `"${c.op}" needs a value` });
  return out;
}

function checkAction(a: Action, path: string, cat: RuleCatalog): Issue[] {
  if (a.type === 'route_to_team' && !cat.teamIds.has(a.teamId))
    return [{ path: `${path}.teamId`, message: `unknown team ${a.teamId}` }];
  if (a.type === 'apply_macro' && !cat.sharedMacroIds.has(a.macroId))
    return [{ path: `${path}.macroId`, message: `unknown or personal macro ${a.macroId}` }];
  if (a.type === 'require_skill' && !cat.skillIds.has(a.skillId))
    return [{ path: `${path}.skillId`, message: `unknown skill ${a.skillId}` }];
  if (a.type === 'assign_agent' && !cat.userIds.has(a.userId))
    return [{ path: `${path}.userId`, message: `unknown or inactive user ${a.userId}` }];
  if (a.type === 'set_status' && !cat.statusIds?.has(a.statusId))
    return [{ path: `${path}.statusId`, message: `unknown status ${a.statusId}` }];
  if (a.type === 'call_webhook' && !cat.webhookIds?.has(a.webhookId))
    return [{ path: `${path}.webhookId`, message: `unknown webhook ${a.webhookId}` }];
  if (a.type === 'set_custom_field') {
    const def = cat.customFields.get(a.key);
    if (!def) return [{ path: `${path}.key`, message: `unknown custom field "${a.key}"` }];
    if (a.value === null) return [];
    const problem = checkCustomFieldValue(def, a.value);
    if (problem) return [{ path: `${path}.value`, message: `custom field "${a.key}" ${problem}` }];
  }
  if (a.type === 'notify') {
    if (!a.userIds?.length && !a.teamId) return [{ path: `${path}.userIds`, message: 'name people or a team to notify' }];
    const bad = a.userIds?.find((u) => !cat.userIds.has(u));
    if (bad) return [{ path: `${path}.userIds`, message: `unknown or inactive user ${bad}` }];
    if (a.teamId && !cat.teamIds.has(a.teamId)) return [{ path: `${path}.teamId`, message: `unknown team ${a.teamId}` }];
  }
  return [];
}

/** Does `a`'s action change something `b`'s conditions read? */
function triggers(a: Rule, b: Rule): string | null {
  for (const act of a.actions) {
    for (const c of b.conditions) {
      if (act.type === 'add_tags' && c.field === 'tags') {
        const t = act.tags.find((x) => [c.value].flat().includes(x));
        if (t) return `adds tag "${t}"`;
      }
      if (act.type === 'set_priority' && c.field === 'priority') return `sets priority ${act.priority}`;
    }
  }
  return null;
}

/**
 * Rejects a set of rules in which rules re-trigger each other (A adds a tag B matches, B sets a
 * priority A matches...). The message names the rules of the loop and what each does to the next.
 */
export function assertNoLoops(rules: readonly Rule[], focusRuleName?: string): void {
  const enabled = rules.filter((r) => r.enabled);
  const edges = new Map<string, { to: Rule; why: string }[]>();
  for (const a of enabled) {
    edges.set(
      a.id,
      enabled.flatMap((b) => {
        if (a.id === b.id) return []; // a rule re-matching itself changes nothing: it fires once
        const why = triggers(a, b);
        return why ? [{ to: b, why }] : [];
      }),
    );
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: { rule: Rule; why: string }[] = [];
  const visit = (r: Rule): void => {
    state.set(r.id, 'visiting');
    for (const e of edges.get(r.id) ?? []) {
      if (state.get(e.to.id) === 'visiting') {
        const start = stack.findIndex((s) => s.rule.id === e.to.id);
        const cycle = [...stack.slice(start), { rule: r, why: e.why }];
        const names = cycle.map((s) => s.rule.name);
        const steps = cycle.map(
          (s, i) => `"${s.rule.name}" ${cycle[i]?.why ?? ''} which "${(cycle[i + 1] ?? cycle[0])?.rule.name}" matches`,
        );
        const named = focusRuleName && names.includes(focusRuleName) ? focusRuleName : names[0];
        throw new AppError(
          'validation_failed',
          `rule "${named}" forms a loop: ${[...names, names[0]].map((n) => `"${n}"`).join(' → ')} (${steps.join('; ')})`,
          [{ path: 'actions', message: `loop between rules ${names.map((n) => `"${n}"`).join(', ')}` }],
        );
      }
      if (!state.has(e.to.id)) {
        stack.push({ rule: r, why: e.why });
        visit(e.to);
        stack.pop();
      }
    }
    state.set(r.id, 'done');
  };
  for (const r of enabled) if (!state.has(r.id)) visit(r);
}
