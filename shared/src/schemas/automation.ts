import { z } from 'zod';
import { StatusCategory } from '../enums';
import { Id, Line, Timestamp } from './common';
import { RuleAction, RuleCondition, ruleItemsInput } from './rules';

// Automation rules on the wire (REST API v1 and the builder in the settings): a trigger, conditions in
// the routing rules' condition language and actions. Conditions and actions are checked by the server
// when a rule is saved (fields, types, references), with each error naming its place.

/** What starts a rule: an event, or time passing since one (checked by a worker). */
export const AUTOMATION_TRIGGERS = [
  'conversation_created',
  'customer_message',
  'agent_message',
  'status_changed',
  'assigned',
  'unassigned',
  'tag_added',
  'reopened',
  'snooze_ended',
  'sla_warning',
  'sla_breached',
  'conversation_updated',
  'no_reply_for',
  'in_status_for',
] as const;
export type AutomationTriggerType = (typeof AUTOMATION_TRIGGERS)[number];

/**
 * What a "conversation updated" trigger watches. Status and assignee changes have triggers of their own
 * (status changed, assigned, unassigned), so they do not start this one.
 */
export const CONVERSATION_UPDATE_FIELDS = ['priority', 'team', 'tags', 'custom_fields', 'subject'] as const;
export type ConversationUpdateField = (typeof CONVERSATION_UPDATE_FIELDS)[number];

const Hours = z
  .number()
  .min(0.25)
  .max(24 * 365)
  .meta({ description: 'Hours (fractions allowed, at least 0.25)' });

export const AutomationTrigger = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.enum([
        'conversation_created',
        'customer_message',
        'agent_message',
        'assigned',
        'unassigned',
        'reopened',
        'snooze_ended',
        'sla_warning',
        'sla_breached',
      ]),
    }),
    z.strictObject({
      type: z.literal('status_changed'),
      toCategory: StatusCategory.optional().meta({ description: 'Only changes into this category' }),
    }),
    z.strictObject({
      type: z.literal('tag_added'),
      tag: z.string().trim().toLowerCase().min(1).max(60).optional().meta({ description: 'Only when this tag is added' }),
    }),
    z.strictObject({
      type: z.literal('conversation_updated'),
      fields: z
        .array(z.enum(CONVERSATION_UPDATE_FIELDS))
        .min(1)
        .max(CONVERSATION_UPDATE_FIELDS.length)
        .optional()
        .meta({ description: 'Only when one of these changed (absent: any of them)' }),
    }),
    z.strictObject({
      type: z.literal('no_reply_for'),
      hours: Hours.meta({ description: 'The customer has waited this long for a public reply' }),
    }),
    z.strictObject({
      type: z.literal('in_status_for'),
      category: StatusCategory,
      hours: Hours.meta({ description: 'The conversation has been in a status of this category this long' }),
    }),
  ])
  .meta({ id: 'AutomationTrigger' });
export type AutomationTrigger = z.infer<typeof AutomationTrigger>;

export const AutomationRuleInput = z
  .strictObject({
    name: Line(100),
    position: z.number().int().min(0).max(100_000).optional(),
    enabled: z.boolean().optional(),
    inboxId: Id.nullable().optional().meta({ description: 'Only conversations of this inbox; null or absent: every inbox' }),
    trigger: AutomationTrigger,
    match: z.enum(['all', 'any']).optional(),
    conditions: ruleItemsInput(RuleCondition, {
      max: 50,
      description:
        'Any condition field, status, assignee and team included. Checked when the rule is saved; an error names the rule and the condition.',
    }),
    actions: ruleItemsInput(RuleAction, {
      min: 1,
      max: 20,
      description:
        'Every action type except require_skill (a routing action). set_custom_field\'s value is checked against the field\'s type (null clears it); call_webhook sends a signed POST `{type: "automation.rule_fired", timestamp, data: {rule, firingId, trigger, conversation}}` to that endpoint of /webhooks, through the webhook delivery queue, with retries. Checked when the rule is saved; an error names the rule and the action.',
    }),
  })
  .meta({ id: 'AutomationRuleInput' });
export type AutomationRuleInput = z.infer<typeof AutomationRuleInput>;

export const AutomationFiring = z
  .object({
    id: z.string(),
    ruleId: Id.nullable(),
    ruleName: z.string(),
    conversationId: Id,
    eventType: z.string(),
    depth: z.number().int(),
    actions: z.array(z.unknown()),
    result: z.enum(['ok', 'error', 'skipped']),
    error: z.string().nullable(),
    firedAt: Timestamp,
  })
  .meta({ id: 'AutomationFiring' });
export type AutomationFiring = z.infer<typeof AutomationFiring>;

export const AutomationRule = z
  .object({
    id: Id,
    name: z.string(),
    position: z.number().int(),
    enabled: z.boolean(),
    inboxId: Id.nullable(),
    trigger: AutomationTrigger,
    match: z.enum(['all', 'any']),
    conditions: z.array(RuleCondition),
    actions: z.array(RuleAction),
    lastFiredAt: Timestamp.nullable().meta({ description: 'When the rule last fired (any result)' }),
    lastResult: z.enum(['ok', 'error', 'skipped']).nullable(),
  })
  .meta({ id: 'AutomationRule' });
export type AutomationRule = z.infer<typeof AutomationRule>;
