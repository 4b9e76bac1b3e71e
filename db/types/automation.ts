import type { MacroAction } from '@autocrm/shared';
import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from './columns';
import type { AttachmentRow } from './conversations';

// Macros and automation rules.

/** 0009: macros (reply body plus field changes). */
export interface MacrosTable {
  id: Generated<string>;
  name: string;
  body_html: Generated<string>;
  actions: Json<MacroAction[]>;
  /** 0016: the internal-note part, posted as a note (never into the public reply). */
  note_html: Generated<string>;
  /** 0016: the word after `/` in the composer. */
  shortcut: string | null;
  visibility: 'shared' | 'personal';
  owner_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** 0018_b: files attached to the reply when the macro is applied. */
  attachments: ColumnType<AttachmentRow[], string | undefined, string>;
}

/** 0016: every use of a macro, for reports. */
export interface MacroUsesTable {
  id: ColumnType<string, never, never>;
  macro_id: string | null;
  macro_name: string;
  user_id: string | null;
  conversation_id: string;
  used_at: Generated<Date>;
}

export interface AutomationRulesTable {
  id: Generated<string>;
  name: string;
  position: Generated<number>;
  enabled: Generated<boolean>;
  inbox_id: string | null;
  trigger: Json<Record<string, unknown>>;
  match: Generated<'all' | 'any'>;
  conditions: Json<unknown[]>;
  actions: Json<unknown[]>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface AutomationFiringsTable {
  id: ColumnType<string, never, never>;
  rule_id: string | null;
  rule_name: string;
  conversation_id: string;
  event_key: string;
  event_type: string;
  depth: Generated<number>;
  actions: Json<unknown[]>;
  result: 'ok' | 'error' | 'skipped';
  error: string | null;
  fired_at: Generated<Date>;
}
