import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../storage/db';
import { BucketMap } from './bucket-map';
import type { BucketCount } from './duration-histogram';
import { parseHandleMetric, REPLY } from './reply-facts';
import { conversationFilter, type ReportFilters } from './report-filters';
import type { ReportWindow } from './report-window';
import { factFilter, mayReadRollups, type ReportSource, rollupSpan, rollupsFit, rollupTarget } from './rollup-read';

/** Per agent (the author): public replies written in the window, and their handle times' histogram. */
export interface AgentWork {
  replies: Map<string, number>;
  handle: Map<string, BucketCount[]>;
}

type Props = { window: ReportWindow; filters: ReportFilters; agent: string | undefined; source: ReportSource | undefined };

/**
 * Replies and handle time count by author, not assignee (a colleague helping out gets credit for what
 * they wrote): the conversation filters apply without the agent one, which picks the author instead.
 *
 * From the rollups (metrics reply:<author> and handle:<author>:<bucket>, reply-facts.ts) a handle time
 * is the whole one of an author in a conversation, counted at their first reply there. That is the
 * window's figure unless the conversation's replies straddle an edge of the window: those few
 * conversations (found by their reply_span) have their rolled-up handle times taken out and the
 * window's own computed from the raw tables.
 */
export async function agentWork(db: Db, props: Props): Promise<AgentWork> {
  const filters = { ...props.filters, agent: undefined };
  const target = rollupTarget(filters);
  if (!target || !rollupsFit(props.window) || !(await mayReadRollups(db, props.source))) return rawAgentWork(db, props);
  const { start, end } = props.window;
  const metrics = props.agent
    ? sql`(r.metric = ${`reply:${props.agent}`} or r.metric like ${`handle:${props.agent}:%`})`
    : sql`(r.metric like 'reply:%' or r.metric like 'handle:%')`;
  const { rows } = await sql<{ metric: string; n: number; total: number }>`
    select r.metric, sum(r.n)::float8 as n, sum(r.total)::float8 as total from report_rollups r
    where ${rollupSpan({ ...target, start, end })} and ${metrics}
    group by r.metric`.execute(db);
  const replies = new Map<string, number>();
  const handle = new Map<string, BucketMap>();
  const handleOf = (author: string) => handle.get(author) ?? handle.set(author, new BucketMap()).get(author)!;
  for (const r of rows) {
    if (r.metric.startsWith('reply:')) replies.set(r.metric.slice('reply:'.length), Number(r.n));
    else {
      const { author, bucket } = parseHandleMetric(r.metric);
      handleOf(author).addBucket(bucket, Number(r.n), Number(r.total));
    }
  }
  const { rows: edges } = await sql<{ id: string; authors: unknown; firsts: unknown; ms: unknown }>`
    select f.conversation_id as id, to_json(f.handle_authors) as authors,
      to_json(array(select (extract(epoch from x) * 1000)::float8 from unnest(f.handle_first_ats) x)) as firsts,
      to_json(f.handle_ms) as ms
    from report_facts f
    where ${factFilter(filters)} and (f.reply_span @> ${start}::timestamptz or f.reply_span @> ${end}::timestamptz)`.execute(db);
  if (edges.length) {
    const arr = <T>(v: unknown): T[] => (typeof v === 'string' ? JSON.parse(v) : ((v as T[]) ?? []));
    for (const e of edges) {
      const authors = arr<string>(e.authors);
      const firsts = arr<number>(e.firsts).map(Number);
      const ms = arr<number>(e.ms).map(Number);
      authors.forEach((author, i) => {
        const first = firsts[i] as number;
        if (props.agent && author !== props.agent) return;
        if (first >= start.getTime() && first < end.getTime()) handleOf(author).add(ms[i] as number, -1);
      });
    }
    const ids = edges.map((e) => e.id);
    const raw = await handleTimes(db, {
      where: sql<boolean>`(c.id in (${sql.join(ids)}) and ${conversationFilter(filters)})`,
      start,
      end,
      agent: props.agent,
    });
    for (const [author, list] of raw) for (const ms of list) handleOf(author).add(ms);
  }
  return { replies, handle: new Map([...handle.entries()].map(([k, m]) => [k, m.buckets()])) };
}

/** The same from the raw tables (filters the rollups cannot answer; the reference). */
async function rawAgentWork(db: Db, props: Props): Promise<AgentWork> {
  const { start, end } = props.window;
  const where = conversationFilter({ ...props.filters, agent: undefined });
  const { rows } = await sql<{ id: string; n: number }>`
    select m.author_id as id, count(*)::int as n from messages m join conversations c on c.id = m.conversation_id
    where ${where} and ${REPLY} and m.created_at >= ${start} and m.created_at < ${end} and m.author_id is not null
      ${props.agent ? sql`and m.author_id = ${props.agent}` : sql``}
    group by m.author_id`.execute(db);
  const handle = await handleTimes(db, { where, start, end, agent: props.agent });
  const histogram = (list: number[]) => {
    const m = new BucketMap();
    for (const ms of list) m.add(ms);
    return m.buckets();
  };
  return {
    replies: new Map(rows.map((r) => [r.id, r.n])),
    handle: new Map([...handle.entries()].map(([k, list]) => [k, histogram(list)])),
  };
}

/**
 * Handle time, per agent and conversation they replied in during the period: from the start of the
 * wait their first reply there answered (the earliest customer message since the previous public agent
 * reply, or their first reply itself when nobody was waiting) to their last public reply there. In ms,
 * by author (like replies): the span the agent was working that conversation.
 */
async function handleTimes(
  db: Db,
  props: { where: RawBuilder<boolean>; start: Date; end: Date; agent?: string | undefined },
): Promise<Map<string, number[]>> {
  const reply = REPLY;
  const { rows } = await sql<{ id: string; started: Date; last: Date }>`
    with r as (
      select m.author_id, m.conversation_id, min(m.seq) as first_seq, min(m.created_at) as first_at, max(m.created_at) as last_at
      from messages m join conversations c on c.id = m.conversation_id
      where ${props.where} and ${reply} and m.author_id is not null and m.created_at >= ${props.start} and m.created_at < ${props.end}
        ${props.agent ? sql`and m.author_id = ${props.agent}` : sql``}
      group by m.author_id, m.conversation_id
    )
    select r.author_id as id, r.last_at as last, coalesce((
      select min(cm.created_at) from messages cm
      where cm.conversation_id = r.conversation_id and cm.author_kind = 'contact' and cm.deleted_at is null and cm.seq < r.first_seq
        and cm.seq > coalesce((select max(m.seq) from messages m where m.conversation_id = r.conversation_id and ${reply}
                                 and m.seq < r.first_seq), 0)), r.first_at) as started
    from r`.execute(db);
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const list = out.get(r.id) ?? [];
    list.push(Math.max(0, new Date(r.last).getTime() - new Date(r.started).getTime()));
    out.set(r.id, list);
  }
  return out;
}
