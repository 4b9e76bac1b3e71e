import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestPerson } from '../server/src/domain/bot/request-person';
import { rebuildReportRollups } from '../server/src/domain/reports/rollups';
import { type Session, startTestServer, type TestServer } from './helpers/test-server';

// Conversations are created, answered, assigned, tagged, rated, resolved and reopened through the API;
// then their timestamps are moved to known instants around the 2026 daylight-saving change in Berlin
// (Sunday 29 March, 02:00 -> 03:00), so every figure below can be stated exactly.

const TZ = 'Europe/Berlin';
const WINDOW = `from=2026-03-28&to=2026-03-29&timeZone=${encodeURIComponent(TZ)}`;
const at = (iso: string) => new Date(iso);
const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000);

/** The exports read back with a real CSV parser (quoted cells, doubled quotes, CRLF lines). */
const parseCsv = (text: string): string[][] => parse(text, { relaxColumnCount: true });

describe('reports', () => {
  let s: TestServer;
  let agentA: Session;
  let agentB: Session;
  let supervisor: Session;
  let ids: Record<'c1' | 'c2' | 'c3' | 'c4' | 'c5', string>;
  const db = () => s.deps.db;

  const user = async (name: string, role: string) => {
    const email = `${name.replace(/\W/g, '').toLowerCase()}@reports.test`;
    const res = await s.req('POST', '/users', { auth: s.admin, body: { email, name, role, password: 'reports-password-1' } });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, login: () => s.login(email, 'reports-password-1') };
  };
  const ok = (res: { status: number; text: string; body: any }, status = 200) => {
    expect(res.status, res.text).toBe(status);
    return res.body;
  };

  beforeAll(async () => {
    s = await startTestServer();
    const a = await user('Ann Agent', 'agent');
    // A name a spreadsheet would run as a formula: the CSV must neutralise it.
    const b = await user('=HYPERLINK("http://evil")', 'agent');
    const sup = await user('Sue Supervisor', 'supervisor');
    ok(await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [a.id, b.id, sup.id] } }));
    [agentA, agentB, supervisor] = [await a.login(), await b.login(), await sup.login()];
    const statuses = ok(await s.req('GET', '/statuses', { auth: s.admin })).data as { id: string; category: string }[];
    const resolved = statuses.find((x) => x.category === 'resolved')?.id as string;
    const open = statuses.find((x) => x.category === 'open')?.id as string;

    const create = async (n: string, extra: Record<string, unknown>) =>
      ok(
        await s.req('POST', '/conversations', {
          auth: s.admin,
          body: {
            inboxId: s.inboxId,
            subject: n,
            contact: { name: n, email: `${n}@customer.example` },
            message: { body: 'Hello' },
            ...extra,
          },
        }),
        201,
      ).id as string;
    ids = {
      c1: await create('c1', {}),
      c2: await create('c2', { assigneeId: a.id, tags: ['billing'] }),
      c3: await create('c3', { assigneeId: a.id, priority: 'urgent' }),
      c4: await create('c4', { assigneeId: b.id }),
      c5: await create('c5', {}),
    };
    // Replies (first responses), ratings, resolutions and a reopen, all through the API.
    ok(await s.req('POST', `/conversations/${ids.c2}/messages`, { auth: agentA, body: { body: 'On it' } }), 201);
    const macro = ok(
      await s.req('POST', '/macros', { auth: s.admin, body: { name: 'Refund', body: 'Refunded', visibility: 'shared' } }),
      201,
    );
    ok(await s.req('POST', `/conversations/${ids.c2}/macros/${macro.id}/apply`, { auth: agentA }));
    for (const id of [ids.c2, ids.c3, ids.c4])
      ok(await s.req('PATCH', `/conversations/${id}`, { auth: s.admin, body: { statusId: resolved } }));
    ok(await s.req('PATCH', `/conversations/${ids.c4}`, { auth: s.admin, body: { statusId: open } }));
    await s.settle();

    // c2 and c3 started with the bot; c3 was handed to a person at the customer's request.
    await db()
      .updateTable('conversation_ownership')
      .set({ to_owner: 'bot' })
      .where('conversation_id', 'in', [ids.c2, ids.c3])
      .execute();
    await db().updateTable('conversations').set({ owner: 'bot' }).where('id', '=', ids.c3).execute();
    await requestPerson(db(), { conversationId: ids.c3, reason: 'customer_request' });
    await db().updateTable('conversations').set({ owner: 'human' }).where('id', '=', ids.c2).execute();

    // The instants: c1 is the last minute of Friday 27 March in Berlin (previous period), c2 the first
    // minute of Saturday, c3 Sunday 03:30 (just after the clocks went forward), c4 the last minute of
    // Sunday (CEST), c5 Monday's first minute (after the window).
    const times = {
      c1: '2026-03-27T22:59:00Z',
      c2: '2026-03-27T23:00:00Z',
      c3: '2026-03-29T01:30:00Z',
      c4: '2026-03-29T21:59:00Z',
      c5: '2026-03-29T22:00:00Z',
    };
    for (const [k, t] of Object.entries(times))
      await db()
        .updateTable('conversations')
        .set({
          created_at: at(t),
          first_response_at: null,
          resolved_at: null,
          csat_rating: null,
          csat_at: null,
          waiting_since: null,
        })
        .where('id', '=', ids[k as keyof typeof ids])
        .execute();
    const set = (id: string, values: Record<string, unknown>) =>
      db().updateTable('conversations').set(values).where('id', '=', id).execute();
    await set(ids.c2, {
      first_response_at: plus(times.c2, 60),
      resolved_at: plus(times.c2, 3600),
      csat_rating: 5,
      csat_at: plus(times.c2, 4000),
    });
    await set(ids.c3, {
      first_response_at: plus(times.c3, 120),
      resolved_at: plus(times.c3, 7200),
      csat_rating: 2,
      csat_at: plus(times.c3, 7300),
    });
    await set(ids.c4, { first_response_at: plus(times.c4, 600) });
    await set(ids.c1, { waiting_since: at('2026-03-27T22:59:00Z') });
    await db()
      .updateTable('status_history')
      .set({ at: at('2026-03-29T20:00:00Z') })
      .where('conversation_id', '=', ids.c4)
      .where('from_status_id', 'is not', null)
      .execute();
    await db()
      .updateTable('status_history')
      .set({ at: plus(times.c2, 3600) })
      .where('conversation_id', '=', ids.c2)
      .where('from_status_id', 'is not', null)
      .execute();
    await db()
      .updateTable('status_history')
      .set({ at: plus(times.c3, 7200) })
      .where('conversation_id', '=', ids.c3)
      .where('from_status_id', 'is not', null)
      .execute();
    await db()
      .updateTable('conversation_ownership')
      .set({ at: plus(times.c3, 30) })
      .where('conversation_id', '=', ids.c3)
      .where('reason', '=', 'customer_request')
      .execute();
    await db()
      .updateTable('messages')
      .set({ created_at: plus(times.c2, 60) })
      .where('conversation_id', '=', ids.c2)
      .where('author_kind', '=', 'agent')
      .execute();
    await db()
      .updateTable('macro_uses')
      .set({ used_at: plus(times.c2, 50) })
      .where('conversation_id', '=', ids.c2)
      .execute();
    // The instants were moved behind the events' back: rebuild the rollups from the raw tables, as an
    // operator would after an import (the rollups test proves the listener keeps them equal otherwise).
    await rebuildReportRollups(db());
  }, 120_000);

  afterAll(async () => {
    await s?.close();
  });

  it('counts, medians and p90 over the window in the workspace time zone, with the previous period', async () => {
    const o = ok(await s.req('GET', `/reports/overview?${WINDOW}`, { auth: supervisor }));
    expect(o.period).toEqual({ from: '2026-03-27T23:00:00.000Z', to: '2026-03-29T22:00:00.000Z' });
    expect(o.previousPeriod).toEqual({ from: '2026-03-25T23:00:00.000Z', to: '2026-03-27T23:00:00.000Z' });
    expect(o.current).toMatchObject({ created: 3, resolved: 2, reopened: 1 });
    // Nearest rank (README "Reports"): 60, 120, 600 s: median the 2nd (120), p90 the ceil(2.7) = 3rd (600).
    expect(o.current.firstResponse).toEqual({ count: 3, medianSeconds: 120, p90Seconds: 600 });
    // 3600, 7200 s: median the 1st, p90 the 2nd.
    expect(o.current.resolution).toEqual({ count: 2, medianSeconds: 3600, p90Seconds: 7200 });
    expect(o.current.csat).toEqual({ responses: 2, average: 3.5, distribution: [0, 1, 0, 0, 1], responseRate: 1 });
    expect(o.current.bot).toEqual({
      botHandled: 2,
      deflected: 1,
      handoffs: 1,
      handoffReasons: [{ reason: 'customer_request', count: 1 }],
    });
    expect(o.previous).toMatchObject({ created: 1, resolved: 0, reopened: 0 });
    expect(o.previous.firstResponse).toEqual({ count: 0, medianSeconds: null, p90Seconds: null });
  });

  it('moves a conversation across the day boundary when the time zone changes', async () => {
    const utc = ok(await s.req('GET', '/reports/overview?from=2026-03-28&to=2026-03-29&timeZone=UTC', { auth: supervisor }));
    // In UTC c2 (23:00 on the 27th) is before the window, c5 (22:00 on the 29th) inside it.
    expect(utc.current.created).toBe(3);
    const days = ok(await s.req('GET', '/reports/timeseries?from=2026-03-28&to=2026-03-29&timeZone=UTC', { auth: supervisor }));
    expect(days.data.map((d: { created: number }) => d.created)).toEqual([0, 3]);
  });

  it('gives created, resolved, reopened and the backlog per local day', async () => {
    const t = ok(await s.req('GET', `/reports/timeseries?${WINDOW}`, { auth: supervisor }));
    expect(t.timeZone).toBe(TZ);
    expect(t.data).toEqual([
      { day: '2026-03-28', created: 1, resolved: 1, reopened: 0, backlog: 1 },
      { day: '2026-03-29', created: 2, resolved: 1, reopened: 1, backlog: 2 },
    ]);
  });

  it('places conversations by local weekday and hour, across the daylight-saving change', async () => {
    const h = ok(await s.req('GET', `/reports/heatmap?${WINDOW}`, { auth: supervisor }));
    expect(h.data).toHaveLength(168);
    expect(h.data.filter((c: { count: number }) => c.count > 0)).toEqual([
      { weekday: 6, hour: 0, count: 1 },
      { weekday: 7, hour: 3, count: 1 },
      { weekday: 7, hour: 23, count: 1 },
    ]);
  });

  it('filters by priority, tag, agent, inbox and channel', async () => {
    const created = async (q: string) =>
      ok(await s.req('GET', `/reports/overview?${WINDOW}&${q}`, { auth: supervisor })).current.created;
    expect(await created('priority=urgent')).toBe(1);
    expect(await created('tag=billing')).toBe(1);
    expect(await created(`agent=${agentB.userId}`)).toBe(1);
    expect(await created(`inbox=${s.inboxId}`)).toBe(3);
    expect(await created('channel=web')).toBe(3);
    expect(await created('channel=email')).toBe(0);
  });

  it('gives per-agent stats; an agent sees only their own', async () => {
    const all = ok(await s.req('GET', `/reports/agents?${WINDOW}`, { auth: supervisor }));
    const ann = all.data.find((a: { agentId: string }) => a.agentId === agentA.userId);
    expect(ann).toMatchObject({
      name: 'Ann Agent',
      assigned: 2,
      resolved: 2,
      replies: 1,
      firstResponse: { count: 2, medianSeconds: 60, p90Seconds: 120 },
      resolution: { count: 2, medianSeconds: 3600, p90Seconds: 7200 },
      csatAverage: 3.5,
      csatResponses: 2,
    });
    expect(all.data.find((a: { agentId: string }) => a.agentId === agentB.userId)).toMatchObject({ assigned: 1, resolved: 0 });

    const mine = ok(await s.req('GET', `/reports/agents?${WINDOW}`, { auth: agentA }));
    expect(mine.data.map((a: { agentId: string }) => a.agentId)).toEqual([agentA.userId]);
    const myOverview = ok(await s.req('GET', `/reports/overview?${WINDOW}`, { auth: agentA }));
    expect(myOverview.current.created).toBe(2);
    const other = await s.req('GET', `/reports/overview?${WINDOW}&agent=${agentB.userId}`, { auth: agentA });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('forbidden');
  });

  it('reports macro uses and the outcome of their conversations', async () => {
    const m = ok(await s.req('GET', `/reports/macros?${WINDOW}`, { auth: supervisor }));
    expect(m.data).toHaveLength(1);
    expect(m.data[0]).toMatchObject({
      name: 'Refund',
      uses: 1,
      users: 1,
      lastUsedAt: '2026-03-27T23:00:50.000Z',
      conversations: 1,
      resolutionMedianSeconds: 3600,
      csatAverage: 5,
      reopenRate: 0,
    });
    expect(ok(await s.req('GET', `/reports/macros?${WINDOW}`, { auth: agentB })).data).toEqual([]);
  });

  it('shows the live dashboard: everyone to supervisors, their own to an agent', async () => {
    const live = ok(await s.req('GET', '/reports/live', { auth: supervisor }));
    expect(live).toMatchObject({ open: 3, pending: 0, waiting: 1 });
    expect(live.longestWaitSeconds).toBeGreaterThan(200 * 86_400);
    expect(live.agents.find((a: { agentId: string }) => a.agentId === agentB.userId)).toMatchObject({ openAssigned: 1 });
    expect(live.agents.find((a: { agentId: string }) => a.agentId === agentA.userId)).toMatchObject({ openAssigned: 0 });
    // An agent's board covers their own conversations and lists only themselves.
    const mine = ok(await s.req('GET', '/reports/live', { auth: agentB }));
    expect(mine).toMatchObject({ open: 1, waiting: 0, unassigned: 0 });
    expect(mine.agents.map((a: { agentId: string }) => a.agentId)).toEqual([agentB.userId]);
  });

  it('needs the reports:read scope', async () => {
    const without = await s.apiKey(['conversations:read']);
    const res = await s.req('GET', `/reports/overview?${WINDOW}`, { auth: without });
    expect(res.status).toBe(403);
    const key = await s.apiKey(['reports:read']);
    expect(ok(await s.req('GET', `/reports/overview?${WINDOW}`, { auth: key })).current.created).toBe(3);
    expect((await s.req('GET', `/reports/overview?${WINDOW}`)).status).toBe(401);
    expect((await s.req('GET', '/reports/overview?from=2026-03-29&to=2026-03-28', { auth: key })).status).toBe(400);
    expect((await s.req('GET', '/reports/overview?from=2026-03-29&to=2026-03-30&timeZone=Mars/Base', { auth: key })).status).toBe(
      400,
    );
  });

  it('uses the workspace report time zone when none is given', async () => {
    ok(await s.req('PUT', '/reports/settings', { auth: s.admin, body: { timeZone: TZ } }));
    expect((await s.req('PUT', '/reports/settings', { auth: supervisor, body: { timeZone: 'UTC' } })).status).toBe(403);
    const o = ok(await s.req('GET', '/reports/overview?from=2026-03-28&to=2026-03-29', { auth: supervisor }));
    expect(o.timeZone).toBe(TZ);
    expect(o.current.created).toBe(3);
  });

  it('exports every report as formula-safe CSV with the same figures', async () => {
    const agents = await s.req('GET', `/reports/agents/export?${WINDOW}`, { auth: supervisor });
    expect(agents.status).toBe(200);
    expect(agents.headers.get('content-type')).toContain('text/csv');
    const rows = parseCsv(agents.text);
    expect(rows[0]?.slice(0, 5)).toEqual(['agent_id', 'name', 'assigned', 'resolved', 'replies']);
    expect(rows.find((r) => r[0] === agentA.userId)?.slice(1, 6)).toEqual(['Ann Agent', '2', '2', '1', '60']);
    expect(rows.find((r) => r[0] === agentB.userId)?.[1]).toBe('\'=HYPERLINK("http://evil")');

    const overview = parseCsv((await s.req('GET', `/reports/overview/export?${WINDOW}`, { auth: supervisor })).text);
    expect(overview).toContainEqual(['created', '3', '1']);
    expect(overview).toContainEqual(['first_response_p90_seconds', '600', '']);
    const days = parseCsv((await s.req('GET', `/reports/timeseries/export?${WINDOW}`, { auth: supervisor })).text);
    expect(days).toEqual([
      ['day', 'created', 'resolved', 'reopened', 'backlog'],
      ['2026-03-28', '1', '1', '0', '1'],
      ['2026-03-29', '2', '1', '1', '2'],
    ]);
    expect(parseCsv((await s.req('GET', `/reports/heatmap/export?${WINDOW}`, { auth: supervisor })).text)).toHaveLength(169);
    expect(parseCsv((await s.req('GET', `/reports/macros/export?${WINDOW}`, { auth: supervisor })).text)[1]?.[1]).toBe('Refund');
    expect((await s.req('GET', `/reports/nope/export?${WINDOW}`, { auth: supervisor })).status).toBe(400);
  });

  it('exports raw conversations, one formula-safe row each with its own figures', async () => {
    await db().updateTable('conversations').set({ subject: '=1+2' }).where('id', '=', ids.c3).execute();
    try {
      const res = await s.req('GET', `/reports/conversations/export?${WINDOW}`, { auth: supervisor });
      expect(res.status).toBe(200);
      const [header, ...rows] = parseCsv(res.text);
      const col = (name: string) => (header as string[]).indexOf(name);
      const row = (id: string) => rows.find((r) => r[col('id')] === id) as string[];
      // Created in the window: c2, c3 and c4 (c1 is in the previous period, c5 after it).
      expect(rows.map((r) => r[col('id')]).sort()).toEqual([ids.c2, ids.c3, ids.c4].sort());
      expect(row(ids.c2)[col('first_response_seconds')]).toBe('60');
      expect(row(ids.c2)[col('resolution_seconds')]).toBe('3600');
      expect(row(ids.c2)[col('csat_rating')]).toBe('5');
      expect(row(ids.c2)[col('tags')]).toBe('billing');
      expect(row(ids.c2)[col('created_at')]).toBe('2026-03-27T23:00:00.000Z');
      expect(row(ids.c3)[col('subject')]).toBe("'=1+2");
      expect(row(ids.c3)[col('priority')]).toBe('urgent');
      expect(row(ids.c3)[col('handoffs')]).toBe('1');
      expect(row(ids.c4)[col('reopens')]).toBe('1');
      expect(row(ids.c4)[col('resolved_at')]).toBe('');
      // An agent gets their own conversations only.
      const mine = parseCsv((await s.req('GET', `/reports/conversations/export?${WINDOW}`, { auth: agentB })).text);
      expect(mine.slice(1).map((r) => r[0])).toEqual([ids.c4]);
    } finally {
      await db().updateTable('conversations').set({ subject: 'c3' }).where('id', '=', ids.c3).execute();
    }
  });
});
