import type { components } from '@autocrm/shared/api-types';

// Shorter names for pages that still import them (queue, supervisor, knowledge-base settings): each is
// the generated contract's own type (shared/src/generated), renamed only. New code takes its types from
// the typed client (web/src/lib/server/client.ts) or the generated `components['schemas']` directly;
// nothing here writes a shape of the API.

type Schemas = components['schemas'];
export type Conversation = Schemas['Conversation'];
export type Message = Schemas['Message'];
export type Contact = Schemas['Contact'];
export type Status = Schemas['Status'];
export type WorkspaceUser = Schemas['User'];
export type CustomFieldDef = Schemas['CustomFieldDefinition'];
export type AgentAssist = Schemas['AgentAssist'];
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
