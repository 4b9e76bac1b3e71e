import type { components } from '@autocrm/shared/api-types';

// The one list of short names for the generated contract's types (shared/src/generated), for the room's
// components, the queue, the supervisor and knowledge-base pages: each is the schema's own type under its
// own name, nothing more. New code may as well take its types from the typed client
// (web/src/lib/server/client.ts) or `components['schemas']` directly; nothing here writes a shape of the API.

type Schemas = components['schemas'];
export type Conversation = Schemas['Conversation'];
export type Message = Schemas['Message'];
export type Contact = Schemas['Contact'];
export type User = Schemas['User'];
export type Status = Schemas['Status'];
export type StatusChange = Schemas['StatusChange'];
export type Team = Schemas['Team'];
export type Tag = Schemas['Tag'];
export type CustomFieldDefinition = Schemas['CustomFieldDefinition'];
export type Macro = Schemas['Macro'];
export type AgentAssist = Schemas['AgentAssist'];
/** The mail thread of a conversation, as EmailPanel and EmailStatus hold it. */
export type EmailThread = Schemas['EmailThread'];
export type KbArticle = Schemas['KbArticle'];
export type KbCategory = Schemas['KbCategory'];
export type KbGap = Schemas['KbGap'];
export type KbSynonym = Schemas['KbSynonym'];
export type KbTranslation = Schemas['KbTranslation'];
export type KbVersion = Schemas['KbVersion'];
/** A socket frame, not an API response: its type comes from the socket protocol in shared/. */
export type { BotStreamEvent } from '@autocrm/shared';

/** A queue row: the conversation plus the contact's display name, which the page looks up (lib/server/contacts.ts). */
export type QueueRow = Conversation &
  Partial<
    Pick<Schemas['ConversationListItem'], 'lastMessagePreview' | 'lastMessageAuthorKind' | 'lastMessageAt' | 'unreadCount'>
  > & {
    contactName: string | null;
  };
