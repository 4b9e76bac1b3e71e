// The automation builder's rows and their conversion to and from the API's rule (see
// shared/src/schemas/automation.ts and the routing rules' condition language). The page edits rows of
// plain strings; `toRule` turns them into the body the API checks.

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
  { type: 'no_reply_for', label: 'The customer has had no reply for…' },
  { type: 'in_status_for', label: 'The conversation has been in a status for…' },
] as const;
export type TriggerType = (typeof TRIGGERS)[number]['type'];

export const CATEGORIES = ['open', 'pending', 'resolved', 'closed'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const CHANNELS = ['web', 'email', 'api', 'sms', 'social'] as const;

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

export const OP_LABEL: Record<string, string> = {
  is: 'is',
  is_not: 'is not',
  at_least: 'is at least',
  includes: 'include',
  excludes: 'do not include',
  contains: 'contains',
  not_contains: 'does not contain',
  equals: 'equals',
  not_equals: 'does not equal',
  gt: 'is greater than',
  lt: 'is less than',
  is_set: 'is set',
  is_not_set: 'is not set',
};

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
] as const;
export type ActionType = (typeof ACTIONS)[number]['type'];

export interface TriggerRow {
  type: TriggerType;
  toCategory: string;
  tag: string;
  hours: string;
  category: string;
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

/** What a stored rule looks like to the page (the API's AutomationRule). */
export interface StoredRule {
  id: string;
  name: string;
  enabled: boolean;
  inboxId: string | null;
  trigger: Record<string, unknown> & { type: string };
  match: 'all' | 'any';
  conditions: Record<string, unknown>[];
  actions: Record<string, unknown>[];
}

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
});
export const newDraft = (): Draft => ({
  id: null,
  name: '',
  enabled: true,
  inboxId: '',
  match: 'all',
  trigger: { type: 'customer_message', toCategory: '', tag: '', hours: '4', category: 'pending' },
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
  const t = r.trigger;
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
    },
    conditions: r.conditions.map((c) => ({
      field: c.field as Field,
      op: s(c.op) || 'is',
      key: s(c.key),
      value: c.field === 'business_hours' ? s(c.value) : s(c.value),
      teamId: s(c.teamId),
    })),
    actions: r.actions.map((a) => ({
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

function action(a: ActionRow): Record<string, unknown> {
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
  }
}

function trigger(t: TriggerRow): Record<string, unknown> {
  if (t.type === 'status_changed') return { type: t.type, ...(t.toCategory ? { toCategory: t.toCategory } : {}) };
  if (t.type === 'tag_added') return { type: t.type, ...(t.tag.trim() ? { tag: t.tag.trim().toLowerCase() } : {}) };
  if (t.type === 'no_reply_for') return { type: t.type, hours: Number(t.hours) };
  if (t.type === 'in_status_for') return { type: t.type, category: t.category, hours: Number(t.hours) };
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
    actions: d.actions.map(action),
  };
}

/** Words for the rules list: "The customer writes", "no reply for 4 h". */
export function describeTrigger(t: StoredRule['trigger']): string {
  if (t.type === 'no_reply_for') return `No reply for ${t.hours} h`;
  if (t.type === 'in_status_for') return `${String(t.category)[0]?.toUpperCase()}${String(t.category).slice(1)} for ${t.hours} h`;
  if (t.type === 'status_changed' && t.toCategory) return `Status changes to ${t.toCategory}`;
  if (t.type === 'tag_added' && t.tag) return `Tag "${t.tag}" is added`;
  return TRIGGERS.find((x) => x.type === t.type)?.label ?? t.type;
}

/** Words for an action in the rules list, with its main value where it is not an id. */
export function describeAction(a: Record<string, unknown>, names: Record<string, string> = {}): string {
  const label = ACTIONS.find((x) => x.type === a.type)?.label ?? String(a.type);
  if (a.type === 'set_priority') return `Priority → ${a.priority}`;
  if (a.type === 'add_tags' || a.type === 'remove_tags')
    return `${a.type === 'add_tags' ? 'Tag' : 'Untag'} ${(a.tags as string[]).join(', ')}`;
  if (a.type === 'snooze') return `Snooze ${a.hours} h`;
  const ref = (a.userId ?? a.teamId ?? a.statusId ?? a.macroId) as string | undefined;
  return ref && names[ref] ? `${label} ${names[ref]}` : label;
}
