import { z } from 'zod';
import { Channel, Priority } from '../enums';
import { Id, Line, Timestamp } from './common';
import { RuleAction, RuleCondition, ruleItemsInput } from './rules';

// Routing settings and state as they travel on the wire (REST API v1 and the settings page).

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time as HH:MM');
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as Europe/Berlin')
  .meta({ example: 'Europe/Berlin' });

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const Weekday = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof Weekday>;
export const TimeRange = z.strictObject({ start: HHMM, end: HHMM });
export const BusinessHours = z.partialRecord(Weekday, z.array(TimeRange).max(6)).meta({
  id: 'BusinessHours',
  description: 'Opening hours per weekday in the team time zone; an empty object means always open, a missing day closed',
});
export type BusinessHours = z.infer<typeof BusinessHours>;

export const Holiday = z.strictObject({ date: z.iso.date(), name: z.string().max(200).default('') });

export const Team = z
  .object({
    id: Id,
    name: z.string(),
    timeZone: z.string(),
    businessHours: BusinessHours,
    holidays: z.array(z.object({ date: z.string(), name: z.string() })),
    overflow: z.object({
      afterMinutes: z.number().int().nullable(),
      teamId: Id.nullable(),
      relaxSkills: z.boolean(),
    }),
    members: z.array(z.object({ userId: Id, name: z.string(), isLead: z.boolean() })),
  })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof Team>;

const Overflow = z.strictObject({
  afterMinutes: z.number().int().min(1).max(10_080).nullable().optional(),
  teamId: Id.nullable().optional(),
  relaxSkills: z.boolean().optional(),
});
export const TeamCreate = z
  .strictObject({
    name: Line(100),
    timeZone: TimeZone.optional(),
    businessHours: BusinessHours.optional(),
    holidays: z.array(Holiday).max(366).optional(),
    overflow: Overflow.optional(),
    members: z
      .array(z.strictObject({ userId: Id, isLead: z.boolean().optional() }))
      .max(500)
      .optional(),
  })
  .meta({ id: 'TeamCreate' });
export type TeamCreate = z.infer<typeof TeamCreate>;
export const TeamUpdate = TeamCreate.partial().meta({ id: 'TeamUpdate' });
export type TeamUpdate = z.infer<typeof TeamUpdate>;

export const SkillKind = z.enum(['language', 'product', 'other']);
export const Skill = z.object({ id: Id, name: z.string(), kind: SkillKind, code: z.string().nullable() }).meta({ id: 'Skill' });
export type Skill = z.infer<typeof Skill>;
export const SkillCreate = z
  .strictObject({
    name: Line(100),
    kind: SkillKind.optional(),
    code: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'a language code such as en or pt-BR')
      .optional()
      .meta({ description: 'For language skills: the language code conversations carry' }),
  })
  .meta({ id: 'SkillCreate' });
export type SkillCreate = z.infer<typeof SkillCreate>;

export const AgentSkill = z.object({ skillId: Id, level: z.number().int().min(1).max(5) });
export const Shift = z.strictObject({
  weekday: Weekday,
  start: HHMM,
  end: HHMM,
  timeZone: TimeZone.optional(),
});
export const AgentRouting = z
  .object({
    userId: Id,
    name: z.string(),
    skills: z.array(AgentSkill.extend({ name: z.string() })),
    shifts: z.array(Shift.extend({ timeZone: z.string() })),
    capacity: z.object({ max: z.number().int(), perChannel: z.record(z.string(), z.number().int()) }),
    presence: z.enum(['online', 'away', 'offline']),
    load: z.number().int(),
    lastAssignedAt: Timestamp.nullable(),
  })
  .meta({ id: 'AgentRouting' });
export type AgentRouting = z.infer<typeof AgentRouting>;
export const AgentRoutingUpdate = z
  .strictObject({
    skills: z.array(AgentSkill).max(100).optional(),
    shifts: z.array(Shift).max(50).optional().meta({ description: 'Replace all shifts; none means on shift whenever online' }),
    capacity: z
      .strictObject({
        max: z.number().int().min(0).max(1000),
        perChannel: z.partialRecord(Channel, z.number().int().min(0).max(1000)).optional(),
      })
      .optional(),
  })
  .meta({ id: 'AgentRoutingUpdate' });
export type AgentRoutingUpdate = z.infer<typeof AgentRoutingUpdate>;

/**
 * A rule as sent by a client. Conditions and actions are checked by the server when the rule is saved
 * (field names, value types, referenced teams/skills/agents, loops between rules), with errors naming
 * the rule and the offending condition or action.
 */
export const RoutingRuleInput = z
  .strictObject({
    name: Line(100),
    position: z.number().int().min(0).max(100_000).optional(),
    enabled: z.boolean().optional(),
    match: z.enum(['all', 'any']).optional(),
    conditions: ruleItemsInput(RuleCondition, {
      max: 50,
      description:
        'Routing reads inbox, channel, tags, priority, language, custom_field, text, contact_attribute and business_hours (status, assignee and team are meant for automation rules). Checked when the rule is saved; an error names the rule and the condition.',
    }),
    actions: ruleItemsInput(RuleAction, {
      min: 1,
      max: 20,
      description:
        'Routing takes route_to_team, require_skill, set_priority, add_tags, assign_agent and apply_macro (the rest are automation actions). Checked when the rule is saved; an error names the rule and the action.',
    }),
  })
  .meta({ id: 'RoutingRuleInput' });
export type RoutingRuleInput = z.infer<typeof RoutingRuleInput>;
export const RoutingRule = z
  .object({
    id: Id,
    name: z.string(),
    position: z.number().int(),
    enabled: z.boolean(),
    match: z.enum(['all', 'any']),
    conditions: z.array(RuleCondition),
    actions: z.array(RuleAction),
  })
  .meta({ id: 'RoutingRule' });
export type RoutingRule = z.infer<typeof RoutingRule>;

export const SlaPolicyInput = z
  .strictObject({
    name: Line(100),
    priority: Priority,
    inboxId: Id.nullable().optional(),
    tag: z.string().trim().toLowerCase().min(1).max(60).nullable().optional(),
    firstResponseMinutes: z.number().int().min(1).max(525_600).nullable().optional(),
    nextResponseMinutes: z.number().int().min(1).max(525_600).nullable().optional(),
    resolutionMinutes: z.number().int().min(1).max(525_600).nullable().optional(),
    businessHours: z.boolean().optional().meta({ description: "Count only the conversation team's business hours" }),
    warningMinutes: z.number().int().min(0).max(10_080).optional(),
    breachRaisePriority: z.boolean().optional(),
    breachReassign: z.boolean().optional(),
  })
  .meta({ id: 'SlaPolicyInput' });
export type SlaPolicyInput = z.infer<typeof SlaPolicyInput>;
export const SlaPolicy = z
  .object({
    id: Id,
    name: z.string(),
    priority: Priority,
    inboxId: Id.nullable(),
    tag: z.string().nullable(),
    firstResponseMinutes: z.number().int().nullable(),
    nextResponseMinutes: z.number().int().nullable(),
    resolutionMinutes: z.number().int().nullable(),
    businessHours: z.boolean(),
    warningMinutes: z.number().int(),
    breachRaisePriority: z.boolean(),
    breachReassign: z.boolean(),
  })
  .meta({ id: 'SlaPolicy' });
export type SlaPolicy = z.infer<typeof SlaPolicy>;

export const RoutingSettings = z
  .strictObject({
    rerouteOfflineAfterMinutes: z.number().int().min(1).max(1440),
    defaultCapacity: z.number().int().min(0).max(1000),
    defaultHandleMinutes: z.number().int().min(1).max(1440),
  })
  .meta({ id: 'RoutingSettings' });
export type RoutingSettings = z.infer<typeof RoutingSettings>;

export const QueueEntry = z
  .object({
    conversationId: Id,
    number: z.number().int(),
    teamId: Id.nullable(),
    priority: Priority,
    queuedAt: Timestamp,
    position: z.number().int(),
    estimatedWaitMinutes: z.number().int().nullable(),
  })
  .meta({ id: 'QueueEntry' });
export type QueueEntry = z.infer<typeof QueueEntry>;

/** A conversation's SLA: its policy, state and due times, and the targets it missed. */
const SlaStatus = z.object({
  policyId: Id.nullable(),
  state: z.enum(['none', 'ok', 'warning', 'breached', 'met']),
  firstResponseDueAt: Timestamp.nullable(),
  nextResponseDueAt: Timestamp.nullable(),
  resolutionDueAt: Timestamp.nullable(),
  breached: z.array(z.string()),
});

export const ConversationRouting = z
  .object({
    conversationId: Id,
    state: z.enum(['new', 'queued', 'assigned', 'done']),
    teamId: Id.nullable(),
    language: z.string().nullable(),
    requiredSkills: z.array(z.object({ skillId: Id, minLevel: z.number().int() })),
    queue: z.object({ position: z.number().int(), estimatedWaitMinutes: z.number().int().nullable() }).nullable(),
    queuedAt: Timestamp.nullable(),
    overflowedAt: Timestamp.nullable(),
    rulesFired: z.array(z.object({ ruleId: Id.nullable(), name: z.string(), actions: z.array(z.unknown()), at: Timestamp })),
    sla: SlaStatus,
  })
  .meta({ id: 'ConversationRouting' });
export type ConversationRouting = z.infer<typeof ConversationRouting>;

/** SLA state of one conversation, as the batch endpoint returns it for lists and boards. */
export const ConversationSla = z.object({ conversationId: Id, ...SlaStatus.shape }).meta({ id: 'ConversationSla' });
export type ConversationSla = z.infer<typeof ConversationSla>;

export const ConversationRoutingUpdate = z
  .strictObject({
    language: z.string().min(2).max(10).nullable().optional(),
    requiredSkills: z
      .array(z.strictObject({ skillId: Id, minLevel: z.number().int().min(1).max(5).optional() }))
      .max(20)
      .optional(),
    teamId: Id.nullable().optional(),
  })
  .meta({ id: 'ConversationRoutingUpdate' });
export type ConversationRoutingUpdate = z.infer<typeof ConversationRoutingUpdate>;
