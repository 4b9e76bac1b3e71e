import type { ColumnType, Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './columns';

// The outbox, webhooks, the audit log and scheduled jobs.

export interface OutboxTable {
  id: Generated<number>;
  type: string;
  payload: Json<unknown>;
  created_at: Generated<Date>;
  dispatched_at: NullableTimestamp;
  /** Set when automation's actions wrote the event: which rule, at what depth (loop protection). */
  cause: ColumnType<unknown | null, string | null | undefined, string | null>;
}

export interface WebhooksTable {
  id: Generated<string>;
  url: string;
  secret: string;
  events: string[];
  description: string | null;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_id: number;
  event_type: string;
  payload: Json<unknown>;
  status: Generated<'pending' | 'succeeded' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: NullableTimestamp;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  at: Generated<Date>;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  at: Generated<Date>;
}

/** 0017: scheduled maintenance, one row per job; the lease makes each due run one process's. */
export interface ScheduledJobsTable {
  name: string;
  schedule: string;
  next_run_at: Timestamp;
  lease_until: NullableTimestamp;
  leased_by: string | null;
  last_started_at: NullableTimestamp;
  last_finished_at: NullableTimestamp;
  last_status: 'ok' | 'failed' | null;
  last_result: Json<Record<string, unknown>> | null;
  last_error: string | null;
  runs: Generated<number>;
}

/** 0017: the recent runs of each job (kept short by the jobs themselves). */
export interface JobRunsTable {
  id: Generated<number>;
  name: string;
  scheduled_for: Timestamp;
  runner: string;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  status: 'running' | 'ok' | 'failed';
  result: Json<Record<string, unknown>> | null;
  error: string | null;
}
