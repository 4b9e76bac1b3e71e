import type { CustomFieldType, StatusCategory } from '@autocrm/shared';
import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from './columns';

// Teams, inboxes, statuses, tags, custom fields, settings and saved views.

export interface TeamsTable {
  id: Generated<string>;
  name: string;
  created_at: Generated<Date>;
  /** 0003_routing: calendar and overflow policy. */
  time_zone: Generated<string>;
  business_hours: ColumnType<Record<string, { start: string; end: string }[]>, string | undefined, string>;
  overflow_after_minutes: number | null;
  overflow_team_id: string | null;
  overflow_relax_skills: Generated<boolean>;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  is_lead: Generated<boolean>;
}

export interface InboxesTable {
  id: Generated<string>;
  name: string;
  channel: string;
  website_token: string | null;
  settings: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
  /** 0005_widget: HMAC key for the widget's identity verification. */
  identity_secret: Generated<string>;
  /** 0020_e: this inbox's retention overrides (null: the workspace policy). */
  retention: ColumnType<{ [key: string]: unknown } | null, string | null | undefined, string | null>;
}

export interface InboxMembersTable {
  inbox_id: string;
  user_id: string;
}

export interface StatusesTable {
  id: Generated<string>;
  name: string;
  category: StatusCategory;
  position: Generated<number>;
  is_default: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface TagsTable {
  id: Generated<string>;
  name: string;
  color: string | null;
  created_at: Generated<Date>;
}

export interface CustomFieldDefinitionsTable {
  id: Generated<string>;
  key: string;
  label: string;
  type: CustomFieldType;
  options: Json<string[]>;
  required: Generated<boolean>;
  created_at: Generated<Date>;
  /** 0020_a: shown on the customer portal's ticket form. */
  customer_visible: Generated<boolean>;
  /** 0020_e: what the field describes. */
  entity: Generated<'conversation' | 'contact'>;
}

export interface SettingsTable {
  key: string;
  value: Json<unknown>;
  updated_at: Timestamp;
}

/** 0004_workspace: queue views saved by an agent (owner) or shared with everyone (no owner). */
export interface SavedViewsTable {
  id: Generated<string>;
  owner_id: string | null;
  name: string;
  filters: ColumnType<unknown, string, string>;
  created_at: Generated<Date>;
}
