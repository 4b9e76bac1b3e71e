import type { Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from './columns';

// The customer portal: sign-in links, sessions and passwords.

/** 0020_a: a customer portal sign-in link; the token's hash is set when the mail is sent. */
export interface PortalLinksTable {
  id: Generated<string>;
  contact_id: string;
  email: string;
  token_hash: string | null;
  expires_at: NullableTimestamp;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
}

/** 0020_a: a signed-in customer (portal), apart from agents' sessions. */
export interface PortalSessionsTable {
  id: Generated<string>;
  contact_id: string;
  token_hash: string;
  via: 'link' | 'password' | 'identity';
  user_agent: string | null;
  ip: string | null;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Timestamp;
}

/** 0020_a: a portal customer's optional password. */
export interface PortalPasswordsTable {
  contact_id: string;
  password_hash: string;
  updated_at: Generated<Date>;
}
