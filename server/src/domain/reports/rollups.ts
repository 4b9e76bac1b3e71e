import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../storage/db';
import { bucketMetric, bucketOf, bucketSql } from './duration-histogram';
import { REPLY_FACT_COLUMNS, type ReplyFact, replyContributions, replyFactJoins, replyRebuildContributions } from './reply-facts';

/**
 * Report rollups (issue 22). Two tables, both derived from the raw ones and kept by the outbox listener
 * listeners/maintain-report-rollups.ts:
 *
 * - `report_facts`: one row per counted conversation (merged-away ones are left out, as everywhere in
 *   reports) with the dimensions it is reported under and its figures (durations in ms, CSAT, bot,
 *   reopen and hand-off instants).
 * - `report_rollups`: per UTC hour, dimension (`all`, inbox, channel, team, agent, tag, priority) and key,
 *   each metric's count `n` and sum `total`. Durations also go into a histogram (metrics `frt_b:<bucket>`
 *   and `res_b:<bucket>`, duration-histogram.ts) so medians and p90s are read without sorting. Every row
 *   also has a per-UTC-day copy under dimension `<dim>/day` (hour = the day's UTC midnight).
 *
 * On any event about a conversation its fact is recomputed from the raw tables, and the rollups move
 * by (new contribution - old contribution). So a reassignment moves every figure of the conversation
 * from one agent to the other, a merge removes the merged one, a reopen adds one at its hour: the
 * rollups always equal the raw aggregate over the current state (tests/reports-rollups.test.ts).
 */

const DONE = sql`('resolved', 'closed')`;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/**
 * The per-UTC-day copy of a dimension's rows: the same metrics summed per day, so a 90-day report
 * reads about 90 rows per metric (plus the hours at the window's edges) instead of 2,160.
 */
export const dayDim = (dim: string) => `${dim}/day`;

/** The fact of each conversation matched by `where` (conversations aliased `c`), as report_facts columns. */
const factSelect = (where: RawBuilder<unknown>) => sql`
  select c.id as conversation_id, c.inbox_id, i.channel, c.team_id, c.assignee_id, c.priority,
    array(select distinct lower(t.name) from conversation_tags ct join tags t on t.id = ct.tag_id
          where ct.conversation_id = c.id order by 1) as tags,
    c.created_at,
    case when c.first_response_at is not null
      then round(extract(epoch from (c.first_response_at - c.created_at)) * 1000)::bigint end as first_response_ms,
    c.resolved_at,
    case when c.resolved_at is not null
      then round(extract(epoch from (c.resolved_at - c.created_at)) * 1000)::bigint end as resolution_ms,
    c.csat_rating, c.csat_at,
    exists (select 1 from conversation_ownership o where o.conversation_id = c.id and o.reason = 'created' and o.to_owner = 'bot') as bot_handled,
    (exists (select 1 from conversation_ownership o where o.conversation_id = c.id and o.reason = 'created' and o.to_owner = 'bot')
      and c.status_category in ${DONE}
      and not exists (select 1 from conversation_ownership o2 where o2.conversation_id = c.id and o2.to_owner = 'human')) as deflected,
    array(select h.at from status_history h
            join statuses fs on fs.id = h.from_status_id join statuses ts on ts.id = h.to_status_id
          where h.conversation_id = c.id and fs.category in ${DONE} and ts.category not in ${DONE} order by h.at) as reopens,
    array(select o.at from conversation_ownership o
          where o.conversation_id = c.id and o.from_owner = 'bot' and o.to_owner = 'human' order by o.at, o.id) as handoff_ats,
    array(select o.reason from conversation_ownership o
          where o.conversation_id = c.id and o.from_owner = 'bot' and o.to_owner = 'human' order by o.at, o.id) as handoff_reasons,
    ${sql.raw(REPLY_FACT_COLUMNS.join(', '))}
  from conversations c join inboxes i on i.id = c.inbox_id
  ${replyFactJoins}
  where c.merged_into_id is null and ${where}`;

const FACT_COLUMNS = sql.raw(
  [
    'conversation_id, inbox_id, channel, team_id, assignee_id, priority, tags, created_at, first_response_ms, resolved_at, resolution_ms, csat_rating, csat_at, bot_handled, deflected, reopens, handoff_ats, handoff_reasons',
    ...REPLY_FACT_COLUMNS,
  ].join(', '),
);

/** A fact as the listener reads it back: instants as epoch milliseconds, so no driver parses dates. */
interface Fact extends ReplyFact {
  inbox_id: string;
  channel: string;
  team_id: string | null;
  assignee_id: string | null;
  priority: string;
  tags: string[];
  created_ms: number;
  first_response_ms: number | null;
  resolved_ms: number | null;
  resolution_ms: number | null;
  csat_rating: number | null;
  csat_ms: number | null;
  bot_handled: boolean;
  deflected: boolean;
  reopens_ms: number[];
  handoff_ms: number[];
  handoff_reasons: string[];
}

const ms = (col: string) => sql.raw(`(extract(epoch from ${col}) * 1000)::float8`);
const readFacts = async (db: Db, ids: string[]): Promise<Fact[]> => {
  const { rows } = await sql<Fact>`
    select inbox_id::text, channel, team_id::text, assignee_id::text, priority, to_json(tags) as tags,
      ${ms('created_at')} as created_ms, first_response_ms::float8 as first_response_ms,
      ${ms('resolved_at')} as resolved_ms, resolution_ms::float8 as resolution_ms,
      csat_rating, ${ms('csat_at')} as csat_ms, bot_handled, deflected,
      to_json(array(select ${ms('x')} from unnest(reopens) x)) as reopens_ms,
      to_json(array(select ${ms('x')} from unnest(handoff_ats) x)) as handoff_ms,
      to_json(handoff_reasons) as handoff_reasons,
      to_json(array(select ${ms('x')} from unnest(next_reply_ats) x)) as next_reply_ms, to_json(next_wait_ms) as next_wait_ms,
      to_json(array(select ${ms('x')} from unnest(reply_ats) x)) as reply_ms, to_json(reply_authors) as reply_authors,
      to_json(handle_authors) as handle_authors,
      to_json(array(select ${ms('x')} from unnest(handle_first_ats) x)) as handle_first_ms, to_json(handle_ms) as handle_ms
    from report_facts where conversation_id in (${sql.join(ids)})`.execute(db);
  const arr = <T>(v: unknown): T[] => (typeof v === 'string' ? JSON.parse(v) : ((v as T[]) ?? []));
  return rows.map((r) => ({
    ...r,
    tags: arr<string>(r.tags),
    reopens_ms: arr<number>(r.reopens_ms).map(Number),
    handoff_ms: arr<number>(r.handoff_ms).map(Number),
    handoff_reasons: arr<string>(r.handoff_reasons),
    next_reply_ms: arr<number>(r.next_reply_ms).map(Number),
    next_wait_ms: arr<number>(r.next_wait_ms).map(Number),
    reply_ms: arr<number>(r.reply_ms).map(Number),
    reply_authors: arr<string>(r.reply_authors),
    handle_authors: arr<string>(r.handle_authors),
    handle_first_ms: arr<number>(r.handle_first_ms).map(Number),
    handle_ms: arr<number>(r.handle_ms).map(Number),
    created_ms: Number(r.created_ms),
    first_response_ms: r.first_response_ms === null ? null : Number(r.first_response_ms),
    resolved_ms: r.resolved_ms === null ? null : Number(r.resolved_ms),
    resolution_ms: r.resolution_ms === null ? null : Number(r.resolution_ms),
    csat_ms: r.csat_ms === null ? null : Number(r.csat_ms),
  }));
};

/** The dimensions a fact is reported under: every rollup row it feeds has one of these (dim, key). */
export function factDimensions(f: Pick<Fact, 'inbox_id' | 'channel' | 'team_id' | 'assignee_id' | 'priority' | 'tags'>) {
  const dims: [string, string][] = [
    ['all', ''],
    ['inbox', f.inbox_id],
    ['channel', f.channel],
    ['priority', f.priority],
  ];
  if (f.team_id) dims.push(['team', f.team_id]);
  if (f.assignee_id) dims.push(['agent', f.assignee_id]);
  for (const t of new Set(f.tags)) dims.push(['tag', t]);
  return dims;
}

/** What one fact adds to the rollups: (instant, metric, total) per counted thing. Mirrors REBUILD_ROLLUPS. */
export function factContributions(f: Fact): { at: number; metric: string; total: number }[] {
  const out: { at: number; metric: string; total: number }[] = [{ at: f.created_ms, metric: 'created', total: 0 }];
  if (f.first_response_ms !== null) {
    out.push({ at: f.created_ms, metric: 'first_response', total: f.first_response_ms });
    out.push({ at: f.created_ms, metric: bucketMetric('frt_b', bucketOf(f.first_response_ms)), total: f.first_response_ms });
  }
  if (f.bot_handled) out.push({ at: f.created_ms, metric: 'bot_handled', total: 0 });
  if (f.deflected) out.push({ at: f.created_ms, metric: 'deflected', total: 0 });
  if (f.resolved_ms !== null) {
    out.push({ at: f.resolved_ms, metric: 'resolved', total: 0 });
    out.push({ at: f.resolved_ms, metric: 'resolution', total: f.resolution_ms ?? 0 });
    out.push({ at: f.resolved_ms, metric: bucketMetric('res_b', bucketOf(f.resolution_ms ?? 0)), total: f.resolution_ms ?? 0 });
    if (f.csat_rating !== null) out.push({ at: f.resolved_ms, metric: 'rated_resolved', total: 0 });
  }
  if (f.csat_rating !== null && f.csat_ms !== null) {
    out.push({ at: f.csat_ms, metric: 'csat', total: f.csat_rating });
    out.push({ at: f.csat_ms, metric: `csat_${f.csat_rating}`, total: 0 });
  }
  for (const at of f.reopens_ms) out.push({ at, metric: 'reopened', total: 0 });
  f.handoff_ms.forEach((at, i) => {
    out.push({ at, metric: `handoff:${f.handoff_reasons[i] ?? ''}`, total: 0 });
  });
  out.push(...replyContributions(f));
  return out;
}

/**
 * Recomputes the facts of these conversations from the raw tables and moves the rollups by the
 * difference. Runs inside the caller's transaction (the outbox dispatch); the conversations' rows are
 * locked first so two dispatchers never apply the same difference twice.
 */
export async function refreshReportFacts(db: Db, props: { conversationIds: string[] }): Promise<void> {
  const ids = [...new Set(props.conversationIds)].sort();
  if (!ids.length) return;
  await sql`select id from conversations where id in (${sql.join(ids)}) order by id for update`.execute(db);
  const before = await readFacts(db, ids);
  await sql`delete from report_facts where conversation_id in (${sql.join(ids)})`.execute(db);
  await sql`insert into report_facts (${FACT_COLUMNS}) ${factSelect(sql`c.id in (${sql.join(ids)})`)}`.execute(db);
  const after = await readFacts(db, ids);
  const delta = new Map<string, { dim: string; key: string; metric: string; hour: number; n: number; total: number }>();
  const apply = (facts: Fact[], sign: 1 | -1) => {
    for (const f of facts) {
      const contributions = factContributions(f);
      // Each contribution lands in its hour's row and in its UTC day's row (dimension `<dim>/day`).
      for (const [hourDim, key] of factDimensions(f))
        for (const c of contributions)
          for (const [dim, span] of [
            [hourDim, HOUR_MS],
            [dayDim(hourDim), DAY_MS],
          ] as const) {
            const hour = Math.floor(c.at / span) * span;
            const k = `${dim}\u0000${key}\u0000${c.metric}\u0000${hour}`;
            const d = delta.get(k) ?? { dim, key, metric: c.metric, hour, n: 0, total: 0 };
            d.n += sign;
            d.total += sign * c.total;
            delta.set(k, d);
          }
    }
  };
  apply(before, -1);
  apply(after, 1);
  const changes = [...delta.values()].filter((d) => d.n !== 0 || d.total !== 0);
  for (let i = 0; i < changes.length; i += 500) {
    const chunk = changes.slice(i, i + 500);
    await sql`
      insert into report_rollups (dim, key, metric, hour, n, total)
      values ${sql.join(chunk.map((d) => sql`(${d.dim}, ${d.key}, ${d.metric}, ${new Date(d.hour)}, ${d.n}, ${Math.round(d.total)})`))}
      on conflict (dim, key, metric, hour) do update
        set n = report_rollups.n + excluded.n, total = report_rollups.total + excluded.total`.execute(db);
  }
  // Rows that fell back to nothing (a reassignment moved the only conversation away) are not kept.
  if (changes.length)
    await sql`delete from report_rollups where n = 0 and total = 0 and (dim, key, metric, hour) in (${sql.join(
      changes.map((d) => sql`(${d.dim}, ${d.key}, ${d.metric}, ${new Date(d.hour)}::timestamptz)`),
    )})`.execute(db);
}

const utcHour = (col: string) => sql.raw(`date_trunc('hour', ${col} at time zone 'UTC') at time zone 'UTC'`);

/** Everything factContributions adds, for every fact at once (the rebuild). */
const REBUILD_ROLLUPS = sql`
  insert into report_rollups (dim, key, metric, hour, n, total)
  select d.dim, d.key, e.metric, e.hour, count(*), coalesce(sum(e.total), 0)
  from report_facts f
  cross join lateral (
    select 'all' as dim, '' as key
    union all select 'inbox', f.inbox_id::text
    union all select 'channel', f.channel
    union all select 'priority', f.priority
    union all select 'team', f.team_id::text where f.team_id is not null
    union all select 'agent', f.assignee_id::text where f.assignee_id is not null
    union all select distinct 'tag', t from unnest(f.tags) t
  ) d
  cross join lateral (
    select ${utcHour('f.created_at')} as hour, 'created' as metric, 0::bigint as total
    union all select ${utcHour('f.created_at')}, 'first_response', f.first_response_ms where f.first_response_ms is not null
    union all select ${utcHour('f.created_at')}, 'frt_b:' || ${bucketSql(sql`f.first_response_ms`)}, f.first_response_ms
      where f.first_response_ms is not null
    union all select ${utcHour('f.created_at')}, 'bot_handled', 0 where f.bot_handled
    union all select ${utcHour('f.created_at')}, 'deflected', 0 where f.deflected
    union all select ${utcHour('f.resolved_at')}, 'resolved', 0 where f.resolved_at is not null
    union all select ${utcHour('f.resolved_at')}, 'resolution', coalesce(f.resolution_ms, 0) where f.resolved_at is not null
    union all select ${utcHour('f.resolved_at')}, 'res_b:' || ${bucketSql(sql`coalesce(f.resolution_ms, 0)`)}, coalesce(f.resolution_ms, 0)
      where f.resolved_at is not null
    union all select ${utcHour('f.resolved_at')}, 'rated_resolved', 0 where f.resolved_at is not null and f.csat_rating is not null
    union all select ${utcHour('f.csat_at')}, 'csat', f.csat_rating where f.csat_rating is not null and f.csat_at is not null
    union all select ${utcHour('f.csat_at')}, 'csat_' || f.csat_rating, 0 where f.csat_rating is not null and f.csat_at is not null
    union all select ${utcHour('x')}, 'reopened', 0 from unnest(f.reopens) x
    union all select ${utcHour('h.at')}, 'handoff:' || h.reason, 0 from unnest(f.handoff_ats, f.handoff_reasons) h(at, reason)
    ${replyRebuildContributions(utcHour)}
  ) e
  group by 1, 2, 3, 4`;

/** The per-day rows (dayDim) from the hourly ones the rebuild just wrote: the same sums, by UTC day. */
const REBUILD_DAY_ROLLUPS = sql`
  insert into report_rollups (dim, key, metric, hour, n, total)
  select r.dim || '/day', r.key, r.metric, date_trunc('day', r.hour at time zone 'UTC') at time zone 'UTC', sum(r.n), sum(r.total)
  from report_rollups r where r.dim not like '%/day'
  group by 1, 2, 3, 4`;

const STATE_KEY = 'reports.rollups';
/** Conversations whose events were dispatched while a rebuild held the lock: refreshed right after it. */
const PENDING_KEY = 'reports.rollups.pending';
/**
 * What the rollups hold; a server starting on rollups built by an older version rebuilds them once.
 * 2: duration histograms (frt_b / res_b) and per-day rows (`<dim>/day`).
 * 3: next-response waits (nrt_b), replies (reply:<author>) and handle time (handle:<author>:<bucket>).
 */
export const ROLLUP_VERSION = 3;
/**
 * The rebuild's advisory lock (any number, the same in every process). A rebuild holds it exclusively
 * for its whole transaction; the outbox listener takes it shared for each refresh, so a refresh never
 * waits minutes behind a rebuild (it notes its conversations instead, see refreshOrDefer) and two
 * processes starting at once decide under it which one rebuilds. PGlite serializes transactions anyway.
 */
const REBUILD_LOCK = 7_220_022;

type State = { version?: number } | undefined;
const parse = (raw: unknown): State => (typeof raw === 'string' ? (JSON.parse(raw) as State) : (raw as State | undefined));

async function readState(db: Db): Promise<{ current: boolean; pending: boolean }> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', [STATE_KEY, PENDING_KEY]).execute();
  const state = parse(rows.find((r) => r.key === STATE_KEY)?.value);
  return { current: Boolean(state && (state.version ?? 1) >= ROLLUP_VERSION), pending: rows.some((r) => r.key === PENDING_KEY) };
}

/** The rebuild itself, inside the caller's transaction that holds REBUILD_LOCK. */
async function rebuildInside(trx: Db): Promise<{ conversations: number; rows: number }> {
  await sql`lock table report_facts, report_rollups in exclusive mode`.execute(trx);
  await sql`delete from report_rollups`.execute(trx);
  await sql`delete from report_facts`.execute(trx);
  await sql`insert into report_facts (${FACT_COLUMNS}) ${factSelect(sql`true`)}`.execute(trx);
  await REBUILD_ROLLUPS.execute(trx);
  await REBUILD_DAY_ROLLUPS.execute(trx);
  const value = JSON.stringify({ builtAt: new Date().toISOString(), version: ROLLUP_VERSION });
  await sql`insert into settings (key, value, updated_at) values (${STATE_KEY}, ${value}, now())
    on conflict (key) do update set value = excluded.value, updated_at = now()`.execute(trx);
  const { rows } = await sql<{ facts: number; rollups: number }>`
    select (select count(*)::int from report_facts) as facts, (select count(*)::int from report_rollups) as rollups`.execute(trx);
  return { conversations: rows[0]?.facts ?? 0, rows: rows[0]?.rollups ?? 0 };
}

/**
 * Refreshes the conversations noted while a rebuild ran (their changes may be newer than its snapshot).
 * A dispatch holding one of their rows while it notes another can deadlock with it: Postgres aborts one
 * side, so this tries again (and the next start-up finishes whatever is still noted).
 */
async function refreshPending(db: Db, attempts = 3): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await refreshPendingOnce(db);
    } catch (err) {
      if (i >= attempts) throw err;
    }
  }
}

async function refreshPendingOnce(db: Db): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${REBUILD_LOCK})`.execute(trx);
    const row = await sql<{ value: unknown }>`select value from settings where key = ${PENDING_KEY} for update`.execute(trx);
    if (!row.rows.length) return;
    const raw = row.rows[0]!.value;
    const ids = (typeof raw === 'string' ? JSON.parse(raw) : raw) as string[];
    for (let i = 0; i < ids.length; i += 500) await refreshReportFacts(trx, { conversationIds: ids.slice(i, i + 500) });
    await trx.deleteFrom('settings').where('key', '=', PENDING_KEY).execute();
  });
}

/**
 * The outbox listener's refresh. While a rebuild holds the lock it does not wait for it (that would hold
 * every event's dispatch, fan-out included, for the rebuild's minutes): it notes the conversations, and
 * whoever holds the lock refreshes them when it is done. If the lock came free meanwhile (the note may
 * have landed after that refresh read), it refreshes them itself.
 */
export async function refreshOrDefer(trx: Db, props: { conversationIds: string[] }): Promise<void> {
  const ids = [...new Set(props.conversationIds)];
  if (!ids.length) return;
  const tryShared = async () =>
    (await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock_shared(${REBUILD_LOCK}) as ok`.execute(trx)).rows[0]?.ok;
  if (!(await tryShared())) {
    const value = JSON.stringify(ids);
    await sql`insert into settings (key, value, updated_at) values (${PENDING_KEY}, ${value}, now())
      on conflict (key) do update set value = settings.value || excluded.value, updated_at = now()`.execute(trx);
    if (!(await tryShared())) return;
  }
  await refreshReportFacts(trx, { conversationIds: ids });
}

const usable = new WeakMap<Db, true>();
/**
 * Whether reports may read the rollups: built by this version and nothing left to refresh. Until then
 * (a rebuild after an upgrade runs in the background) they answer from the raw tables. Once true it
 * stays true for this process (a later rebuild swaps the rollups in one transaction).
 */
export async function rollupsReady(db: Db): Promise<boolean> {
  if (usable.has(db)) return true;
  const { current, pending } = await readState(db);
  if (current && !pending) usable.set(db, true);
  return current && !pending;
}

/**
 * Drops and recomputes every fact and rollup from the raw tables, in one transaction (reports keep
 * answering from the old rollups until it commits). For data written before the rollups existed, or
 * changed behind the events' back (an import, a fix by hand): `npm run reports:rebuild`, and once in
 * the background after a server starts on a schema whose rollups were never built.
 */
export async function rebuildReportRollups(db: Db): Promise<{ conversations: number; rows: number }> {
  const built = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${REBUILD_LOCK})`.execute(trx);
    return rebuildInside(trx);
  });
  await refreshPending(db);
  return built;
}

/**
 * The background job after start-up: builds the rollups once on a database that never had them built
 * (or built by an older version). The check is made under the lock, so of several processes starting
 * at once one rebuilds and the others find it done. True when this process rebuilt.
 */
export async function ensureReportRollups(db: Db): Promise<boolean> {
  const rebuilt = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${REBUILD_LOCK})`.execute(trx);
    if ((await readState(trx)).current) return false;
    await rebuildInside(trx);
    return true;
  });
  await refreshPending(db);
  return rebuilt;
}
