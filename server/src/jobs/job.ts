import type { Logger } from 'pino';
import type { Db } from '../storage/db';

export interface JobContext {
  db: Db;
  /** The runner's clock: the due time it claimed, as tests move it. */
  now: Date;
  logger: Logger;
}

/** What a run reports: counts of what it did, shown to admins as the job's last result. */
export type JobResult = Record<string, number | string | boolean>;

/** A maintenance job: a name, a cron schedule (UTC) and the work. Adding one is a file plus a line in ./index.ts. */
export interface JobDefinition {
  name: string;
  /** Cron expression in UTC, five fields (or six with seconds), read by croner. */
  schedule: string;
  description: string;
  run(ctx: JobContext): Promise<JobResult>;
}

export const DAY_MS = 24 * 60 * 60_000;
export const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);
