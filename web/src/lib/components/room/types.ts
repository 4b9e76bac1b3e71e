import type { components } from '@autocrm/shared/api-types';

/**
 * The room's shapes, named once from the generated API contract (shared/src/generated/api-v1.d.ts):
 * what GET /conversations/{id} and its neighbours answer, never retyped by hand.
 */
type Schemas = components['schemas'];
export type Conversation = Schemas['Conversation'];
export type Message = Schemas['Message'];
export type Contact = Schemas['Contact'];
export type User = Schemas['User'];
export type Status = Schemas['Status'];
export type Team = Schemas['Team'];
export type Tag = Schemas['Tag'];
export type CustomFieldDefinition = Schemas['CustomFieldDefinition'];
export type Macro = Schemas['Macro'];
export type AgentAssist = Schemas['AgentAssist'];
export type StatusChange = Schemas['StatusChange'];
/** The mail thread as EmailPanel and EmailStatus hold it (the generated one types `cc` entries as nullable). */
export type { EmailThread } from '@autocrm/shared';
