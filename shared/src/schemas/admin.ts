import { z } from 'zod';
import { CustomFieldType, Role, Scope, StatusCategory } from '../enums';
import { Cursor, Id, Limit, Line, Timestamp } from './common';

export const Tag = z
  .object({
    id: Id,
    name: z.string(),
    color: z.string().nullable(),
    conversations: z.number().int().optional().meta({ description: 'How many conversations carry it (in the list)' }),
  })
  .meta({ id: 'Tag' });
export const TagCreate = z
  .strictObject({
    name: Line(60).toLowerCase(),
    color: z
      .string()
      .regex(/^#[0-9a-f]{6}$/i, 'must be #rrggbb')
      .optional(),
  })
  .meta({ id: 'TagCreate' });
export const TagUpdate = z
  .strictObject({
    name: Line(60).toLowerCase().optional(),
    color: z
      .string()
      .regex(/^#[0-9a-f]{6}$/i, 'must be #rrggbb')
      .nullable()
      .optional(),
  })
  .refine((u) => Object.keys(u).length > 0, 'at least one field to change')
  .meta({ id: 'TagUpdate' });
export const TagMerge = z
  .strictObject({ into: Id.meta({ description: 'The tag that stays; conversations with this one get it instead' }) })
  .meta({ id: 'TagMerge' });

export const Status = z
  .object({ id: Id, name: z.string(), category: StatusCategory, position: z.number().int(), isDefault: z.boolean() })
  .meta({ id: 'Status' });
export const StatusCreate = z
  .strictObject({ name: Line(60), category: StatusCategory, position: z.number().int().min(0).max(1000).optional() })
  .meta({ id: 'StatusCreate' });
export const StatusUpdate = z
  .strictObject({
    name: Line(60).optional(),
    position: z.number().int().min(0).max(1000).optional(),
    isDefault: z.literal(true).optional(),
  })
  .meta({ id: 'StatusUpdate' });
/** Deleting a status: its conversations move to `replacementId` (same category); the default needs `newDefaultId`. */
export const StatusDelete = z.strictObject({ replacementId: Id, newDefaultId: Id.optional() }).meta({ id: 'StatusDelete' });
export const StatusDeleteResult = z
  .object({ movedConversations: z.number().int(), replacementId: Id, defaultId: Id })
  .meta({ id: 'StatusDeleteResult' });

/** What a custom field describes: a conversation (default) or a contact. */
export const CustomFieldEntity = z.enum(['conversation', 'contact']).meta({ id: 'CustomFieldEntity' });
export const CustomFieldListQuery = z.strictObject({
  entity: z
    .enum(['conversation', 'contact', 'all'])
    .default('conversation')
    .meta({ description: 'Whose fields to list (default: conversation fields)' }),
});
export const CustomFieldDefinition = z
  .object({
    id: Id,
    key: z.string(),
    label: z.string(),
    type: CustomFieldType,
    options: z.array(z.string()),
    required: z.boolean(),
    customerVisible: z.boolean().meta({ description: "Shown on the customer portal's ticket form" }),
    createdAt: Timestamp,
    entity: CustomFieldEntity,
  })
  .meta({ id: 'CustomFieldDefinition' });
export const CustomFieldCreate = z
  .strictObject({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'lower_snake_case, starting with a letter'),
    label: Line(100),
    type: CustomFieldType,
    options: z.array(Line(200)).max(200).optional(),
    required: z.boolean().optional(),
    customerVisible: z.boolean().optional(),
    entity: CustomFieldEntity.optional().meta({ description: 'Default `conversation`; fixed once created' }),
  })
  .meta({ id: 'CustomFieldCreate' });
export const CustomFieldUpdate = z
  .strictObject({
    label: Line(100).optional(),
    options: z.array(Line(200)).max(200).optional(),
    required: z.boolean().optional(),
    customerVisible: z.boolean().optional(),
  })
  .meta({ id: 'CustomFieldUpdate' });

export const User = z
  .object({
    id: Id,
    email: z.string(),
    name: z.string(),
    role: Role,
    active: z.boolean(),
    createdAt: Timestamp,
    twoFactorEnabled: z.boolean().meta({ description: 'Signs in with a second factor (TOTP)' }),
    avatarUrl: z.string().nullable().meta({ description: 'The profile picture (changes when it does); null: show the initials' }),
  })
  .meta({ id: 'User' });
export const Password = z.string().min(10, 'at least 10 characters').max(200);
export const UserCreate = z
  .strictObject({ email: z.email().max(320).toLowerCase(), name: Line(200), role: Role, password: Password })
  .meta({ id: 'UserCreate' });
export const UserUpdate = z
  .strictObject({ name: Line(200).optional(), role: Role.optional(), active: z.boolean().optional() })
  .meta({ id: 'UserUpdate' });

export const LoginInput = z.strictObject({ email: z.email().max(320).toLowerCase(), password: z.string().min(1).max(200) });
export const PasswordChange = z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: Password });

export const ApiKey = z
  .object({
    id: Id,
    name: z.string(),
    prefix: z.string().meta({ description: 'First characters of the key, to recognize it' }),
    scopes: z.array(Scope),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ApiKey' });
export const ApiKeyCreate = z
  .strictObject({ name: Line(100), scopes: z.array(Scope).min(1).max(20) })
  .meta({ id: 'ApiKeyCreate' });
export const ApiKeyCreated = ApiKey.extend({ key: z.string().meta({ description: 'Shown once; store it now' }) }).meta({
  id: 'ApiKeyCreated',
});

export const AuditEntry = z
  .object({
    id: z.number().int(),
    actor: z.string(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    at: Timestamp,
  })
  .meta({ id: 'AuditEntry' });
export const AuditListQuery = z.strictObject({
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(100).optional(),
  limit: Limit,
  cursor: Cursor,
});

export const Inbox = z
  .object({
    id: Id,
    name: z.string(),
    channel: z.string(),
    websiteToken: z.string().nullable(),
    members: z.array(Id),
    createdAt: Timestamp,
  })
  .meta({ id: 'Inbox' });

export const InboxCreate = z
  .strictObject({
    name: Line(100),
    channel: z.enum(['web', 'email', 'api', 'sms', 'whatsapp', 'messenger', 'social']),
    members: z.array(Id).max(500).optional().meta({ description: 'Agents who work this inbox' }),
  })
  .meta({ id: 'InboxCreate' });
export const InboxUpdate = z
  .strictObject({ name: Line(100).optional(), members: z.array(Id).max(500).optional() })
  .meta({ id: 'InboxUpdate' });
