import { z } from 'zod';

/** A scheduled maintenance job as admins see it: schedule, when it runs next, how its last run went. */
export const ScheduledJob = z
  .object({
    name: z.string(),
    description: z.string(),
    schedule: z.string().meta({ description: 'Cron expression, UTC' }),
    nextRunAt: z.string().nullable(),
    running: z.boolean(),
    runs: z.number().int(),
    lastStartedAt: z.string().nullable(),
    lastFinishedAt: z.string().nullable(),
    lastStatus: z.enum(['ok', 'failed']).nullable(),
    lastResult: z.record(z.string(), z.unknown()).nullable(),
    lastError: z.string().nullable(),
    recentRuns: z.array(
      z.object({
        scheduledFor: z.string(),
        startedAt: z.string(),
        finishedAt: z.string().nullable(),
        status: z.enum(['running', 'ok', 'failed']),
        runner: z.string(),
        result: z.record(z.string(), z.unknown()).nullable(),
        error: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'ScheduledJob' });
export type ScheduledJob = z.infer<typeof ScheduledJob>;
