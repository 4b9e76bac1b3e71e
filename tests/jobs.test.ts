import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../server/src/domain/routing/clock';
import { maintenanceJobs } from '../server/src/jobs';
import { openDatabase } from '../server/src/storage/db';
import { JobRunner } from '../server/src/workers/job-runner';
import { newVisitor } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

// Scheduled maintenance: each job runs once per due time however many processes share the database,
// with a clock the test moves, and the housekeeping jobs delete what is stale and nothing else.

const START = new Date('2030-01-01T00:00:30Z');
// The jobs' clock runs ahead of the wall clock, so everything the test creates now is "old" for them.
const QUIET = { JOBS_POLL_MS: '3600000' };

describe(`scheduled maintenance (${BACKEND})`, () => {
  let s: TestServer;
  let clock: ManualClock;
  let adminKey: string;
  let readKey: string;

  beforeAll(async () => {
    clock = new ManualClock(new Date());
    s = await startTestServer({ jobsClock: clock, env: QUIET });
    adminKey = await s.apiKey(['admin']);
    readKey = await s.apiKey(['conversations:read']);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('runs every due job once per due time across two runners sharing the database', async () => {
    const shared = new ManualClock(START);
    // On Postgres the second runner has its own connection pool to the same database, as a second
    // process would; PGlite is one process's database, so there it shares the first one's handle.
    let other: Awaited<ReturnType<typeof openDatabase>> | undefined;
    const jobs = maintenanceJobs(s.deps.config);
    const a = new JobRunner(s.deps.db, { jobs, logger: s.deps.logger, pollMs: 3_600_000, clock: shared });
    if (process.env.DATABASE_URL) other = await openDatabase({ databaseUrl: s.deps.config.DATABASE_URL!, poolSize: 2 });
    const b = new JobRunner(other?.db ?? s.deps.db, { jobs, logger: s.deps.logger, pollMs: 3_600_000, clock: shared });
    const runners = [a, b];
    try {
      // The server registered the schedules years before START: the first round runs each overdue job
      // once (not once per missed slot); from then on they follow their schedules.
      await Promise.all(runners.map((r) => r.runOnce()));
      const overdue = await s.deps.db.selectFrom('job_runs').select(['name']).where('scheduled_for', '<', START).execute();
      expect(overdue.filter((r) => r.name === 'prune-outbox')).toHaveLength(1);
      const hours = 5;
      for (let h = 0; h < hours; h++) {
        shared.advanceMinutes(60);
        await Promise.all(runners.map((r) => r.runOnce()));
        await Promise.all(runners.map((r) => r.runOnce()));
      }
      const runs = await s.deps.db
        .selectFrom('job_runs')
        .select(['name', 'scheduled_for', 'status', 'runner'])
        .where('scheduled_for', '>=', START)
        .execute();
      // Hourly jobs: exactly one run per hour, each at its own due time, all successful.
      for (const name of ['prune-outbox', 'prune-sessions', 'prune-bot-turns']) {
        const mine = runs.filter((r) => r.name === name);
        expect(mine.map((r) => r.status)).toEqual(Array(hours).fill('ok'));
        expect(new Set(mine.map((r) => new Date(r.scheduled_for).toISOString())).size).toBe(hours);
      }
      // Daily jobs (03:27, 03:37, 03:57 UTC): the one due time within the five hours ran once.
      for (const name of ['prune-webhook-log', 'prune-abandoned-visitors', 'refresh-statistics'])
        expect(runs.filter((r) => r.name === name)).toHaveLength(1);
    } finally {
      await a.stop();
      await b.stop();
      await other?.close();
    }
  });

  it('deletes stale sessions, dispatched events and abandoned visitors, and keeps what is live', async () => {
    const { db } = s.deps;
    const inboxes = await s.req('GET', '/inboxes', { auth: adminKey });
    const websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
    const abandoned = await newVisitor(s.url, websiteToken);
    const talking = await newVisitor(s.url, websiteToken);
    const conv = await s.req('POST', '/conversations', {
      auth: adminKey,
      body: { inboxId: s.inboxId, contactId: talking.contactId, message: { body: 'Hello, I need help' } },
    });
    expect(conv.status).toBe(201);
    const agentSession = await s.login();
    await s.settle();
    const dispatched = await db.selectFrom('outbox').select('id').where('dispatched_at', 'is not', null).execute();
    expect(dispatched.length).toBeGreaterThan(0);

    // A day later nothing is old enough yet.
    clock.advanceMinutes(24 * 60);
    for (const job of ['prune-outbox', 'prune-sessions', 'prune-abandoned-visitors'])
      expect((await s.req('POST', `/admin/jobs/${job}/run`, { auth: adminKey })).status).toBe(200);
    expect(await db.selectFrom('visitors').select('id').where('contact_id', '=', abandoned.contactId).execute()).toHaveLength(1);
    expect((await s.req('GET', '/auth/session', { auth: agentSession })).status).toBe(200);

    // 40 days on, past the session lifetime (14 days), the outbox retention (7) and the visitor
    // retention (30), every job is due: one scheduled round runs them all.
    clock.advanceMinutes(40 * 24 * 60);
    await s.deps.jobs!.runOnce();
    const list = await s.req('GET', '/admin/jobs', { auth: adminKey });
    expect(list.status).toBe(200);
    const ran: Record<string, any> = {};
    for (const job of list.body.data) {
      expect(job.lastStatus).toBe('ok');
      ran[job.name] = job.lastResult;
    }
    expect(ran['prune-outbox'].deleted).toBeGreaterThanOrEqual(dispatched.length);
    expect(ran['prune-sessions'].sessions).toBeGreaterThanOrEqual(1);
    expect(ran['prune-abandoned-visitors']).toMatchObject({ visitors: 1, contacts: 1 });

    expect(await db.selectFrom('visitors').select('id').where('contact_id', '=', abandoned.contactId).execute()).toHaveLength(0);
    expect(await db.selectFrom('contacts').select('id').where('id', '=', abandoned.contactId).execute()).toHaveLength(0);
    // The visitor who started a conversation, their contact and the conversation stay.
    expect(await db.selectFrom('visitors').select('id').where('contact_id', '=', talking.contactId).execute()).toHaveLength(1);
    expect((await s.req('GET', `/conversations/${conv.body.id}`, { auth: adminKey })).status).toBe(200);
    // The expired session no longer signs anyone in; the API key still works.
    expect((await s.req('GET', '/auth/session', { auth: agentSession })).status).toBe(401);
    const undispatched = await db.selectFrom('outbox').select('id').where('dispatched_at', 'is', null).execute();
    expect(undispatched.every((r) => dispatched.every((d) => d.id !== r.id))).toBe(true);

    const outboxJob = list.body.data.find((j: { name: string }) => j.name === 'prune-outbox');
    expect(outboxJob).toMatchObject({ lastStatus: 'ok', schedule: '7 * * * *' });
    expect(outboxJob.recentRuns.length).toBeGreaterThanOrEqual(2);
  });

  it('is for admins only and refuses unknown jobs', async () => {
    expect((await s.req('GET', '/admin/jobs', { auth: readKey })).status).toBe(403);
    expect((await s.req('POST', '/admin/jobs/prune-outbox/run', { auth: readKey })).status).toBe(403);
    expect((await s.req('POST', '/admin/jobs/no-such-job/run', { auth: adminKey })).status).toBe(404);
    expect((await s.req('POST', '/admin/jobs/..%2Fetc/run', { auth: adminKey })).status).toBe(400);
  });
});
