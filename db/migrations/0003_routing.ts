import { type Kysely, sql } from 'kysely';

// Routing intelligence: skills, schedules, capacity, rules, queue state and SLAs.
// Never edit this file after it lands: add a new migration instead.

const statements = [
  // Team calendar and overflow policy live on the team.
  `ALTER TABLE teams ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC'`,
  // {"mon":[{"start":"09:00","end":"17:00"}], ...}; an empty object means open around the clock.
  `ALTER TABLE teams ADD COLUMN business_hours jsonb NOT NULL DEFAULT '{}'`,
  `ALTER TABLE teams ADD COLUMN overflow_after_minutes integer`,
  `ALTER TABLE teams ADD COLUMN overflow_team_id uuid REFERENCES teams(id) ON DELETE SET NULL`,
  `ALTER TABLE teams ADD COLUMN overflow_relax_skills boolean NOT NULL DEFAULT false`,
  `CREATE TABLE team_holidays (
    team_id uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    date date NOT NULL,
    name text NOT NULL DEFAULT '',
    PRIMARY KEY (team_id, date)
  )`,
  `CREATE TABLE skills (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL UNIQUE,
    kind text NOT NULL DEFAULT 'other' CHECK (kind IN ('language','product','other')),
    code text,
    created_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE UNIQUE INDEX skills_language_code_idx ON skills (code) WHERE kind = 'language'`,
  `CREATE TABLE agent_skills (
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    skill_id uuid NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
    level smallint NOT NULL DEFAULT 1 CHECK (level BETWEEN 1 AND 5),
    PRIMARY KEY (user_id, skill_id)
  )`,
  // Weekday 1 = Monday ... 7 = Sunday (ISO), times local to time_zone; end may be before start (overnight).
  `CREATE TABLE agent_shifts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_time text NOT NULL,
    end_time text NOT NULL,
    time_zone text NOT NULL DEFAULT 'UTC'
  )`,
  `CREATE INDEX agent_shifts_user_idx ON agent_shifts (user_id)`,
  // channel '*' is the overall limit; other rows limit one channel.
  `CREATE TABLE agent_capacity (
    user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    channel text NOT NULL DEFAULT '*',
    max_concurrent integer NOT NULL CHECK (max_concurrent >= 0),
    PRIMARY KEY (user_id, channel)
  )`,
  // Presence as routing last saw it (a cache of live sockets, reconciled by the worker), idle clock for round-robin.
  `CREATE TABLE agent_routing_state (
    user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    presence text NOT NULL DEFAULT 'offline' CHECK (presence IN ('online','away','offline')),
    presence_changed_at timestamptz(3) NOT NULL DEFAULT now(),
    last_assigned_at timestamptz(3)
  )`,
  `CREATE TABLE routing_rules (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    position integer NOT NULL DEFAULT 0,
    enabled boolean NOT NULL DEFAULT true,
    match text NOT NULL DEFAULT 'all' CHECK (match IN ('all','any')),
    conditions jsonb NOT NULL DEFAULT '[]',
    actions jsonb NOT NULL DEFAULT '[]',
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    updated_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE sla_policies (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    priority text NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
    inbox_id uuid REFERENCES inboxes(id) ON DELETE CASCADE,
    tag text,
    first_response_minutes integer,
    next_response_minutes integer,
    resolution_minutes integer,
    business_hours boolean NOT NULL DEFAULT false,
    warning_minutes integer NOT NULL DEFAULT 10,
    breach_raise_priority boolean NOT NULL DEFAULT false,
    breach_reassign boolean NOT NULL DEFAULT false,
    created_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  // One row per conversation routing has seen: queue state, required skills, SLA due times and state.
  `CREATE TABLE conversation_routing (
    conversation_id uuid PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    state text NOT NULL DEFAULT 'new' CHECK (state IN ('new','queued','assigned','done')),
    team_id uuid REFERENCES teams(id) ON DELETE SET NULL,
    language text,
    required_skills jsonb NOT NULL DEFAULT '[]',
    queued_at timestamptz(3),
    overflowed_at timestamptz(3),
    sla_policy_id uuid REFERENCES sla_policies(id) ON DELETE SET NULL,
    first_response_due_at timestamptz(3),
    next_response_due_at timestamptz(3),
    resolution_due_at timestamptz(3),
    sla_state text NOT NULL DEFAULT 'none' CHECK (sla_state IN ('none','ok','warning','breached','met')),
    sla_warned jsonb NOT NULL DEFAULT '[]',
    sla_breached jsonb NOT NULL DEFAULT '[]',
    updated_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX conversation_routing_queue_idx ON conversation_routing (state, queued_at)`,
  `CREATE TABLE rule_firings (
    id bigserial PRIMARY KEY,
    conversation_id uuid NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    rule_id uuid REFERENCES routing_rules(id) ON DELETE SET NULL,
    rule_name text NOT NULL,
    actions jsonb NOT NULL,
    fired_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX rule_firings_conversation_idx ON rule_firings (conversation_id, id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'rule_firings',
    'conversation_routing',
    'sla_policies',
    'routing_rules',
    'agent_routing_state',
    'agent_capacity',
    'agent_shifts',
    'agent_skills',
    'skills',
    'team_holidays',
  ])
    await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db);
  for (const c of ['overflow_relax_skills', 'overflow_team_id', 'overflow_after_minutes', 'business_hours', 'time_zone'])
    await sql.raw(`ALTER TABLE teams DROP COLUMN ${c}`).execute(db);
}
