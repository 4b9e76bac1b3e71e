import type { Conversation, Message } from '@autocrm/shared';

export type { Conversation, Message };

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
