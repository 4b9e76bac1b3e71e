import type { VisitorInfo } from '@autocrm/shared';
import type { ColumnType, Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './columns';

// Contacts, companies, widget visitors and the identities a contact is known by.

export interface ContactsTable {
  id: Generated<string>;
  name: string | null;
  email: string | null;
  phone: string | null;
  external_id: string | null;
  attributes: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  /** 0018_f: erased (a tombstone: identity and attributes gone, the id kept for its conversations' counts). */
  erased_at: NullableTimestamp;
  visitor_context: ColumnType<VisitorInfo | null, string | null | undefined, string | null>;
  /** 0020_e: the company the contact belongs to (by email domain or set by hand). */
  company_id: string | null;
  /** 0020_e: values of the contact custom fields (definitions with entity `contact`), by key. */
  custom_fields: ColumnType<{ [key: string]: unknown }, string | undefined, string>;
}

/** 0020_e: organisations; a contact whose email domain is `domain` joins it when created. */
export interface CompaniesTable {
  id: Generated<string>;
  name: string;
  domain: string | null;
  notes: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface VisitorsTable {
  id: Generated<string>;
  inbox_id: string;
  contact_id: string;
  token_hash: string;
  created_at: Generated<Date>;
  last_seen_at: Timestamp;
}

/** Which contact a verified widget user (external id) is, per inbox: ids are scoped by the inbox's secret. */
export interface WidgetIdentitiesTable {
  inbox_id: string;
  external_id: string;
  contact_id: string;
  created_at: Generated<Date>;
}

export type ContactIdentityKind = 'email' | 'phone' | 'whatsapp' | 'messenger' | 'instagram' | 'widget' | 'external';

/** 0020_c: an address a contact is known by on a channel; page-scoped ids (PSID, IGSID, widget) carry their inbox. */
export interface ContactIdentitiesTable {
  id: Generated<string>;
  contact_id: string;
  kind: ContactIdentityKind;
  value: string;
  inbox_id: string | null;
  verified: Generated<boolean>;
  created_at: Generated<Date>;
}

/** 0021_e: an agent's internal note about a contact (who wrote it, when); erased and merged with the contact. */
export interface ContactNotesTable {
  id: Generated<string>;
  contact_id: string;
  author_id: string | null;
  body: string;
  created_at: Generated<Date>;
}
