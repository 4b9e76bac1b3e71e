import type {
  BotStreamEvent,
  Conversation,
  KbArticle,
  KbCategory,
  KbGap,
  KbSearchHit,
  KbSynonym,
  KbTranslation,
  Message,
  VisitorInfo,
} from '@autocrm/shared';

export type { BotStreamEvent, Conversation, KbArticle, KbCategory, KbGap, KbSearchHit, KbSynonym, KbTranslation, Message };

/** One saved text of one translation (GET /kb/articles/{id}/versions). */
export interface KbVersion {
  version: number;
  locale: string;
  title: string;
  bodyHtml: string;
  status: 'draft' | 'published';
  authorId: string | null;
  createdAt: string;
}

/** GET /conversations/{id}/assist: articles matching the customer's question and maybe a draft reply (HTML). */
export interface AgentAssist {
  articles: KbSearchHit[];
  suggestedReply: string | null;
  language: string;
}

export interface WorkspaceUser {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'supervisor' | 'agent';
  active: boolean;
}

export interface Contact {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  externalId: string | null;
  attributes: Record<string, unknown>;
  /** Widget visitors: the page, browser and language the widget reported. */
  visitorInfo?: VisitorInfo | null;
}

export interface Status {
  id: string;
  name: string;
  category: 'open' | 'pending' | 'resolved' | 'closed';
}

export interface CustomFieldDef {
  id: string;
  key: string;
  label: string;
  type: 'text' | 'number' | 'boolean' | 'date' | 'single_select' | 'multi_select';
  options?: string[];
}

/** A queue row: the conversation plus what the list shows beside it. */
export interface QueueRow extends Conversation {
  contactName: string | null;
  unread?: number;
}
