import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { Clock } from '../domain/routing/clock';
import { PollLoop } from '../events/poll-loop';
import type { JobDefinition, JobResult } from '../jobs/job';
import type { Db } from '../storage/db';

/** Recent runs kept per job; older ones are dropped as new ones finish. */
const RUNS_KEPT = 20;

export function nextRunAfter(schedule: string, after: Date): Date {
  const next = new Cron(schedule, { paused: true, timezone: 'UTC' }).nextRun(after);
  if (!next) throw new Error(`schedule ${schedule} has no next run`);
  return next;
}

/**
 * Runs the maintenance jobs on their cron schedules, once per due time among however many processes
 * share the database: a process claims a due job with a conditional UPDATE (the due time has come and
 * nobody holds a live lease), and job_runs' unique (name, due time) refuses a second run of one slot
 * even if a lease ran out mid-run. A process down for days runs a missed job once, not once per slot.
 */
export class JobRunner {
  readonly runnerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly loop: PollLoop;
  private registered = false;

  constructor(
    private readonly db: Db,
    private readonly options: { jobs: JobDefinition[]; logger: Logger; pollMs: number; clock: Clock; leaseMs?: number },
  ) {
    for (const job of options.jobs) nextRunAfter(job.schedule, new Date()); // a bad schedule fails at start
    this.loop = new PollLoop({
      pollMs: options.pollMs,
      run: () => this.round(),
      logger: options.logger,
      failure: 'maintenance round failed',
    });
  }

  now(): Date {
    return this.options.clock.now();
  }

  get jobs(): readonly JobDefinition[] {
    return this.options.jobs;
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One round now (tests move the clock, then await this). */
  runOnce(): Promise<void> {
    return this.loop.runOnce();
  }

  /** Makes a job due at once and runs a round; the run is claimed like any other. */
  async runNow(name: string): Promise<boolean> {
    await this.register();
    const r = await this.db
      .updateTable('scheduled_jobs')
      .set({ next_run_at: this.options.clock.now() })
      .where('name', '=', name)
      .executeTakeFirst();
    if (!Number(r.numUpdatedRows)) return false;
    await this.loop.runOnce();
    return true;
  }

  private async register(): Promise<void> {
    if (this.registered) return;
    const now = this.options.clock.now();
    for (const job of this.options.jobs) {
      const next = nextRunAfter(job.schedule, now);
      await this.db
        .insertInto('scheduled_jobs')
        .values({ name: job.name, schedule: job.schedule, next_run_at: next })
        .onConflict((oc) =>
          oc.column('name').doUpdateSet((eb) => ({
            schedule: eb.ref('excluded.schedule'),
            // A changed schedule takes effect from now; an unchanged one keeps its due time.
            next_run_at: eb
              .case()
              .when('scheduled_jobs.schedule', '<>', eb.ref('excluded.schedule'))
              .then(eb.ref('excluded.next_run_at'))
              .else(eb.ref('scheduled_jobs.next_run_at'))
              .end(),
          })),
        )
        .execute();
    }
    this.registered = true;
  }

  private async round(): Promise<void> {
    await this.register();
    for (const job of this.options.jobs) await this.claimAndRun(job);
  }

  private async claimAndRun(job: JobDefinition): Promise<void> {
    const { clock, logger } = this.options;
    const now = clock.now();
    const leaseUntil = new Date(now.getTime() + (this.options.leaseMs ?? 15 * 60_000));
    const claimed = await this.db
      .updateTable('scheduled_jobs')
      .set({ lease_until: leaseUntil, leased_by: this.runnerId, last_started_at: now })
      .where('name', '=', job.name)
      .where('next_run_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .returning(['next_run_at'])
      .executeTakeFirst();
    if (!claimed) return;
    const scheduledFor = new Date(claimed.next_run_at);
    const run = await this.db
      .insertInto('job_runs')
      .values({ name: job.name, scheduled_for: scheduledFor, runner: this.runnerId, started_at: now, status: 'running' })
      .onConflict((oc) => oc.columns(['name', 'scheduled_for']).doNothing())
      .returning('id')
      .executeTakeFirst();

    let status: 'ok' | 'failed' = 'ok';
    let result: JobResult | null = null;
    let error: string | null = null;
    if (!run) {
      // This slot was started before by a process whose lease ran out (it stopped mid-run): that run
      // is marked failed and the job moves on to its next due time rather than running the slot twice.
      await this.db
        .updateTable('job_runs')
        .set({ status: 'failed', finished_at: now, error: 'the process running it stopped' })
        .where('name', '=', job.name)
        .where('scheduled_for', '=', scheduledFor)
        .where('status', '=', 'running')
        .execute();
      status = 'failed';
      error = 'the process running it stopped';
    } else {
      try {
        result = await job.run({ db: this.db, now, logger });
      } catch (err) {
        status = 'failed';
        error = err instanceof Error ? err.message : String(err);
        logger.error({ err, job: job.name }, 'maintenance job failed');
      }
    }
    const finished = clock.now();
    const base = finished.getTime() > scheduledFor.getTime() ? finished : scheduledFor;
    await this.db
      .updateTable('scheduled_jobs')
      .set((eb) => ({
        next_run_at: nextRunAfter(job.schedule, base),
        lease_until: null,
        leased_by: null,
        last_finished_at: finished,
        last_status: status,
        last_result: result ? JSON.stringify(result) : null,
        last_error: error,
        runs: eb('runs', '+', 1),
      }))
      .where('name', '=', job.name)
      .where('leased_by', '=', this.runnerId)
      .execute();
    if (run) {
      await this.db
        .updateTable('job_runs')
        .set({ status, finished_at: finished, result: result ? JSON.stringify(result) : null, error })
        .where('id', '=', run.id)
        .execute();
      await this.db
        .deleteFrom('job_runs')
        .where('name', '=', job.name)
        .where('id', 'not in', (eb) =>
          eb.selectFrom('job_runs').select('id').where('name', '=', job.name).orderBy('id', 'desc').limit(RUNS_KEPT),
        )
        .execute();
      if (status === 'ok') logger.info({ job: job.name, result }, 'maintenance job done');
    }
  }
}
