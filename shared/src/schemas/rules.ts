import { z } from 'zod';
import { CHANNELS, PRIORITIES, STATUS_CATEGORIES } from '../enum-values';

// The condition and action language of routing and automation rules, written once: the server parses
// a saved rule with these (domain/routing/validate-rules.ts checks the field or type name first, so an
// unknown one gets its own clear message instead of a generic union error, then runs the one schema),
// and the rules the API returns are declared with the unions below, so the generated contract
// (shared/src/generated/api-v1.d.ts) types them for web/ too.

const Uuid = z.uuid();
const Str = z.string().min(1).max(500);

export const RULE_CONDITION_FIELDS = [
  'inbox',
  'channel',
  'tags',
  'priority',
  'language',
  'custom_field',
  'text',
  'contact_attribute',
  'business_hours',
  // Read by automation rules (routing runs before a conversation has a history worth testing).
  'status',
  'assignee',
  'team',
] as const;
export type RuleConditionField = (typeof RULE_CONDITION_FIELDS)[number];

/** The members of a schema map as the tuple `z.discriminatedUnion` takes. */
type UnionOf<M extends Record<string, z.ZodType>> = [M[keyof M], ...M[keyof M][]] & readonly z.core.$ZodTypeDiscriminable[];

const oneOrMany = <T extends z.ZodType>(t: T) => z.union([t, z.array(t).min(1).max(100)]);

export const RULE_CONDITION_SCHEMAS = {
  inbox: z.strictObject({ field: z.literal('inbox'), op: z.enum(['is', 'is_not']), value: oneOrMany(Uuid) }),
  channel: z.strictObject({ field: z.literal('channel'), op: z.enum(['is', 'is_not']), value: oneOrMany(z.enum(CHANNELS)) }),
  tags: z.strictObject({
    field: z.literal('tags'),
    op: z.enum(['includes', 'excludes']),
    value: oneOrMany(z.string().trim().toLowerCase().min(1).max(60)),
  }),
  priority: z.strictObject({
    field: z.literal('priority'),
    op: z.enum(['is', 'is_not', 'at_least']),
    value: oneOrMany(z.enum(PRIORITIES)),
  }),
  language: z.strictObject({
    field: z.literal('language'),
    op: z.enum(['is', 'is_not']),
    value: oneOrMany(z.string().min(2).max(10)),
  }),
  custom_field: z.strictObject({
    field: z.literal('custom_field'),
    key: z.string().min(1).max(63),
    op: z.enum(['equals', 'not_equals', 'contains', 'gt', 'lt', 'is_set', 'is_not_set']),
    value: z.union([z.string().max(500), z.number(), z.boolean()]).optional(),
  }),
  text: z.strictObject({ field: z.literal('text'), op: z.enum(['contains', 'not_contains']), value: oneOrMany(Str) }),
  contact_attribute: z.strictObject({
    field: z.literal('contact_attribute'),
    key: z.string().min(1).max(64),
    op: z.enum(['equals', 'not_equals', 'contains', 'is_set', 'is_not_set']),
    value: z.union([z.string().max(500), z.number(), z.boolean()]).optional(),
  }),
  business_hours: z.strictObject({ field: z.literal('business_hours'), teamId: Uuid, value: z.enum(['open', 'closed']) }),
  status: z.strictObject({
    field: z.literal('status'),
    op: z.enum(['is', 'is_not']),
    value: oneOrMany(z.enum(STATUS_CATEGORIES)),
  }),
  assignee: z.strictObject({
    field: z.literal('assignee'),
    op: z.enum(['is', 'is_not', 'is_set', 'is_not_set']),
    value: oneOrMany(Uuid).optional(),
  }),
  team: z.strictObject({
    field: z.literal('team'),
    op: z.enum(['is', 'is_not', 'is_set', 'is_not_set']),
    value: oneOrMany(Uuid).optional(),
  }),
} satisfies Record<RuleConditionField, z.ZodType>;

/** One condition of a rule, as stored and as the API returns it. */
export const RuleCondition = z
  .discriminatedUnion('field', Object.values(RULE_CONDITION_SCHEMAS) as unknown as UnionOf<typeof RULE_CONDITION_SCHEMAS>)
  .meta({ id: 'RuleCondition' });
export type RuleCondition = { [K in RuleConditionField]: z.infer<(typeof RULE_CONDITION_SCHEMAS)[K]> }[RuleConditionField];

export const RULE_ACTION_TYPES = [
  'route_to_team',
  'require_skill',
  'set_priority',
  'add_tags',
  'assign_agent',
  'apply_macro',
  // Automation only: routing decides who gets a new conversation, automation acts on one later.
  'unassign',
  'set_status',
  'resolve',
  'remove_tags',
  'add_note',
  'send_reply',
  'snooze',
  'notify',
  'set_custom_field',
  'call_webhook',
] as const;
export type RuleActionType = (typeof RULE_ACTION_TYPES)[number];

/** The actions routing rules may take (the rest need a conversation past intake). */
export const ROUTING_RULE_ACTION_TYPES = [
  'route_to_team',
  'require_skill',
  'set_priority',
  'add_tags',
  'assign_agent',
  'apply_macro',
] as const satisfies readonly RuleActionType[];
export const AUTOMATION_RULE_ACTION_TYPES = RULE_ACTION_TYPES.filter((t) => t !== 'require_skill');

const Body = z.string().trim().min(1).max(5000);

export const RULE_ACTION_SCHEMAS = {
  route_to_team: z.strictObject({ type: z.literal('route_to_team'), teamId: Uuid }),
  require_skill: z.strictObject({
    type: z.literal('require_skill'),
    skillId: Uuid,
    minLevel: z.number().int().min(1).max(5).optional(),
  }),
  set_priority: z.strictObject({ type: z.literal('set_priority'), priority: z.enum(PRIORITIES) }),
  add_tags: z.strictObject({
    type: z.literal('add_tags'),
    tags: z.array(z.string().trim().toLowerCase().min(1).max(60)).min(1).max(20),
  }),
  assign_agent: z.strictObject({ type: z.literal('assign_agent'), userId: Uuid }),
  apply_macro: z.strictObject({ type: z.literal('apply_macro'), macroId: Uuid }),
  unassign: z.strictObject({ type: z.literal('unassign') }),
  set_status: z.strictObject({ type: z.literal('set_status'), statusId: Uuid }),
  resolve: z.strictObject({ type: z.literal('resolve') }),
  remove_tags: z.strictObject({
    type: z.literal('remove_tags'),
    tags: z.array(z.string().trim().toLowerCase().min(1).max(60)).min(1).max(20),
  }),
  add_note: z.strictObject({ type: z.literal('add_note'), body: Body }),
  send_reply: z.strictObject({ type: z.literal('send_reply'), body: Body }),
  snooze: z.strictObject({
    type: z.literal('snooze'),
    hours: z
      .number()
      .min(0.25)
      .max(24 * 365),
  }),
  notify: z.strictObject({
    type: z.literal('notify'),
    userIds: z.array(Uuid).max(20).optional(),
    teamId: Uuid.optional(),
    message: z.string().trim().min(1).max(300),
  }),
  // The value is checked against the field's type when the rule is saved (and again when it runs).
  set_custom_field: z.strictObject({
    type: z.literal('set_custom_field'),
    key: z.string().min(1).max(63),
    value: z.union([z.string().max(500), z.number(), z.boolean(), z.array(z.string().max(500)).max(50), z.null()]),
  }),
  // A webhook endpoint of Settings → Webhooks: its URL (checked by the SSRF guard) and signing secret.
  call_webhook: z.strictObject({ type: z.literal('call_webhook'), webhookId: Uuid }),
} satisfies Record<RuleActionType, z.ZodType>;

/** One action of a rule, as stored and as the API returns it. */
export const RuleAction = z
  .discriminatedUnion('type', Object.values(RULE_ACTION_SCHEMAS) as unknown as UnionOf<typeof RULE_ACTION_SCHEMAS>)
  .meta({ id: 'RuleAction' });
export type RuleAction = { [K in RuleActionType]: z.infer<(typeof RULE_ACTION_SCHEMAS)[K]> }[RuleActionType];

/**
 * A rule's conditions or actions as a client sends them. The document types each item with the shared
 * union above, but the request checks only the list: the server parses every item itself when the rule
 * is saved (server/src/domain/routing/validate-rules.ts), so that an error names the rule and the exact
 * condition or action, where a union's error would only say that no variant matched.
 */
export function ruleItemsInput(
  item: typeof RuleCondition | typeof RuleAction,
  props: { min?: number; max: number; description: string },
) {
  const { min, max, description } = props;
  const list = z.array(z.record(z.string(), z.unknown())).max(max);
  // `type` makes the generator take this description of the list as it is (no schema of its own).
  return (min ? list.min(min) : list).meta({
    type: 'array',
    items: { $ref: `#/components/schemas/${item.meta()?.id}` },
    ...(min ? { minItems: min } : {}),
    maxItems: max,
    description,
  });
}
