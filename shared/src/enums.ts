import { z } from 'zod';

// Every enum the product speaks, once. Server, web and widget import these; the DB stores the same strings.

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const Priority = z.enum(PRIORITIES).meta({ id: 'Priority' });
export type Priority = z.infer<typeof Priority>;

/** Sort rank of a priority (urgent first when sorting descending). */
export const PRIORITY_RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

export const STATUS_CATEGORIES = ['open', 'pending', 'resolved', 'closed'] as const;
export const StatusCategory = z.enum(STATUS_CATEGORIES).meta({ id: 'StatusCategory' });
export type StatusCategory = z.infer<typeof StatusCategory>;

export const AUTHOR_KINDS = ['contact', 'agent', 'bot', 'system'] as const;
export const AuthorKind = z.enum(AUTHOR_KINDS).meta({ id: 'AuthorKind' });
export type AuthorKind = z.infer<typeof AuthorKind>;

export const ROLES = ['admin', 'supervisor', 'agent'] as const;
export const Role = z.enum(ROLES).meta({ id: 'Role' });
export type Role = z.infer<typeof Role>;

export const CHANNELS = ['web', 'email', 'api', 'sms', 'whatsapp', 'social'] as const;
export const Channel = z.enum(CHANNELS).meta({ id: 'Channel' });
export type Channel = z.infer<typeof Channel>;

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'boolean', 'date', 'single_select', 'multi_select'] as const;
export const CustomFieldType = z.enum(CUSTOM_FIELD_TYPES).meta({ id: 'CustomFieldType' });
export type CustomFieldType = z.infer<typeof CustomFieldType>;

/**
 * API key scopes. `admin` is a superset of every other scope; a key never does more than its scopes.
 */
export const SCOPES = [
  'conversations:read',
  'conversations:write',
  'contacts:read',
  'contacts:write',
  'kb:read',
  'kb:write',
  'webhooks:manage',
  'admin',
] as const;
export const Scope = z.enum(SCOPES).meta({ id: 'Scope' });
export type Scope = z.infer<typeof Scope>;

/** What each role may do when it acts through a session (API keys carry their own scopes). */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  admin: SCOPES,
  supervisor: ['conversations:read', 'conversations:write', 'contacts:read', 'contacts:write', 'kb:read', 'kb:write'],
  agent: ['conversations:read', 'conversations:write', 'contacts:read', 'contacts:write', 'kb:read'],
};
