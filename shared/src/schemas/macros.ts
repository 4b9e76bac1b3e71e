import { z } from 'zod';
import { Priority } from '../enums';
import { Id, Line, Timestamp } from './common';
import { Conversation, CustomFieldValue, TagName } from './conversations';
import { AttachmentInput, Message } from './messages';

// Macros: a reply body plus field changes an agent applies to a conversation in one step.

export const MacroVisibility = z.enum(['shared', 'personal']).meta({ id: 'MacroVisibility' });
export type MacroVisibility = z.infer<typeof MacroVisibility>;

const CustomFieldKey = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'custom field keys are lower_snake_case');

export const MacroAction = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('set_status'), statusId: Id }),
    z.strictObject({ type: z.literal('set_priority'), priority: Priority }),
    z.strictObject({ type: z.literal('add_tags'), tags: z.array(TagName).min(1).max(20) }),
    z.strictObject({ type: z.literal('remove_tags'), tags: z.array(TagName).min(1).max(20) }),
    z.strictObject({
      type: z.literal('assign'),
      assigneeId: z
        .union([Id, z.literal('me'), z.null()])
        .meta({ description: "A user id, 'me' (whoever applies it) or null to unassign" }),
    }),
    z.strictObject({ type: z.literal('set_team'), teamId: Id.nullable() }),
    z.strictObject({ type: z.literal('set_custom_field'), key: CustomFieldKey, value: CustomFieldValue }),
  ])
  .meta({ id: 'MacroAction' });
export type MacroAction = z.infer<typeof MacroAction>;
export const MACRO_ACTION_TYPES = [
  'set_status',
  'set_priority',
  'add_tags',
  'remove_tags',
  'assign',
  'set_team',
  'set_custom_field',
] as const satisfies readonly MacroAction['type'][];

export const MacroInput = z
  .strictObject({
    name: Line(100),
    body: z.string().max(50_000).default('').meta({
      description:
        'Public reply as HTML (sanitized), put in the reply box. Variables: {{contact.name}}, {{contact.first_name}}, {{contact.email}}, {{contact.<attribute>}}, {{conversation.number}}, {{conversation.subject}}, {{conversation.<custom field>}}, {{agent.name}}, {{agent.first_name}}; `{{contact.name | fallback: "there"}}` for a missing value',
    }),
    note: z.string().max(50_000).default('').meta({
      description: 'Internal note as HTML, posted as a note when the macro is applied (never in the reply); same variables',
    }),
    shortcut: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,29}$/, 'lower-case letters, digits, - and _ (the word after / in the composer)')
      .nullable()
      .default(null),
    actions: z.array(MacroAction).max(20).default([]),
    visibility: MacroVisibility.default('personal'),
    attachments: z.array(AttachmentInput).max(10).default([]).meta({
      description:
        'Files attached to the reply when the macro is applied: uploads you made (POST /uploads) or files the macro has',
    }),
  })
  .meta({ id: 'MacroInput' });
export type MacroInput = z.input<typeof MacroInput>;

export const Macro = z
  .object({
    id: Id,
    name: z.string(),
    bodyHtml: z.string(),
    noteHtml: z.string(),
    shortcut: z.string().nullable(),
    actions: z.array(MacroAction),
    visibility: MacroVisibility,
    ownerId: Id.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    useCount: z.number().int().meta({ description: 'How often it was applied' }),
    attachments: z.array(AttachmentInput),
  })
  .meta({ id: 'Macro' });
export type Macro = z.infer<typeof Macro>;

export const MacroApplyResult = z
  .object({
    bodyHtml: z.string().meta({ description: 'The public reply with its variables filled in, to put in the reply box' }),
    note: Message.nullable().meta({ description: 'The internal note the macro posted, if it has one' }),
    missing: z
      .array(z.string())
      .meta({ description: 'Variables without a value and without a fallback (rendered empty): check the reply' }),
    conversation: Conversation,
    attachments: z.array(AttachmentInput).meta({
      description: "The macro's files, copied for you: send them as the reply's attachments",
    }),
  })
  .meta({ id: 'MacroApplyResult' });
export type MacroApplyResult = z.infer<typeof MacroApplyResult>;

export const MacroUse = z.object({ userId: Id.nullable(), conversationId: Id, usedAt: Timestamp }).meta({ id: 'MacroUse' });
export type MacroUse = z.infer<typeof MacroUse>;
