import type { ScheduledJob } from '@autocrm/shared';
import type { JobDefinition } from '../../jobs/job';
import type { Db } from '../../storage/db';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const parsed = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : (v ?? null)) as Record<string, unknown> | null;

/**
 * The maintenance job runner as the admin API sees it (workers/job-runner.ts is the one). "Run now" is
 * the one synchronous call into a loop: the admin's button waits for that run's outcome.
 */
export interface MaintenanceJobs {
  readonly jobs: readonly JobDefinition[];
  now(): Date;
  runNow(name: string): Promise<boolean>;
}

export type ListScheduledJobsProps = { jobs: readonly JobDefinition[]; now: Date };

/** The maintenance jobs with their schedule and recent runs, for the admins' jobs page. */
export async function listScheduledJobs(db: Db, { jobs, now }: ListScheduledJobsProps): Promise<ScheduledJob[]> {
  const rows = await db.selectFrom('scheduled_jobs').selectAll().execute();
  const runs = await db.selectFrom('job_runs').selectAll().orderBy('id', 'desc').limit(500).execute();
  return jobs.map((job) => {
    const row = rows.find((r) => r.name === job.name);
    return {
      name: job.name,
      description: job.description,
      schedule: job.schedule,
      nextRunAt: iso(row?.next_run_at ?? null),
      running: Boolean(row?.lease_until && new Date(row.lease_until) > now),
      runs: row?.runs ?? 0,
      lastStartedAt: iso(row?.last_started_at ?? null),
      lastFinishedAt: iso(row?.last_finished_at ?? null),
      lastStatus: row?.last_status ?? null,
      lastResult: parsed(row?.last_result),
      lastError: row?.last_error ?? null,
      recentRuns: runs
        .filter((r) => r.name === job.name)
        .slice(0, 10)
        .map((r) => ({
          scheduledFor: iso(r.scheduled_for)!,
          startedAt: iso(r.started_at)!,
          finishedAt: iso(r.finished_at),
          status: r.status,
          runner: r.runner,
          result: parsed(r.result),
          error: r.error,
        })),
    };
  });
}
