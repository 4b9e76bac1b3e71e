import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildReportRollups } from '../server/src/domain/reports/rollups';
import { type Calendar, openMillisBetween } from '../server/src/domain/routing/business-hours';
import { emit } from '../server/src/events/outbox';
import { BACKEND, type Session, startTestServer, type TestServer } from './helpers/test-server';

// The service, bot and knowledge figures (README "Reports") on a hand-made history: conversations are
// created through the API, then their messages, SLA records, ratings, votes and questions are written
// at known instants around the 2026 daylight-saving change in Berlin (Sunday 29 March, 02:00 -> 03:00),
// so each figure below is stated exactly. Team Berlin is open Monday to Friday, 09:00 to 17:00.

const TZ = 'Europe/Berlin';
const BERLIN_WINDOW = `from=2026-03-27&to=2026-03-30&timeZone=${encodeURIComponent(TZ)}`;
const UTC_WINDOW = 'from=2026-03-27&to=2026-03-30&timeZone=UTC';
const WEEKDAYS: Calendar = {
  timeZone: TZ,
  hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]])),
  holidays: [],
};
const H = 3_600_000;
const at = (iso: string) => new Date(iso);

describe('business hours between two instants', () => {
  it('counts only open time, across a weekend with a daylight-saving change', () => {
    // Friday 16:50 CET to Monday 09:10 CEST: 10 minutes on Friday, 10 on Monday.
    expect(openMillisBetween(WEEKDAYS, at('2026-03-27T15:50:00Z'), at('2026-03-30T07:10:00Z'))).toBe(20 * 60_000);
    // The same span in wall time is 63 h 20 min (the Sunday had 23 hours).
    expect(at('2026-03-30T07:10:00Z').getTime() - at('2026-03-27T15:50:00Z').getTime()).toBe(63 * H + 20 * 60_000);
    // Closed the whole time: Saturday to Sunday.
    expect(openMillisBetween(WEEKDAYS, at('2026-03-28T08:00:00Z'), at('2026-03-29T20:00:00Z'))).toBe(0);
    // An overnight range (22:00 to 06:00) meeting the next day's own hours counts each instant once.
    const night: Calendar = {
      timeZone: 'UTC',
      hours: { mon: [{ start: '22:00', end: '06:00' }], tue: [{ start: '00:00', end: '08:00' }] },
      holidays: [],
    };
    expect(openMillisBetween(night, at('2026-03-30T21:00:00Z'), at('2026-03-31T09:00:00Z'))).toBe(10 * H);
    // A holiday closes the day; without hours every other instant counts; reversed spans are zero.
    const holiday: Calendar = { timeZone: 'UTC', hours: {}, holidays: ['2026-03-31'] };
    expect(openMillisBetween(holiday, at('2026-03-30T12:00:00Z'), at('2026-04-01T12:00:00Z'))).toBe(24 * H);
    expect(openMillisBetween(WEEKDAYS, at('2026-03-30T10:00:00Z'), at('2026-03-30T09:00:00Z'))).toBe(0);
  });
});

describe(`report definitions on a hand-made history (${BACKEND})`, () => {
  let s: TestServer;
  let agent: Session;
  let agentId: string;
  let otherId: string;
  let k1: string;
  let k2: string;
  const db = () => s.deps.db;
  const ok = (res: { status: number; text: string; body: any }, status = 200) => {
    expect(res.status, res.text).toBe(status);
    return res.body;
  };

  /** Messages after the opening one, with their instants; seq follows the list. */
  const writeMessages = async (id: string, list: [kind: 'contact' | 'agent' | 'bot', iso: string, meta?: unknown][]) => {
    const { last_seq } = await db().selectFrom('conversations').select('last_seq').where('id', '=', id).executeTakeFirstOrThrow();
    let seq = last_seq;
    for (const [kind, iso, meta] of list) {
      seq += 1;
      await sql`insert into messages (conversation_id, seq, author_kind, author_id, body_html, body_text, created_at, meta)
        values (${id}, ${seq}, ${kind}, ${kind === 'agent' ? agentId : null}, '<p>x</p>', 'x', ${at(iso)},
                ${meta ? JSON.stringify(meta) : null}::jsonb)`.execute(db());
    }
    await db().updateTable('conversations').set({ last_seq: seq }).where('id', '=', id).execute();
  };

  beforeAll(async () => {
    s = await startTestServer();
    const user = async (name: string) => {
      const email = `${name.replace(/\W/g, '').toLowerCase()}@definitions.test`;
      const res = ok(
        await s.req('POST', '/users', { auth: s.admin, body: { email, name, role: 'agent', password: 'definitions-pass-1' } }),
        201,
      );
      return { id: res.id as string, email };
    };
    const a = await user('Dora Agent');
    const b = await user('Otto Other');
    agentId = a.id;
    otherId = b.id;
    ok(await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [a.id, b.id] } }));
    agent = await s.login(a.email, 'definitions-pass-1');
    const team = await sql<{ id: string }>`insert into teams (name, time_zone, business_hours)
      values ('Berlin', ${TZ}, ${JSON.stringify(WEEKDAYS.hours)}::jsonb) returning id`.execute(db());
    const teamId = team.rows[0]?.id as string;
    // Written behind the app's back (a hand-made history), so say what it made stale, as a write path does.
    await emit(db(), 'cache.stale', { keys: ['calendars'] });
    const create = async (subject: string, extra: Record<string, unknown>) =>
      ok(
        await s.req('POST', '/conversations', {
          auth: s.admin,
          body: {
            inboxId: s.inboxId,
            subject,
            contact: { name: subject, email: `${subject}@customer.example` },
            message: { body: 'Hello' },
            ...extra,
          },
        }),
        201,
      ).id as string;
    k1 = await create('k1', { assigneeId: a.id });
    k2 = await create('k2', { assigneeId: a.id });
    const k3 = await create('k3', { assigneeId: b.id });
    await s.settle();

    // k1, team Berlin: opened Friday 16:00 CET, answered 16:30, asked again 16:50, answered Monday
    // 09:10 CEST (plus a follow-up at 09:20 with nobody waiting), resolved Monday 10:00.
    await db()
      .updateTable('conversations')
      .set({
        team_id: teamId,
        created_at: at('2026-03-27T15:00:00Z'),
        first_response_at: at('2026-03-27T15:30:00Z'),
        resolved_at: at('2026-03-30T08:00:00Z'),
        csat_rating: 2,
        csat_comment: 'Waited all weekend',
        csat_at: at('2026-03-30T08:30:00Z'),
      })
      .where('id', '=', k1)
      .execute();
    await db()
      .updateTable('messages')
      .set({ created_at: at('2026-03-27T15:00:00Z') })
      .where('conversation_id', '=', k1)
      .execute();
    await writeMessages(k1, [
      ['agent', '2026-03-27T15:30:00Z'],
      ['contact', '2026-03-27T15:50:00Z'],
      ['agent', '2026-03-30T07:10:00Z'],
      ['agent', '2026-03-30T07:20:00Z'],
    ]);
    // k2, no team: opened Friday 00:00 in Berlin (Thursday 23:00 UTC: outside the window counted in
    // UTC), a bot answer citing an article, answered at 23:10, asked again 23:20, answered 23:30.
    await db()
      .updateTable('conversations')
      .set({
        created_at: at('2026-03-26T23:00:00Z'),
        first_response_at: at('2026-03-26T23:10:00Z'),
        csat_rating: 5,
        csat_comment: '  ',
        csat_at: at('2026-03-26T23:40:00Z'),
        bot_unhelpful_turns: 1,
      })
      .where('id', '=', k2)
      .execute();
    await db()
      .updateTable('messages')
      .set({ created_at: at('2026-03-26T23:00:00Z') })
      .where('conversation_id', '=', k2)
      .execute();
    const citation = { articleId: '00000000-0000-4000-8000-000000000001', title: 'Refunds', url: '/help/refunds' };
    await writeMessages(k2, [
      ['bot', '2026-03-26T23:05:00Z', { citations: [citation] }],
      ['bot', '2026-03-26T23:06:00Z', { actions: ['handoff'] }],
      ['agent', '2026-03-26T23:10:00Z'],
      ['contact', '2026-03-26T23:20:00Z'],
      ['agent', '2026-03-26T23:30:00Z'],
    ]);
    // k3 is outside the window altogether (a week later).
    await db()
      .updateTable('conversations')
      .set({ created_at: at('2026-04-06T10:00:00Z') })
      .where('id', '=', k3)
      .execute();

    // SLA: first response in 30 min and resolution in 60 min for both; k1 missed its resolution
    // target (breach recorded Friday 17:00 UTC), and a breach outside the window does not count.
    const policy = ok(
      await s.req('POST', '/sla-policies', {
        auth: s.admin,
        body: { name: 'Normal', priority: 'normal', firstResponseMinutes: 30, resolutionMinutes: 60 },
      }),
      201,
    );
    for (const id of [k1, k2])
      await sql`insert into conversation_routing (conversation_id, sla_policy_id, updated_at) values (${id}, ${policy.id}, now())
        on conflict (conversation_id) do update set sla_policy_id = excluded.sla_policy_id`.execute(db());
    const breach = (id: string, target: string, iso: string) =>
      sql`insert into audit_log (actor, action, entity_type, entity_id, after, at)
        values ('system', 'sla.breached', 'conversation', ${id}, ${JSON.stringify({ conversationId: id, target })}::jsonb, ${at(iso)})`.execute(
        db(),
      );
    await breach(k1, 'resolution', '2026-03-27T17:00:00Z');
    await breach(k3, 'first_response', '2026-04-06T11:00:00Z');

    // The knowledge base: one article with two votes in the window and one before; one unanswered
    // question asked twice in the window (in two conversations) and once before.
    const article = ok(
      await s.req('POST', '/kb/articles', {
        auth: s.admin,
        body: { slug: 'refunds', locale: 'en', title: 'Refunds', body: 'How refunds work.', status: 'published' },
      }),
      201,
    );
    const vote = (helpful: boolean, iso: string) =>
      sql`insert into kb_feedback (article_id, locale, helpful, created_at) values (${article.id}, 'en', ${helpful}, ${at(iso)})`.execute(
        db(),
      );
    await vote(true, '2026-03-28T10:00:00Z');
    await vote(false, '2026-03-29T10:00:00Z');
    await vote(false, '2026-03-20T10:00:00Z');
    const gap = await sql<{ id: string }>`insert into kb_gaps (question, normalized, last_asked_at)
      values ('Can I pay by invoice?', 'can i pay by invoice', ${at('2026-03-28T09:00:00Z')}) returning id`.execute(db());
    const gapId = gap.rows[0]?.id as string;
    for (const [id, iso] of [
      [k1, '2026-03-27T15:01:00Z'],
      [k2, '2026-03-28T09:00:00Z'],
      [k2, '2026-03-10T09:00:00Z'],
    ] as const)
      await sql`insert into kb_gap_examples (gap_id, conversation_id, question, created_at)
        values (${gapId}, ${id}, 'Can I pay by invoice?', ${at(iso)})`.execute(db());

    // A macro used twice by Dora and once by Otto in k1.
    const macro = ok(
      await s.req('POST', '/macros', {
        auth: s.admin,
        body: { name: 'Invoice', body: 'We send invoices.', visibility: 'shared' },
      }),
      201,
    );
    for (const [user, iso] of [
      [agentId, '2026-03-27T15:29:00Z'],
      [agentId, '2026-03-30T07:09:00Z'],
      [otherId, '2026-03-28T12:00:00Z'],
    ] as const)
      await sql`insert into macro_uses (macro_id, macro_name, user_id, conversation_id, used_at)
        values (${macro.id}, 'Invoice', ${user}, ${k1}, ${at(iso)})`.execute(db());
    // Instants moved behind the events' back: the overview's rollups are rebuilt, as after an import.
    await rebuildReportRollups(db());
  }, 300_000);

  afterAll(async () => {
    await s?.close();
  });

  it('next-response time: customer message after a reply, to the next reply; in business hours too', async () => {
    const r = ok(await s.req('GET', `/reports/service?${BERLIN_WINDOW}`, { auth: s.admin }));
    // k2: 600 s (no team: every hour counts); k1: Friday 16:50 CET to Monday 09:10 CEST, 63 h 20 min
    // of wall time across the daylight-saving change, 20 minutes of business hours.
    expect(r.nextResponse).toEqual({ count: 2, medianSeconds: 600, p90Seconds: 228_000 });
    expect(r.businessHours.nextResponse).toEqual({ count: 2, medianSeconds: 600, p90Seconds: 1200 });
    // First response: k2 600 s, k1 30 min (both open time); resolution of k1: 65 h wall, 2 h open.
    expect(r.businessHours.firstResponse).toEqual({ count: 2, medianSeconds: 600, p90Seconds: 1800 });
    expect(r.businessHours.resolution).toEqual({ count: 1, medianSeconds: 7200, p90Seconds: 7200 });
    const o = ok(await s.req('GET', `/reports/overview?${BERLIN_WINDOW}`, { auth: s.admin }));
    expect(o.current.resolution).toEqual({ count: 1, medianSeconds: 65 * 3600, p90Seconds: 65 * 3600 });
  });

  it('moves waits across the day boundary with the time zone', async () => {
    // Counted in UTC the window starts at Friday 00:00 UTC: k2's waits (Thursday 23:xx UTC) fall out.
    const r = ok(await s.req('GET', `/reports/service?${UTC_WINDOW}`, { auth: s.admin }));
    expect(r.nextResponse).toEqual({ count: 1, medianSeconds: 228_000, p90Seconds: 228_000 });
    expect(r.businessHours.firstResponse.count).toBe(1);
  });

  it('SLA attainment per target and breaches in the period', async () => {
    const r = ok(await s.req('GET', `/reports/service?${BERLIN_WINDOW}`, { auth: s.admin }));
    expect(r.sla.targets).toEqual([
      { target: 'first_response', measured: 2, breached: 0, attainment: 1 },
      { target: 'next_response', measured: 0, breached: 0, attainment: null },
      { target: 'resolution', measured: 2, breached: 1, attainment: 0.5 },
    ]);
    expect(r.sla.breaches).toEqual([{ target: 'resolution', count: 1 }]);
  });

  it('CSAT comments: rated in the period with a comment that is not blank', async () => {
    const r = ok(await s.req('GET', `/reports/service?${BERLIN_WINDOW}`, { auth: s.admin }));
    expect(r.csatComments).toEqual([
      {
        conversationId: k1,
        number: expect.any(Number),
        rating: 2,
        comment: 'Waited all weekend',
        at: '2026-03-30T08:30:00.000Z',
      },
    ]);
  });

  it('bot answers and articles cited, unhelpful answers, votes and unanswered questions', async () => {
    const r = ok(await s.req('GET', `/reports/knowledge?${BERLIN_WINDOW}`, { auth: s.admin }));
    expect(r.bot).toEqual({
      answers: 1,
      unhelpful: 1,
      helped: 0,
      articlesCited: [{ articleId: '00000000-0000-4000-8000-000000000001', title: 'Refunds', count: 1 }],
    });
    expect(r.feedback).toEqual([{ articleId: expect.any(String), title: 'Refunds', helpful: 1, notHelpful: 1 }]);
    expect(r.unanswered).toEqual([{ question: 'Can I pay by invoice?', count: 2, lastAskedAt: '2026-03-28T09:00:00.000Z' }]);
    expect(r.views).toEqual({ total: 0, articles: [] });
    const utc = ok(await s.req('GET', `/reports/knowledge?${UTC_WINDOW}`, { auth: s.admin }));
    expect(utc.bot.answers).toBe(0);
  });

  it('agent handle time: from the wait their first reply answered to their last reply', async () => {
    const r = ok(await s.req('GET', `/reports/agents?${BERLIN_WINDOW}`, { auth: s.admin }));
    const dora = r.data.find((a: { agentId: string }) => a.agentId === agentId);
    // k2: 23:00 to 23:30 (1800 s); k1: Friday 15:00 UTC to Monday 07:20 UTC (64 h 20 min).
    expect(dora.handleTime).toEqual({ count: 2, medianSeconds: 1800, p90Seconds: 231_600 });
    expect(dora.replies).toBe(5);
    const mine = ok(await s.req('GET', `/reports/agents?${BERLIN_WINDOW}`, { auth: agent }));
    expect(mine.data.map((a: { agentId: string }) => a.agentId)).toEqual([agentId]);
  });

  it('macro usage: by whom, last used, and the outcome where it was used', async () => {
    const r = ok(await s.req('GET', `/reports/macros?${BERLIN_WINDOW}`, { auth: s.admin }));
    expect(r.data).toEqual([
      expect.objectContaining({
        name: 'Invoice',
        uses: 3,
        users: 2,
        usedBy: [
          { userId: agentId, name: 'Dora Agent', uses: 2 },
          { userId: otherId, name: 'Otto Other', uses: 1 },
        ],
        lastUsedAt: '2026-03-30T07:09:00.000Z',
        conversations: 1,
        resolutionMedianSeconds: 65 * 3600,
        csatAverage: 2,
        reopenRate: 0,
      }),
    ]);
  });

  it('needs the reports:read scope for the service and knowledge reports and their CSVs', async () => {
    const without = await s.apiKey(['conversations:read']);
    const key = await s.apiKey(['reports:read']);
    for (const path of ['/reports/service', '/reports/knowledge', '/reports/service/export', '/reports/knowledge/export']) {
      expect((await s.req('GET', `${path}?${BERLIN_WINDOW}`, { auth: without })).status, path).toBe(403);
      expect((await s.req('GET', `${path}?${BERLIN_WINDOW}`)).status, path).toBe(401);
      expect((await s.req('GET', `${path}?${BERLIN_WINDOW}`, { auth: key })).status, path).toBe(200);
      expect((await s.req('GET', `${path}?from=2026-03-30&to=2026-03-27`, { auth: key })).status, path).toBe(400);
    }
    expect(ok(await s.req('GET', `/reports/service?${BERLIN_WINDOW}`, { auth: key })).sla.breaches).toEqual([
      { target: 'resolution', count: 1 },
    ]);
  });

  it('exports the service and knowledge reports as CSV; an agent sees only their own conversations', async () => {
    const csv = await s.req('GET', `/reports/service/export?${BERLIN_WINDOW}`, { auth: s.admin });
    expect(csv.status).toBe(200);
    const rows: string[][] = parse(csv.text);
    expect(rows[0]).toEqual(['section', 'name', 'value']);
    expect(rows).toContainEqual(['next_response', 'p90_seconds', '228000']);
    expect(rows).toContainEqual(['sla_resolution', 'attainment', '0.5']);
    expect(rows).toContainEqual(['csat_comment_2', expect.stringContaining('2026-03-30T08:30'), 'Waited all weekend']);
    const kb: string[][] = parse((await s.req('GET', `/reports/knowledge/export?${BERLIN_WINDOW}`, { auth: s.admin })).text);
    expect(kb).toContainEqual(['article_feedback', 'Refunds', '1', '1']);
    expect(kb).toContainEqual(['unanswered_question', 'Can I pay by invoice?', '2', '2026-03-28T09:00:00.000Z']);
    // Dora's own service report: both conversations are hers; Otto's (none in the window) is empty.
    const other = await s.login('ottoother@definitions.test', 'definitions-pass-1');
    const his = ok(await s.req('GET', `/reports/service?${BERLIN_WINDOW}`, { auth: other }));
    expect(his.nextResponse.count).toBe(0);
    expect(his.csatComments).toEqual([]);
    const hers = ok(await s.req('GET', `/reports/service?${BERLIN_WINDOW}`, { auth: agent }));
    expect(hers.nextResponse.count).toBe(2);
  });
});
