import { PRIORITY_RANK, type Priority } from '@autocrm/shared';
import { type Calendar, isOpen } from './business-hours';
import type { Action, Condition, Rule } from './rule-types';

/** What rules look at. Actions change tags and priority as they go, so later rules see the result. */
export interface Facts {
  inboxId: string;
  channel: string;
  tags: string[];
  priority: Priority;
  language: string | null;
  customFields: Record<string, unknown>;
  /** Subject and first customer message. */
  text: string;
  contactAttributes: Record<string, unknown>;
  now: Date;
  calendars: ReadonlyMap<string, Calendar>;
  /** Known after intake (automation): status category, assignee and team. */
  statusCategory?: string;
  assigneeId?: string | null;
  teamId?: string | null;
}

export interface RuleOutcome {
  fired: { rule: Rule; actions: Action[] }[];
  tags: string[];
  priority: Priority;
  teamId: string | null;
  requiredSkills: { skillId: string; minLevel: number }[];
  assignAgentId: string | null;
  macroIds: string[];
}

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const norm = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

export function conditionHolds(c: Condition, f: Facts): boolean {
  switch (c.field) {
    case 'inbox':
      return list(c.value).includes(f.inboxId) === (c.op === 'is');
    case 'channel':
      return (list(c.value) as string[]).includes(f.channel) === (c.op === 'is');
    case 'tags': {
      const hit = list(c.value).some((t) => f.tags.includes(t));
      return c.op === 'includes' ? hit : !hit;
    }
    case 'priority':
      if (c.op === 'at_least') return list(c.value).some((p) => PRIORITY_RANK[f.priority] >= PRIORITY_RANK[p]);
      return list(c.value).includes(f.priority) === (c.op === 'is');
    case 'language': {
      const lang = (f.language ?? '').toLowerCase();
      const hit = list(c.value).some((l) => lang === l.toLowerCase() || lang.startsWith(`${l.toLowerCase()}-`));
      return c.op === 'is' ? hit : !hit;
    }
    case 'text': {
      const text = f.text.toLowerCase();
      const hit = list(c.value).some((s) => text.includes(s.toLowerCase()));
      return c.op === 'contains' ? hit : !hit;
    }
    case 'custom_field':
      return compare(f.customFields[c.key], c.op, c.value);
    case 'contact_attribute':
      return compare(f.contactAttributes[c.key], c.op, c.value);
    case 'business_hours': {
      const cal = f.calendars.get(c.teamId);
      const open = cal ? isOpen(cal, f.now) : true;
      return open === (c.value === 'open');
    }
    case 'status':
      return (list(c.value) as string[]).includes(f.statusCategory ?? 'open') === (c.op === 'is');
    case 'assignee':
      return refHolds(f.assigneeId ?? null, c.op, c.value);
    case 'team':
      return refHolds(f.teamId ?? null, c.op, c.value);
  }
}

function refHolds(actual: string | null, op: 'is' | 'is_not' | 'is_set' | 'is_not_set', value: string | string[] | undefined) {
  if (op === 'is_set') return actual !== null;
  if (op === 'is_not_set') return actual === null;
  const hit = actual !== null && list(value ?? []).includes(actual);
  return op === 'is' ? hit : !hit;
}

function compare(actual: unknown, op: string, expected: unknown): boolean {
  const set = actual !== undefined && actual !== null && actual !== '';
  switch (op) {
    case 'is_set':
      return set;
    case 'is_not_set':
      return !set;
    case 'equals':
      return Array.isArray(actual) ? actual.map(norm).includes(norm(expected)) : norm(actual) === norm(expected);
    case 'not_equals':
      return Array.isArray(actual) ? !actual.map(norm).includes(norm(expected)) : norm(actual) !== norm(expected);
    case 'contains':
      if (Array.isArray(actual)) return actual.map(norm).includes(norm(expected));
      return typeof actual === 'string' && actual.toLowerCase().includes(String(expected).toLowerCase());
    case 'gt':
    case 'lt': {
      if (!set) return false;
      const a = typeof actual === 'number' ? actual : String(actual);
      const b = typeof expected === 'number' ? expected : String(expected);
      return op === 'gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

export function matches(rule: Pick<Rule, 'conditions' | 'match'>, f: Facts): boolean {
  if (rule.conditions.length === 0) return true;
  return rule.match === 'any'
    ? rule.conditions.some((c) => conditionHolds(c, f))
    : rule.conditions.every((c) => conditionHolds(c, f));
}

/**
 * Runs the ordered rules over a conversation. Each rule fires at most once; when a rule changes tags
 * or priority, the rules are looked at again from the top, so an earlier rule may fire on what a later
 * one did. Saving rules rejects cycles of such triggers (see validate-rules), so the outcome does not
 * depend on that replay. Of conflicting actions (two teams, two agents), the last rule to fire wins.
 */
export function evaluateRules(rules: readonly Rule[], initial: Facts): RuleOutcome {
  const facts: Facts = { ...initial, tags: [...initial.tags] };
  const out: RuleOutcome = {
    fired: [],
    tags: facts.tags,
    priority: facts.priority,
    teamId: null,
    requiredSkills: [],
    assignAgentId: null,
    macroIds: [],
  };
  const done = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const rule of rules) {
      if (!rule.enabled || done.has(rule.id) || !matches(rule, facts)) continue;
      done.add(rule.id);
      out.fired.push({ rule, actions: rule.actions });
      for (const a of rule.actions) {
        switch (a.type) {
          case 'route_to_team':
            out.teamId = a.teamId;
            break;
          case 'require_skill': {
            const minLevel = a.minLevel ?? 1;
            const prev = out.requiredSkills.find((s) => s.skillId === a.skillId);
            if (prev) prev.minLevel = Math.max(prev.minLevel, minLevel);
            else out.requiredSkills.push({ skillId: a.skillId, minLevel });
            break;
          }
          case 'set_priority':
            if (facts.priority !== a.priority) {
              facts.priority = a.priority;
              changed = true;
            }
            break;
          case 'add_tags':
            for (const t of a.tags) {
              if (!facts.tags.includes(t)) {
                facts.tags.push(t);
                changed = true;
              }
            }
            break;
          case 'assign_agent':
            out.assignAgentId = a.userId;
            break;
          case 'apply_macro':
            // Classification applies the macro's field changes after the rules have run.
            out.macroIds.push(a.macroId);
            break;
        }
      }
      if (changed) break; // start again from the top with the new facts
    }
  }
  out.priority = facts.priority;
  out.tags = facts.tags;
  return out;
}
