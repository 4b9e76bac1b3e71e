import type { Priority } from '@autocrm/shared';
import type { ColumnType, Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './columns';

// Routing: skills, shifts, capacity, rules, SLA policies and each conversation's routing state.

export interface TeamHolidaysTable {
  team_id: string;
  date: ColumnType<string, string, string>;
  name: Generated<string>;
}

export interface SkillsTable {
  id: Generated<string>;
  name: string;
  kind: Generated<'language' | 'product' | 'other'>;
  code: string | null;
  created_at: Generated<Date>;
}

export interface AgentSkillsTable {
  user_id: string;
  skill_id: string;
  level: Generated<number>;
}

export interface AgentShiftsTable {
  id: Generated<string>;
  user_id: string;
  weekday: number;
  start_time: string;
  end_time: string;
  time_zone: Generated<string>;
}

export interface AgentCapacityTable {
  user_id: string;
  channel: Generated<string>;
  max_concurrent: number;
}

export interface AgentRoutingStateTable {
  user_id: string;
  presence: Generated<'online' | 'away' | 'offline'>;
  presence_changed_at: Timestamp;
  last_assigned_at: NullableTimestamp;
}

/** 0022_a: presence history, one interval per change; `ended_at` null while it lasts (domain/routing/agent-presence.ts). */
export interface AgentPresenceLogTable {
  id: Generated<number>;
  user_id: string;
  status: 'online' | 'away' | 'offline';
  started_at: Timestamp;
  ended_at: NullableTimestamp;
}

export interface RoutingRulesTable {
  id: Generated<string>;
  name: string;
  position: Generated<number>;
  enabled: Generated<boolean>;
  match: Generated<'all' | 'any'>;
  conditions: Json<unknown[]>;
  actions: Json<unknown[]>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface SlaPoliciesTable {
  id: Generated<string>;
  name: string;
  priority: Priority;
  inbox_id: string | null;
  tag: string | null;
  first_response_minutes: number | null;
  next_response_minutes: number | null;
  resolution_minutes: number | null;
  business_hours: Generated<boolean>;
  warning_minutes: Generated<number>;
  breach_raise_priority: Generated<boolean>;
  breach_reassign: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface ConversationRoutingTable {
  conversation_id: string;
  state: Generated<'new' | 'queued' | 'assigned' | 'done'>;
  team_id: string | null;
  language: string | null;
  required_skills: ColumnType<{ skillId: string; minLevel: number }[], string | undefined, string>;
  queued_at: NullableTimestamp;
  overflowed_at: NullableTimestamp;
  sla_policy_id: string | null;
  first_response_due_at: NullableTimestamp;
  next_response_due_at: NullableTimestamp;
  resolution_due_at: NullableTimestamp;
  sla_state: Generated<'none' | 'ok' | 'warning' | 'breached' | 'met'>;
  sla_warned: ColumnType<string[], string | undefined, string>;
  sla_breached: ColumnType<string[], string | undefined, string>;
  /** 0007: when the SLA clock started (classification, or reopening). */
  sla_started_at: NullableTimestamp;
  updated_at: Timestamp;
}

export interface RuleFiringsTable {
  id: Generated<number>;
  conversation_id: string;
  rule_id: string | null;
  rule_name: string;
  actions: Json<unknown[]>;
  fired_at: Timestamp;
}

/** 0022_f: ms each agent spent in each status per UTC hour or day (`grain`), from closed presence intervals. */
export interface AgentPresenceRollupsTable {
  user_id: string;
  status: string;
  grain: 'hour' | 'day';
  at: Timestamp;
  /** Postgres bigint arrives as a string. */
  ms: ColumnType<string, number, number>;
}
