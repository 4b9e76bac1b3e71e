import type { Role } from '@autocrm/shared';
import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from './columns';

// Users, sessions, API keys, invitations, password resets, two-factor sign-in and account mails.

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  display_name: string | null;
  locale: string | null;
  /** Base32 TOTP secret once enrolment is confirmed; `totp_pending_secret` while it is being set up. */
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled_at: NullableTimestamp;
  /** The last accepted TOTP time step: a code is good once. */
  totp_last_step: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  /** The profile picture: an upload's id in the upload store; null shows initials. */
  avatar_upload_id: string | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Generated<Date>;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  user_agent: string | null;
  ip: string | null;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  key: string;
  at: Generated<Date>;
}

export interface ApiKeysTable {
  id: Generated<string>;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: string[];
  created_by: string | null;
  created_at: Generated<Date>;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface InvitationsTable {
  id: Generated<string>;
  email: string;
  name: string | null;
  role: Role;
  inbox_ids: ColumnType<string[], string[] | undefined, string[]>;
  token_hash: string | null;
  invited_by: string | null;
  expires_at: NullableTimestamp;
  sent_at: NullableTimestamp;
  accepted_at: NullableTimestamp;
  accepted_user_id: string | null;
  revoked_at: NullableTimestamp;
  created_at: Generated<Date>;
  /** 0020_e: the language of the invitation mail (null: the inviting admin's). */
  locale: string | null;
}

export interface PasswordResetsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string | null;
  expires_at: NullableTimestamp;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface RecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
}

/** The second step of a sign-in: a password was right, a TOTP code (or enrolment) is still owed. */
export interface LoginChallengesTable {
  id: string;
  user_id: string;
  purpose: 'verify' | 'enrol';
  pending_secret: string | null;
  attempts: Generated<number>;
  user_agent: string | null;
  ip: string | null;
  expires_at: Timestamp;
  created_at: Generated<Date>;
}

/** Account mails still to send; the sender mints the link when it sends. */
export interface AccountMailsTable {
  id: Generated<string>;
  kind: 'invitation' | 'password_reset' | 'portal_link';
  ref_id: string;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  created_at: Generated<Date>;
}
