import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../server/src/storage/db';
import { type ServerProcess, spawnPairOnFreshDatabase } from './helpers/processes';
import { waitFor } from './helpers/test-server';

// The job runner in two real server processes on one Postgres database, both polling every 100 ms: each
// due slot of a job runs exactly once, whichever process claims it. (tests/jobs.test.ts covers the
// schedules with a moved clock; this is the same claim raced by two operating-system processes.)
const enabled = !!process.env.DATABASE_URL && !!process.env.REDIS_URL;
const JOB = 'prune-outbox';
const SLOTS = 6;

describe.skipIf(!enabled)('scheduled maintenance across two processes', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let drop: () => Promise<void>;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    const pair = await spawnPairOnFreshDatabase({ JOBS_POLL_MS: '100' });
    ({ a, b, drop } = pair);
    handle = await openDatabase({ databaseUrl: pair.databaseUrl, poolSize: 2 });
  }, 180_000);
  afterAll(async () => {
    await handle?.close();
    await a?.kill();
    await b?.kill();
    await drop?.();
  });

  it('runs each due slot once, whichever of the two processes claims it', async () => {
    const db = handle.db;
    // Both processes registered the schedules at start.
    await waitFor(async () =>
      Boolean(await db.selectFrom('scheduled_jobs').select('name').where('name', '=', JOB).executeTakeFirst()),
    );
    const before = await db.selectFrom('scheduled_jobs').select('runs').where('name', '=', JOB).executeTakeFirstOrThrow();
    const slots: number[] = [];
    // Slots due now, a minute apart and rising, as consecutive schedule slots are. (Each computed from the
    // clock at its round once collided with the round before when two rounds ran within one second.)
    const base = Math.floor((Date.now() - 60 * 60_000) / 1_000) * 1_000;
    for (let k = 0; k < SLOTS; k++) {
      const due = new Date(base + k * 60_000);
      slots.push(due.getTime());
      await db.updateTable('scheduled_jobs').set({ next_run_at: due }).where('name', '=', JOB).execute();
      // Done when the slot's run finished and the job moved on to its next due time.
      await waitFor(async () => {
        const job = await db
          .selectFrom('scheduled_jobs')
          .select(['next_run_at', 'lease_until'])
          .where('name', '=', JOB)
          .executeTakeFirstOrThrow();
        return job.lease_until === null && new Date(job.next_run_at).getTime() > Date.now();
      });
    }
    const runs = await db
      .selectFrom('job_runs')
      .select(['scheduled_for', 'status', 'runner'])
      .where('name', '=', JOB)
      .where(
        'scheduled_for',
        'in',
        slots.map((t) => new Date(t)),
      )
      .execute();
    expect(new Set(slots).size).toBe(SLOTS);
    expect(runs.map((r) => r.status)).toEqual(Array(SLOTS).fill('ok'));
    expect(new Set(runs.map((r) => new Date(r.scheduled_for).getTime()))).toEqual(new Set(slots));
    // No slot was started twice: a second claim would have counted a run (and failed the slot's row).
    const after = await db
      .selectFrom('scheduled_jobs')
      .select(['runs', 'last_status'])
      .where('name', '=', JOB)
      .executeTakeFirstOrThrow();
    expect(Number(after.runs) - Number(before.runs)).toBe(SLOTS);
    expect(after.last_status).toBe('ok');
  }, 120_000);
});
