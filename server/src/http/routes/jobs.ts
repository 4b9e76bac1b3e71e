import { AppError, ScheduledJob } from '@autocrm/shared';
import { z } from 'zod';
import { listScheduledJobs } from '../../domain/admin/jobs';
import type { App, AppDeps } from '../context';
import { json, secured } from '../openapi';

export function jobRoutes(app: App, deps: AppDeps) {
  const runner = () => {
    if (!deps.jobs) throw new AppError('unavailable', 'scheduled maintenance is not running in this process');
    return deps.jobs;
  };
  app.openapi(
    secured('admin', {
      method: 'get',
      path: '/admin/jobs',
      tags: ['Admin'],
      summary: 'Scheduled maintenance jobs and their recent runs',
      responses: { 200: json(z.object({ data: z.array(ScheduledJob) }), 'Jobs') },
    }),
    async (c) => {
      const jobs = runner();
      return c.json({ data: await listScheduledJobs(deps.db, { jobs: jobs.jobs, now: jobs.now() }) }, 200);
    },
  );
  app.openapi(
    secured('admin', {
      method: 'post',
      path: '/admin/jobs/{name}/run',
      tags: ['Admin'],
      summary: 'Run a maintenance job now',
      description: 'The run is claimed like a scheduled one, so it runs once even when several processes are asked.',
      request: { params: z.object({ name: z.string().regex(/^[a-z0-9-]{1,60}$/) }) },
      responses: { 200: json(ScheduledJob, 'The job after its run') },
    }),
    async (c) => {
      const jobs = runner();
      const { name } = c.req.valid('param');
      if (!(await jobs.runNow(name))) throw new AppError('not_found', 'no such job');
      const all = await listScheduledJobs(deps.db, { jobs: jobs.jobs, now: jobs.now() });
      return c.json(all.find((j) => j.name === name)!, 200);
    },
  );
}
