// The automation builder's rows and their conversion to and from the API's rule (see
// shared/src/schemas/automation.ts and the routing rules' condition language). The page edits rows of
// plain strings; `toRule` turns them into the body the API checks.

import type { components } from '@autocrm/shared/api-types';
import { t as strings } from '$lib/strings';

export const TRIGGERS = [
  { type: 'conversation_created', label: 'A conversation is created' },
  { type: 'customer_message', label: 'The customer writes' },
  { type: 'agent_message', label: 'An agent replies' },
  { type: 'status_changed', label: 'The status changes' },
  { type: 'assigned', label: 'Someone is assigned' },
  { type: 'unassigned', label: 'The assignee is removed' },
  { type: 'tag_added', label: 'A tag is added' },
  { type: 'reopened', label: 'A resolved conversation is reopened' },
  { type: 'snooze_ended', label: 'A snooze ends' },
  { type: 'sla_warning', label: 'An SLA target is due soon' },
  { type: 'sla_breached', label: 'An SLA target is missed' },
  { type: 'conversation_updated', label: 'The conversation is updated' },
  { type: 'no_reply_for', label: 'The customer has had no reply for…' },
  { type: 'in_status_for', label: 'The conversation has been in a status for…' },
] as const;
export type TriggerType = (typeof TRIGGERS)[number]['type'];

export const CATEGORIES = ['open', 'pending', 'resolved', 'closed'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const CHANNELS = ['web', 'email', 'api', 'sms', 'whatsapp', 'social', 'phone', 'walk_in'] as const;
/** What a "conversation updated" trigger may watch (shared/src/schemas/automation.ts). */
export const UPDATE_FIELDS = [
  { field: 'priority', label: 'priority' },
  { field: 'team', label: 'team' },
  { field: 'tags', label: 'tags' },
  { field: 'custom_fields', label: 'custom fields' },
  { field: 'subject', label: 'subject' },
] as const;

export const FIELDS = [
  { field: 'text', label: 'Message or subject', ops: ['contains', 'not_contains'] },
  { field: 'status', label: 'Status', ops: ['is', 'is_not'] },
  { field: 'priority', label: 'Priority', ops: ['is', 'is_not', 'at_least'] },
  { field: 'tags', label: 'Tags', ops: ['includes', 'excludes'] },
  { field: 'assignee', label: 'Assignee', ops: ['is', 'is_not', 'is_set', 'is_not_set'] },
  { field: 'team', label: 'Team', ops: ['is', 'is_not', 'is_set', 'is_not_set'] },
  { field: 'inbox', label: 'Inbox', ops: ['is', 'is_not'] },
  { field: 'channel', label: 'Channel', ops: ['is', 'is_not'] },
  { field: 'language', label: 'Language', ops: ['is', 'is_not'] },
  { field: 'custom_field', label: 'Custom field', ops: ['equals', 'not_equals', 'contains', 'gt', 'lt', 'is_set', 'is_not_set'] },
  { field: 'contact_attribute', label: 'Contact attribute', ops: ['equals', 'not_equals', 'contains', 'is_set', 'is_not_set'] },
  { field: 'business_hours', label: 'Business hours of team', ops: ['is'] },
] as const;
export type Field = (typeof FIELDS)[number]['field'];

export const ACTIONS = [
  { type: 'assign_agent', label: 'Assign to' },
  { type: 'unassign', label: 'Remove the assignee' },
  { type: 'route_to_team', label: 'Set the team' },
  { type: 'set_priority', label: 'Set the priority' },
  { type: 'set_status', label: 'Set the status' },
  { type: 'resolve', label: 'Resolve' },
  { type: 'add_tags', label: 'Add tags' },
  { type: 'remove_tags', label: 'Remove tags' },
  { type: 'add_note', label: 'Add an internal note' },
  { type: 'send_reply', label: 'Send a reply' },
  { type: 'apply_macro', label: 'Apply a macro' },
  { type: 'snooze', label: 'Snooze' },
  { type: 'notify', label: 'Notify' },
  { type: 'set_custom_field', label: 'Set a custom field' },
  { type: 'call_webhook', label: 'Call a webhook' },
] as const;
export type ActionType = (typeof ACTIONS)[number]['type'];

export interface TriggerRow {
  type: TriggerType;
  toCategory: string;
  tag: string;
  hours: string;
  category: string;
  /** conversation_updated: the watched fields (none: any of them). */
  fields: string[];
}
export interface ConditionRow {
  field: Field;
  op: string;
  key: string;
  value: string;
  teamId: string;
}
export interface ActionRow {
  type: ActionType;
  userId: string;
  teamId: string;
  priority: string;
  statusId: string;
  tags: string;
  body: string;
  macroId: string;
  hours: string;
  message: string;
  key: string;
  value: string;
  webhookId: string;
}
export interface Draft {
  id: string | null;
  name: string;
  enabled: boolean;
  inboxId: string;
  match: 'all' | 'any';
  trigger: TriggerRow;
  conditions: ConditionRow[];
  actions: ActionRow[];
}

/** A stored rule as the API returns it (the generated contract's AutomationRule). */
export type StoredRule = components['schemas']['AutomationRule'];
/** The builder reads any part of a condition, action or trigger and turns it into text fields. */
type Loose = Record<string, unknown>;

export const newCondition = (): ConditionRow => ({ field: 'text', op: 'contains', key: '', value: '', teamId: '' });
export const newAction = (): ActionRow => ({
  type: 'set_priority',
  userId: '',
  teamId: '',
  priority: 'high',
  statusId: '',
  tags: '',
  body: '',
  macroId: '',
  hours: '24',
  message: '',
  key: '',
  value: '',
  webhookId: '',
});
export const newDraft = (): Draft => ({
  id: null,
  name: '',
  enabled: true,
  inboxId: '',
  match: 'all',
  trigger: { type: 'customer_message', toCategory: '', tag: '', hours: '4', category: 'pending', fields: [] },
  conditions: [],
  actions: [newAction()],
});

const s = (v: unknown) => (v === undefined || v === null ? '' : Array.isArray(v) ? v.join(', ') : String(v));
const list = (v: string) =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export function fromRule(r: StoredRule): Draft {
  const t: Loose = r.trigger;
  return {
    id: r.id,
    name: r.name,
    enabled: r.enabled,
    inboxId: r.inboxId ?? '',
    match: r.match,
    trigger: {
      type: t.type as TriggerType,
      toCategory: s(t.toCategory),
      tag: s(t.tag),
      hours: s(t.hours) || '4',
      category: s(t.category) || 'pending',
      fields: Array.isArray(t.fields) ? t.fields.map(String) : [],
    },
    conditions: r.conditions.map((c: Loose) => ({
      field: c.field as Field,
      op: s(c.op) || 'is',
      key: s(c.key),
      value: c.field === 'business_hours' ? s(c.value) : s(c.value),
      teamId: s(c.teamId),
    })),
    actions: r.actions.map((a: Loose) => ({
      ...newAction(),
      type: a.type as ActionType,
      userId: s(a.userId) || (Array.isArray(a.userIds) ? s(a.userIds[0]) : ''),
      teamId: s(a.teamId),
      priority: s(a.priority) || 'high',
      statusId: s(a.statusId),
      tags: s(a.tags),
      body: s(a.body),
      macroId: s(a.macroId),
      hours: s(a.hours) || '24',
      message: s(a.message),
      key: s(a.key),
      value: a.type === 'set_custom_field' && a.value === null ? '' : s(a.value),
      webhookId: s(a.webhookId),
    })),
  };
}

const MULTI: Field[] = ['status', 'priority', 'inbox', 'channel', 'tags', 'text', 'language', 'assignee', 'team'];

/** A typed value for a custom field or attribute: numbers and booleans as such, the rest as text. */
function scalar(v: string, type: string | undefined): string | number | boolean {
  if (type === 'number' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (type === 'boolean' && (v === 'true' || v === 'false')) return v === 'true';
  return v;
}

function condition(c: ConditionRow, fieldTypes: Record<string, string>): Record<string, unknown> {
  if (c.field === 'business_hours') return { field: c.field, teamId: c.teamId, value: c.value || 'open' };
  if (c.field === 'custom_field' || c.field === 'contact_attribute') {
    const noValue = c.op === 'is_set' || c.op === 'is_not_set';
    return {
      field: c.field,
      key: c.key.trim(),
      op: c.op,
      ...(noValue ? {} : { value: scalar(c.value, c.field === 'custom_field' ? fieldTypes[c.key.trim()] : undefined) }),
    };
  }
  if ((c.field === 'assignee' || c.field === 'team') && (c.op === 'is_set' || c.op === 'is_not_set'))
    return { field: c.field, op: c.op };
  const values = c.field === 'text' || c.field === 'language' || c.field === 'tags' ? list(c.value) : [c.value];
  const value = MULTI.includes(c.field) && values.length > 1 ? values : (values[0] ?? '');
  return { field: c.field, op: c.op, value: c.field === 'tags' ? (Array.isArray(value) ? value : value.toLowerCase()) : value };
}

/** A custom field's value typed by the field: numbers, true/false, lists for multi-selects; empty clears it. */
function fieldValue(v: string, type: string | undefined): unknown {
  if (v.trim() === '') return null;
  if (type === 'multi_select') return list(v);
  return scalar(v.trim(), type);
}

function action(a: ActionRow, fieldTypes: Record<string, string>): Record<string, unknown> {
  switch (a.type) {
    case 'assign_agent':
      return { type: a.type, userId: a.userId };
    case 'unassign':
    case 'resolve':
      return { type: a.type };
    case 'route_to_team':
      return { type: a.type, teamId: a.teamId };
    case 'set_priority':
      return { type: a.type, priority: a.priority };
    case 'set_status':
      return { type: a.type, statusId: a.statusId };
    case 'add_tags':
    case 'remove_tags':
      return { type: a.type, tags: list(a.tags.toLowerCase()) };
    case 'add_note':
    case 'send_reply':
      return { type: a.type, body: a.body };
    case 'apply_macro':
      return { type: a.type, macroId: a.macroId };
    case 'snooze':
      return { type: a.type, hours: Number(a.hours) };
    case 'notify':
      return {
        type: a.type,
        ...(a.userId ? { userIds: [a.userId] } : {}),
        ...(a.teamId ? { teamId: a.teamId } : {}),
        message: a.message,
      };
    case 'set_custom_field':
      return { type: a.type, key: a.key, value: fieldValue(a.value, fieldTypes[a.key]) };
    case 'call_webhook':
      return { type: a.type, webhookId: a.webhookId };
  }
}

function trigger(t: TriggerRow): Record<string, unknown> {
  if (t.type === 'status_changed') return { type: t.type, ...(t.toCategory ? { toCategory: t.toCategory } : {}) };
  if (t.type === 'tag_added') return { type: t.type, ...(t.tag.trim() ? { tag: t.tag.trim().toLowerCase() } : {}) };
  if (t.type === 'no_reply_for') return { type: t.type, hours: Number(t.hours) };
  if (t.type === 'in_status_for') return { type: t.type, category: t.category, hours: Number(t.hours) };
  if (t.type === 'conversation_updated') return { type: t.type, ...(t.fields.length ? { fields: t.fields } : {}) };
  return { type: t.type };
}

/** The body of POST/PUT /automation/rules for a draft. */
export function toRule(d: Draft, fieldTypes: Record<string, string> = {}) {
  return {
    name: d.name.trim(),
    enabled: d.enabled,
    inboxId: d.inboxId || null,
    match: d.match,
    trigger: trigger(d.trigger),
    conditions: d.conditions.map((c) => condition(c, fieldTypes)),
    actions: d.actions.map((a) => action(a, fieldTypes)),
  };
}

/** Words for the rules list: "The customer writes", "no reply for 4 h". */
export function describeTrigger(t: StoredRule['trigger']): string {
  const w = strings.automationPage;
  const category = (c: unknown) => strings.common.categories[String(c)] ?? String(c);
  if (t.type === 'no_reply_for') return w.noReplyFor(String(t.hours));
  if (t.type === 'in_status_for') return w.inStatusFor(category(t.category), String(t.hours));
  if (t.type === 'status_changed' && t.toCategory) return w.statusChangesTo(category(t.toCategory).toLowerCase());
  if (t.type === 'tag_added' && t.tag) return w.tagIsAdded(t.tag);
  if (t.type === 'conversation_updated' && Array.isArray(t.fields) && t.fields.length)
    return w.fieldsChange(t.fields.map((f) => w.updateFields[f] ?? f.replaceAll('_', ' ')).join(w.or));
  return w.triggers[t.type] ?? TRIGGERS.find((x) => x.type === t.type)?.label ?? t.type;
}

/** Words for an action in the rules list, with its main value where it is not an id. */
export function describeAction(a: Record<string, unknown>, names: Record<string, string> = {}): string {
  const w = strings.automationPage;
  const label = w.actions[String(a.type)] ?? ACTIONS.find((x) => x.type === a.type)?.label ?? String(a.type);
  if (a.type === 'set_priority')
    return w.priorityTo(strings.priorities[a.priority as keyof typeof strings.priorities] ?? String(a.priority));
  if (a.type === 'add_tags' || a.type === 'remove_tags')
    return (a.type === 'add_tags' ? w.tagWith : w.untag)((a.tags as string[]).join(', '));
  if (a.type === 'snooze') return w.snoozeHours(String(a.hours));
  if (a.type === 'set_custom_field') return a.value === null ? w.clearField(String(a.key)) : `${a.key} → ${s(a.value)}`;
  const ref = (a.userId ?? a.teamId ?? a.statusId ?? a.macroId ?? a.webhookId) as string | undefined;
  return ref && names[ref] ? `${label} ${names[ref]}` : label;
}
