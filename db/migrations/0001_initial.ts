// Timestamps are timestamptz(3): millisecond precision, the same as a JS Date, so keyset cursors round-trip exactly.
import { type Kysely, sql } from 'kysely';

// The ticket core. Never edit this file after it lands: add a new migration instead.

const up_statements = [
  `CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL UNIQUE,
    name text NOT NULL,
    role text NOT NULL CHECK (role IN ('admin','supervisor','agent')),
    password_hash text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    updated_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE sessions (
    id text PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token text NOT NULL,
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    last_seen_at timestamptz(3) NOT NULL DEFAULT now(),
    expires_at timestamptz(3) NOT NULL
  )`,
  `CREATE INDEX sessions_user_idx ON sessions (user_id)`,
  `CREATE TABLE login_attempts (
    id bigserial PRIMARY KEY,
    key text NOT NULL,
    at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX login_attempts_key_at_idx ON login_attempts (key, at)`,
  `CREATE TABLE api_keys (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    prefix text NOT NULL,
    key_hash text NOT NULL UNIQUE,
    scopes text[] NOT NULL,
    created_by uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    last_used_at timestamptz(3),
    revoked_at timestamptz(3)
  )`,
  `CREATE TABLE teams (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL UNIQUE,
    created_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE team_members (
    team_id uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    is_lead boolean NOT NULL DEFAULT false,
    PRIMARY KEY (team_id, user_id)
  )`,
  `CREATE TABLE inboxes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    channel text NOT NULL,
    website_token text UNIQUE,
    settings jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE inbox_members (
    inbox_id uuid NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (inbox_id, user_id)
  )`,
  `CREATE TABLE contacts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text,
    email text,
    phone text,
    external_id text UNIQUE,
    attributes jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    updated_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE UNIQUE INDEX contacts_email_idx ON contacts (email) WHERE email IS NOT NULL`,
  `CREATE INDEX contacts_created_idx ON contacts (created_at, id)`,
  `CREATE TABLE statuses (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL UNIQUE,
    category text NOT NULL CHECK (category IN ('open','pending','resolved','closed')),
    position integer NOT NULL DEFAULT 0,
    is_default boolean NOT NULL DEFAULT false,
    created_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE UNIQUE INDEX statuses_one_default_idx ON statuses (is_default) WHERE is_default`,
  `CREATE TABLE tags (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL UNIQUE,
    color text,
    created_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE custom_field_definitions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    key text NOT NULL UNIQUE,
    label text NOT NULL,
    type text NOT NULL CHECK (type IN ('text','number','boolean','date','single_select','multi_select')),
    options jsonb NOT NULL DEFAULT '[]',
    required boolean NOT NULL DEFAULT false,
    created_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE SEQUENCE conversation_number_seq START 1000`,
  `CREATE TABLE conversations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    number integer NOT NULL UNIQUE DEFAULT nextval('conversation_number_seq'),
    subject text,
    inbox_id uuid NOT NULL REFERENCES inboxes(id),
    contact_id uuid NOT NULL REFERENCES contacts(id),
    status_id uuid NOT NULL REFERENCES statuses(id),
    status_category text NOT NULL,
    priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low','normal','high','urgent')),
    priority_rank smallint GENERATED ALWAYS AS (CASE priority WHEN 'low' THEN 0 WHEN 'normal' THEN 1 WHEN 'high' THEN 2 ELSE 3 END) STORED,
    assignee_id uuid REFERENCES users(id) ON DELETE SET NULL,
    team_id uuid REFERENCES teams(id) ON DELETE SET NULL,
    custom_fields jsonb NOT NULL DEFAULT '{}',
    last_seq integer NOT NULL DEFAULT 0,
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    updated_at timestamptz(3) NOT NULL DEFAULT now(),
    last_activity_at timestamptz(3) NOT NULL DEFAULT now(),
    first_response_at timestamptz(3),
    resolved_at timestamptz(3),
    waiting_since timestamptz(3)
  )`,
  // Keyset pagination indexes: each list sort is (sort key, id).
  `CREATE INDEX conversations_activity_idx ON conversations (last_activity_at, id)`,
  `CREATE INDEX conversations_created_idx ON conversations (created_at, id)`,
  `CREATE INDEX conversations_updated_idx ON conversations (updated_at, id)`,
  `CREATE INDEX conversations_priority_idx ON conversations (priority_rank, id)`,
  `CREATE INDEX conversations_waiting_idx ON conversations (waiting_since, id)`,
  `CREATE INDEX conversations_status_cat_idx ON conversations (status_category, last_activity_at)`,
  `CREATE INDEX conversations_assignee_idx ON conversations (assignee_id, last_activity_at)`,
  `CREATE INDEX conversations_inbox_idx ON conversations (inbox_id, last_activity_at)`,
  `CREATE INDEX conversations_contact_idx ON conversations (contact_id, created_at)`,
  `CREATE INDEX conversations_team_idx ON conversations (team_id)`,
  `CREATE INDEX conversations_custom_fields_idx ON conversations USING gin (custom_fields jsonb_path_ops)`,
  `CREATE TABLE conversation_tags (
    conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    tag_id uuid NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (conversation_id, tag_id)
  )`,
  `CREATE INDEX conversation_tags_tag_idx ON conversation_tags (tag_id)`,
  `CREATE TABLE status_history (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    from_status_id uuid REFERENCES statuses(id),
    to_status_id uuid NOT NULL REFERENCES statuses(id),
    actor text NOT NULL,
    at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX status_history_conversation_idx ON status_history (conversation_id, at)`,
  `CREATE TABLE messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    seq integer NOT NULL,
    author_kind text NOT NULL CHECK (author_kind IN ('contact','agent','bot','system')),
    author_id uuid,
    private boolean NOT NULL DEFAULT false,
    body_html text NOT NULL,
    body_text text NOT NULL,
    client_id text,
    attachments jsonb NOT NULL DEFAULT '[]',
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    edited_at timestamptz(3),
    deleted_at timestamptz(3),
    UNIQUE (conversation_id, seq)
  )`,
  `CREATE UNIQUE INDEX messages_client_id_idx ON messages (conversation_id, client_id) WHERE client_id IS NOT NULL`,
  `CREATE TABLE outbox (
    id bigserial PRIMARY KEY,
    type text NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    dispatched_at timestamptz(3)
  )`,
  `CREATE INDEX outbox_pending_idx ON outbox (id) WHERE dispatched_at IS NULL`,
  `CREATE TABLE webhooks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    url text NOT NULL,
    secret text NOT NULL,
    events text[] NOT NULL,
    description text,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    updated_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE webhook_deliveries (
    id text PRIMARY KEY,
    webhook_id uuid NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event_id bigint NOT NULL,
    event_type text NOT NULL,
    payload jsonb NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','succeeded','failed')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz(3),
    last_status_code integer,
    last_error text,
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    updated_at timestamptz(3) NOT NULL DEFAULT now(),
    UNIQUE (webhook_id, event_id)
  )`,
  `CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
  `CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, created_at)`,
  `CREATE TABLE webhook_attempts (
    id bigserial PRIMARY KEY,
    delivery_id text NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    at timestamptz(3) NOT NULL DEFAULT now(),
    status_code integer,
    error text,
    duration_ms integer NOT NULL
  )`,
  `CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id)`,
  `CREATE TABLE audit_log (
    id bigserial PRIMARY KEY,
    actor text NOT NULL,
    action text NOT NULL,
    entity_type text NOT NULL,
    entity_id text NOT NULL,
    before jsonb,
    after jsonb,
    at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, id)`,
  `CREATE TABLE settings (
    key text PRIMARY KEY,
    value jsonb NOT NULL,
    updated_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
];

const tables = [
  'settings',
  'audit_log',
  'webhook_attempts',
  'webhook_deliveries',
  'webhooks',
  'outbox',
  'messages',
  'status_history',
  'conversation_tags',
  'conversations',
  'custom_field_definitions',
  'tags',
  'statuses',
  'contacts',
  'inbox_members',
  'inboxes',
  'team_members',
  'teams',
  'api_keys',
  'login_attempts',
  'sessions',
  'users',
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of tables) await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db);
  await sql.raw('DROP SEQUENCE IF EXISTS conversation_number_seq').execute(db);
}
