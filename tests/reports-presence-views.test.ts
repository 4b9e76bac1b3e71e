import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordArticleView } from '../server/src/domain/kb/article-views';
import { ManualClock } from '../server/src/domain/routing/clock';
import { agentSocket, call, connected, type TestSocket } from './helpers/sockets';
import { BACKEND, type Session, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// The two report figures that need their own records (README "Reports"): time online/away/offline per
// agent, summed from the presence history routing keeps as the realtime layer reports changes (real
// agent sockets, routing's clock moved by hand), and help-center article views, counted when the
// article page is served (real pages from the server, told apart by user agent).

const H = 3600;
const clock = new ManualClock('2026-05-03T20:00:00Z');
const jobsClock = new ManualClock('2026-05-05T12:00:00Z');

describe(`time online, away and offline per agent (${BACKEND})`, () => {
  let s: TestServer;
  let dora: { id: string; session: Session };
  let socket: TestSocket | undefined;
  const ok = (res: { status: number; text: string; body: any }, status = 200) => {
    expect(res.status, res.text).toBe(status);
    return res.body;
  };
  const openStatus = async (userId: string) =>
    (
      await s.deps.db
        .selectFrom('agent_presence_log')
        .select('status')
        .where('user_id', '=', userId)
        .where('ended_at', 'is', null)
        .executeTakeFirst()
    )?.status;
  const presenceOf = async (query: string, auth: Session | string = s.admin) => {
    const r = ok(await s.req('GET', `/reports/agents?${query}`, { auth }));
    return r.data.find((a: { agentId: string }) => a.agentId === dora.id)?.presence;
  };
  const connect = async () => {
    socket = agentSocket(s.url, dora.session);
    await connected(socket);
    await waitFor(async () => (await openStatus(dora.id)) === 'online');
  };
  const setStatus = async (status: 'online' | 'away') => {
    await call(socket as TestSocket, 'presence:set', { status });
    await waitFor(async () => (await openStatus(dora.id)) === status);
  };

  beforeAll(async () => {
    s = await startTestServer({ clock, jobsClock, env: { JOBS_POLL_MS: '3600000' } });
    const user = ok(
      await s.req('POST', '/users', {
        auth: s.admin,
        body: { email: 'dora@presence.test', name: 'Dora Presence', role: 'agent', password: 'presence-pass-1' },
      }),
      201,
    );
    dora = { id: user.id, session: await s.login('dora@presence.test', 'presence-pass-1') };

    // Sunday 3 May: online 20:00-22:00 UTC, then offline overnight. Monday 4 May: online 10:00-10:30,
    // away 10:30-10:40, online again from 10:40 (still open).
    await connect();
    clock.set('2026-05-03T22:00:00Z');
    socket?.disconnect();
    await waitFor(async () => (await openStatus(dora.id)) === 'offline');
    clock.set('2026-05-04T10:00:00Z');
    await connect();
    clock.set('2026-05-04T10:30:00Z');
    await setStatus('away');
    clock.set('2026-05-04T10:40:00Z');
    await setStatus('online');
  }, 120_000);

  afterAll(async () => {
    socket?.disconnect();
    await s?.close();
  });

  it('keeps one interval per change, each closed where the next begins', async () => {
    const rows = await s.deps.db
      .selectFrom('agent_presence_log')
      .select(['status', 'started_at', 'ended_at'])
      .where('user_id', '=', dora.id)
      .orderBy('started_at')
      .execute();
    expect(rows.map((r) => [r.status, r.started_at.toISOString(), r.ended_at?.toISOString() ?? null])).toEqual([
      ['online', '2026-05-03T20:00:00.000Z', '2026-05-03T22:00:00.000Z'],
      ['offline', '2026-05-03T22:00:00.000Z', '2026-05-04T10:00:00.000Z'],
      ['online', '2026-05-04T10:00:00.000Z', '2026-05-04T10:30:00.000Z'],
      ['away', '2026-05-04T10:30:00.000Z', '2026-05-04T10:40:00.000Z'],
      ['online', '2026-05-04T10:40:00.000Z', null],
    ]);
  });

  it('sums each status in the window: edges clipped, the open interval up to now', async () => {
    // Now 11:00: the open interval counts 20 minutes; the night's offline is clipped at midnight.
    clock.set('2026-05-04T11:00:00Z');
    expect(await presenceOf('from=2026-05-04&to=2026-05-04&timeZone=UTC')).toEqual({
      onlineSeconds: 50 * 60,
      awaySeconds: 600,
      offlineSeconds: 10 * H,
    });
    // A day later the open interval is clipped at the window's end (midnight): 10:40 to 24:00.
    clock.set('2026-05-05T12:00:00Z');
    expect(await presenceOf('from=2026-05-04&to=2026-05-04&timeZone=UTC')).toEqual({
      onlineSeconds: 30 * 60 + 13 * H + 20 * 60,
      awaySeconds: 600,
      offlineSeconds: 10 * H,
    });
    // Sunday: two hours online, two offline until midnight; before 20:00 nothing is known.
    expect(await presenceOf('from=2026-05-03&to=2026-05-03&timeZone=UTC')).toEqual({
      onlineSeconds: 2 * H,
      awaySeconds: 0,
      offlineSeconds: 2 * H,
    });
    // Counted in Berlin (UTC+2), Monday runs from Sunday 22:00 UTC to Monday 22:00 UTC.
    expect(await presenceOf(`from=2026-05-04&to=2026-05-04&timeZone=${encodeURIComponent('Europe/Berlin')}`)).toEqual({
      onlineSeconds: 30 * 60 + 11 * H + 20 * 60,
      awaySeconds: 600,
      offlineSeconds: 12 * H,
    });
    // Before any history: nothing.
    expect(await presenceOf('from=2026-04-01&to=2026-04-30&timeZone=UTC')).toEqual({
      onlineSeconds: 0,
      awaySeconds: 0,
      offlineSeconds: 0,
    });
  });

  it('shows the agent their own time, in the CSV too', async () => {
    expect(await presenceOf('from=2026-05-03&to=2026-05-04&timeZone=UTC', dora.session)).toEqual({
      onlineSeconds: 2 * H + 30 * 60 + 13 * H + 20 * 60,
      awaySeconds: 600,
      offlineSeconds: 12 * H,
    });
    const csv = await s.req('GET', '/reports/agents/export?from=2026-05-04&to=2026-05-04&timeZone=UTC', { auth: s.admin });
    expect(csv.status).toBe(200);
    const [header, ...rows]: string[][] = parse(csv.text);
    const row = rows.find((r) => r[0] === dora.id) as string[];
    const cell = (name: string) => row[(header as string[]).indexOf(name)];
    expect([cell('online_seconds'), cell('away_seconds'), cell('offline_seconds')]).toEqual([
      String(30 * 60 + 13 * H + 20 * 60),
      '600',
      String(10 * H),
    ]);
  });

  it('closes the open interval when reconciliation finds the agent gone (a process that died)', async () => {
    // Otto's presence as a process that died left it: online, with no socket anywhere.
    const otto = ok(
      await s.req('POST', '/users', {
        auth: s.admin,
        body: { email: 'otto@presence.test', name: 'Otto Presence', role: 'agent', password: 'presence-pass-1' },
      }),
      201,
    );
    // One transaction: a routing round in between would see the state without its history.
    clock.set('2026-05-05T12:00:00Z');
    await s.deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('agent_routing_state')
        .values({ user_id: otto.id, presence: 'online', presence_changed_at: new Date('2026-05-05T09:00:00Z') })
        .execute();
      await trx
        .insertInto('agent_presence_log')
        .values({ user_id: otto.id, status: 'online', started_at: new Date('2026-05-05T09:00:00Z') })
        .execute();
    });
    await s.deps.routing.settle();
    const rows = await s.deps.db
      .selectFrom('agent_presence_log')
      .select(['status', 'ended_at'])
      .where('user_id', '=', otto.id)
      .orderBy('started_at')
      .execute();
    expect(rows.map((r) => [r.status, r.ended_at?.toISOString() ?? null])).toEqual([
      ['online', '2026-05-05T12:00:00.000Z'],
      ['offline', null],
    ]);
  });

  it('prunes history past its age with the retention job, keeping what is open', async () => {
    const run = async () => ok(await s.req('POST', '/admin/jobs/apply-retention/run', { auth: s.admin })).lastResult;
    // Thirty days on nothing is old enough (the audit log is kept forever, so 400 days).
    jobsClock.set('2026-06-05T12:00:00Z');
    expect((await run()).presenceIntervalsDeleted).toBe(0);
    // With the audit log kept 30 days, presence history follows: Dora's closed intervals go.
    const policy = ok(await s.req('GET', '/admin/retention', { auth: s.admin }));
    ok(await s.req('PUT', '/admin/retention', { auth: s.admin, body: { ...policy, auditLogAfterDays: 30 } }));
    jobsClock.set('2026-06-05T12:01:00Z');
    expect((await run()).presenceIntervalsDeleted).toBe(5);
    const left = await sql<{ user_id: string; status: string }>`
      select user_id, status from agent_presence_log where user_id in (${dora.id}) order by started_at`.execute(s.deps.db);
    expect(left.rows).toEqual([{ user_id: dora.id, status: 'online' }]);
  });
});

describe(`help-center article views (${BACKEND})`, () => {
  let s: TestServer;
  let refunds: string;
  let invoices: string;
  const ok = (res: { status: number; text: string; body: any }, status = 200) => {
    expect(res.status, res.text).toBe(status);
    return res.body;
  };
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  // Yesterday to tomorrow in UTC: today's views whatever the hour.
  const AROUND_TODAY = () => `from=${day(-1)}&to=${day(1)}&timeZone=UTC`;
  const page = async (slug: string, userAgent: string) => {
    const res = await fetch(`${s.url}/help/en/articles/${slug}`, { headers: { accept: 'text/html', 'user-agent': userAgent } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<article');
  };

  beforeAll(async () => {
    s = await startTestServer();
    const article = async (slug: string, title: string) =>
      ok(
        await s.req('POST', '/kb/articles', {
          auth: s.admin,
          body: { slug, locale: 'en', title, body: `${title}: how it works.`, status: 'published' },
        }),
        201,
      ).id as string;
    refunds = await article('refunds', 'Refunds');
    invoices = await article('invoices', 'Invoices');
  }, 120_000);

  afterAll(async () => {
    await s?.close();
  });

  it('counts each reader once per article and day; bots are not readers', async () => {
    const alice = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0 alice';
    const bob = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) Safari/604.1 bob';
    // Alice reloads the page five times, Bob three; crawlers read it too.
    for (let i = 0; i < 5; i++) await page('refunds', alice);
    for (let i = 0; i < 3; i++) await page('refunds', bob);
    for (const bot of ['Mozilla/5.0 (compatible; Googlebot/2.1)', 'ExampleCrawler/1.0', 'Baiduspider/2.0'])
      await page('refunds', bot);
    // The widget opens the article through the API: Alice again (same reader), and Carol once.
    ok(await s.req('GET', '/help/articles/refunds?locale=en', { headers: { 'user-agent': alice } }));
    ok(await s.req('GET', '/help/articles/refunds?locale=en', { headers: { 'user-agent': 'Mozilla/5.0 carol' } }));
    await page('invoices', bob);

    const r = ok(await s.req('GET', `/reports/knowledge?${AROUND_TODAY()}`, { auth: s.admin }));
    expect(r.views).toEqual({
      total: 4,
      articles: [
        { articleId: refunds, title: 'Refunds', views: 3 },
        { articleId: invoices, title: 'Invoices', views: 1 },
      ],
    });
    // Nothing personal is kept: a number per article and hour, and today's salted keys.
    const stored = await s.deps.db.selectFrom('kb_article_views').select(['article_id', 'views']).execute();
    expect(stored.reduce((n, v) => n + v.views, 0)).toBe(4);
    const keys = await s.deps.db.selectFrom('kb_view_keys').select('key').execute();
    expect(keys).toHaveLength(4);
    expect(keys.some((k) => k.key.includes('alice') || k.key.includes('127.0.0.1'))).toBe(false);

    // A window without today has none.
    const before = ok(await s.req('GET', `/reports/knowledge?from=2026-01-01&to=2026-01-31&timeZone=UTC`, { auth: s.admin }));
    expect(before.views).toEqual({ total: 0, articles: [] });
  });

  it('exports the views in the knowledge CSV', async () => {
    const csv = await s.req('GET', `/reports/knowledge/export?${AROUND_TODAY()}`, { auth: s.admin });
    expect(csv.status).toBe(200);
    const rows: string[][] = parse(csv.text);
    expect(rows).toContainEqual(['article_views', 'total', '4', '']);
    expect(rows).toContainEqual(['article_views', 'Refunds', '3', refunds]);
    expect(rows).toContainEqual(['article_views', 'Invoices', '1', invoices]);
  });

  it('counts the same reader again on the next UTC day, and forgets the day before', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000);
    const reader = { articleId: refunds, address: '127.0.0.1', userAgent: 'Mozilla/5.0 dana' };
    expect(await recordArticleView(s.deps.db, { ...reader, now: new Date() })).toBe(true);
    expect(await recordArticleView(s.deps.db, { ...reader, now: new Date() })).toBe(false);
    expect(await recordArticleView(s.deps.db, { ...reader, now: tomorrow })).toBe(true);
    // Tomorrow's salt made, today's salt and keys are gone.
    const salts = await s.deps.db.selectFrom('kb_view_salts').select('day').execute();
    expect(salts.map((x) => x.day)).toEqual([tomorrow.toISOString().slice(0, 10)]);
    expect(await s.deps.db.selectFrom('kb_view_keys').select('day').execute()).toEqual([
      { day: tomorrow.toISOString().slice(0, 10) },
    ]);
    const r = ok(await s.req('GET', `/reports/knowledge?${AROUND_TODAY()}`, { auth: s.admin }));
    expect(r.views.total).toBe(6);
  });
});
