import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from './columns';

// Report facts and hourly rollups.

/** 0020_d: one row per counted conversation with the dimensions and figures reports read (listeners/maintain-report-rollups.ts). */
export interface ReportFactsTable {
  conversation_id: string;
  inbox_id: string;
  channel: string;
  team_id: string | null;
  assignee_id: string | null;
  priority: string;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Timestamp;
  /** Postgres bigint arrives as a string. */
  first_response_ms: ColumnType<string | null, number | null | undefined, number | null>;
  resolved_at: NullableTimestamp;
  resolution_ms: ColumnType<string | null, number | null | undefined, number | null>;
  csat_rating: number | null;
  csat_at: NullableTimestamp;
  bot_handled: Generated<boolean>;
  deflected: Generated<boolean>;
  reopens: ColumnType<Date[], Date[] | undefined, Date[]>;
  handoff_ats: ColumnType<Date[], Date[] | undefined, Date[]>;
  handoff_reasons: ColumnType<string[], string[] | undefined, string[]>;
  /** 0022_f: next-response waits (reply instant, wait in ms), public agent replies, per author handle time. */
  next_reply_ats: ColumnType<Date[], Date[] | undefined, Date[]>;
  next_wait_ms: ColumnType<string[], number[] | undefined, number[]>;
  reply_ats: ColumnType<Date[], Date[] | undefined, Date[]>;
  reply_authors: ColumnType<string[], string[] | undefined, string[]>;
  handle_authors: ColumnType<string[], string[] | undefined, string[]>;
  handle_first_ats: ColumnType<Date[], Date[] | undefined, Date[]>;
  handle_ms: ColumnType<string[], number[] | undefined, number[]>;
  /** First to last public agent reply (tstzrange), or null without replies. */
  reply_span: string | null;
}

/** 0020_d: per UTC hour, dimension and key, each metric's count and sum (ms for durations, rating for CSAT). */
export interface ReportRollupsTable {
  dim: string;
  key: string;
  metric: string;
  hour: Timestamp;
  n: ColumnType<string, number | undefined, number>;
  total: ColumnType<string, number | undefined, number>;
}
