import { z } from 'zod';
import { Priority } from '../enums';
import { Id, Line, Timestamp } from './common';
import { Conversation, CustomFieldValue, TagName } from './conversations';

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
    body: z.string().max(50_000).default('').meta({ description: 'Reply body as HTML; sanitized by the server' }),
    actions: z.array(MacroAction).max(20).default([]),
    visibility: MacroVisibility.default('personal'),
  })
  .meta({ id: 'MacroInput' });
export type MacroInput = z.input<typeof MacroInput>;

export const Macro = z
  .object({
    id: Id,
    name: z.string(),
    bodyHtml: z.string(),
    actions: z.array(MacroAction),
    visibility: MacroVisibility,
    ownerId: Id.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Macro' });
export type Macro = z.infer<typeof Macro>;

export const MacroApplyResult = z
  .object({
    bodyHtml: z.string().meta({ description: 'The macro body, to put in the reply box' }),
    conversation: Conversation,
  })
  .meta({ id: 'MacroApplyResult' });
