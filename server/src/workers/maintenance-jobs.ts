import { maintenanceJobs as jobs } from '../jobs';
import type { WorkerContext } from './context';
import { JobRunner } from './job-runner';

/** Scheduled maintenance (jobs/), on its own clock (tests move it, then await `runOnce()`). */
export function maintenanceJobs(ctx: WorkerContext): JobRunner {
  return new JobRunner(ctx.db, {
    jobs: jobs(ctx.config),
    logger: ctx.logger,
    pollMs: ctx.config.JOBS_POLL_MS,
    clock: ctx.jobsClock,
  });
}
