import { z } from 'zod';

import { AUTHOR_KINDS, CHANNELS, CUSTOM_FIELD_TYPES, PRIORITIES, ROLES, STATUS_CATEGORIES } from './enum-values';

// Every enum the product speaks, once: the lists are in enum-values.ts (zod-free, for browser bundles),
// the schemas here. Server, web and widget import these; the DB stores the same strings.

export * from './enum-values';

export const Priority = z.enum(PRIORITIES).meta({ id: 'Priority' });
export type Priority = z.infer<typeof Priority>;

export const StatusCategory = z.enum(STATUS_CATEGORIES).meta({ id: 'StatusCategory' });
export type StatusCategory = z.infer<typeof StatusCategory>;

export const AuthorKind = z.enum(AUTHOR_KINDS).meta({ id: 'AuthorKind' });
export type AuthorKind = z.infer<typeof AuthorKind>;

export const Role = z.enum(ROLES).meta({ id: 'Role' });
export type Role = z.infer<typeof Role>;

export const Channel = z.enum(CHANNELS).meta({ id: 'Channel' });
export type Channel = z.infer<typeof Channel>;

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
  'reports:read',
  'admin',
] as const;
export const Scope = z.enum(SCOPES).meta({ id: 'Scope' });
export type Scope = z.infer<typeof Scope>;

/** What each role may do when it acts through a session (API keys carry their own scopes). */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  admin: SCOPES,
  supervisor: [
    'conversations:read',
    'conversations:write',
    'contacts:read',
    'contacts:write',
    'kb:read',
    'kb:write',
    'reports:read',
  ],
  agent: ['conversations:read', 'conversations:write', 'contacts:read', 'contacts:write', 'kb:read', 'reports:read'],
};
