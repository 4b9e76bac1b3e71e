import type { ReportKnowledge, ReportQuery } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { reportContext } from './report-context';
import { conversationFilter, type ReportFilters } from './report-filters';
import type { ReportWindow } from './report-window';
import { mayReadRollups, type ReportSource, rollupSpan, rollupsFit, rollupTarget } from './rollup-read';

/**
 * The bot and the knowledge base (README "Reports"): bot answers that cited articles, which articles,
 * answers the customer called unhelpful, conversations the bot resolved alone; the help center's
 * "Was this helpful?" votes and article views; questions the bot had no good article for. The bot
 * figures follow the report filters (they are about conversations); votes, views and unanswered
 * questions are workspace-wide.
 */
export async function reportKnowledge(
  db: Db,
  props: { actor: Actor; query: ReportQuery; source?: ReportSource },
): Promise<ReportKnowledge> {
  const { query, window } = await reportContext(db, props);
  const { start, end } = window;
  const where = conversationFilter(query);
  const cited = sql`jsonb_typeof(m.meta->'citations') = 'array' and jsonb_array_length(m.meta->'citations') > 0`;
  const answers = await sql<{ n: number }>`
    select count(*)::int as n from messages m join conversations c on c.id = m.conversation_id
    where ${where} and m.author_kind = 'bot' and m.deleted_at is null and m.created_at >= ${start} and m.created_at < ${end}
      and ${cited}`.execute(db);
  const articles = await sql<{ article_id: string; title: string; n: number }>`
    select x->>'articleId' as article_id, max(x->>'title') as title, count(*)::int as n
    from messages m join conversations c on c.id = m.conversation_id
    cross join lateral jsonb_array_elements(m.meta->'citations') x
    where ${where} and m.author_kind = 'bot' and m.deleted_at is null and m.created_at >= ${start} and m.created_at < ${end}
      and ${cited}
    group by 1 order by 3 desc, 2 limit 100`.execute(db);
  const o = await botOutcome(db, { query, window, source: props.source });
  const feedback = await sql<{ article_id: string; title: string | null; helpful: number; not_helpful: number }>`
    select f.article_id, (select t.title from kb_translations t where t.article_id = f.article_id
        order by t.published_at is null, t.locale limit 1) as title,
      count(*) filter (where f.helpful)::int as helpful, count(*) filter (where not f.helpful)::int as not_helpful
    from kb_feedback f where f.created_at >= ${start} and f.created_at < ${end}
    group by f.article_id order by count(*) desc, 2 limit 100`.execute(db);
  const unanswered = await sql<{ question: string; n: number; last: Date }>`
    select g.question, count(*)::int as n, max(e.created_at) as last
    from kb_gap_examples e join kb_gaps g on g.id = e.gap_id
    where e.created_at >= ${start} and e.created_at < ${end}
    group by g.id, g.question order by 2 desc, 3 desc limit 100`.execute(db);
  const viewed = await articleViews(db, window);
  return {
    timeZone: window.timeZone,
    bot: {
      answers: answers.rows[0]?.n ?? 0,
      unhelpful: o.unhelpful,
      helped: o.helped,
      articlesCited: articles.rows.map((r) => ({ articleId: r.article_id, title: r.title, count: r.n })),
    },
    feedback: feedback.rows.map((r) => ({
      articleId: r.article_id,
      title: r.title ?? '',
      helpful: r.helpful,
      notHelpful: r.not_helpful,
    })),
    unanswered: unanswered.rows.map((r) => ({ question: r.question, count: r.n, lastAskedAt: new Date(r.last).toISOString() })),
    views: {
      total: viewed[0]?.total ?? 0,
      articles: viewed.map((r) => ({ articleId: r.article_id, title: r.title ?? '', views: r.n })),
    },
  };
}

/**
 * Unhelpful bot answers (a sum over the few conversations that had any, by a partial index) and
 * conversations the bot resolved alone: the rollups' `deflected` (the same definition, counted at
 * creation) when they can answer, else the raw tables.
 */
async function botOutcome(
  db: Db,
  props: { query: ReportFilters; window: ReportWindow; source: ReportSource | undefined },
): Promise<{ unhelpful: number; helped: number }> {
  const { start, end } = props.window;
  const where = conversationFilter(props.query);
  const unhelpful = await sql<{ n: number }>`
    select coalesce(sum(c.bot_unhelpful_turns), 0)::int as n from conversations c
    where ${where} and c.bot_unhelpful_turns > 0 and c.created_at >= ${start} and c.created_at < ${end}`.execute(db);
  const target = rollupTarget(props.query);
  if (target && rollupsFit(props.window) && (await mayReadRollups(db, props.source))) {
    const { rows } = await sql<{ n: number }>`
      select coalesce(sum(r.n), 0)::int as n from report_rollups r
      where ${rollupSpan({ ...target, start, end })} and r.metric = 'deflected'`.execute(db);
    return { unhelpful: unhelpful.rows[0]?.n ?? 0, helped: rows[0]?.n ?? 0 };
  }
  const helped = await sql<{ n: number }>`
    select count(*)::int as n from conversations c
    where ${where} and c.created_at >= ${start} and c.created_at < ${end} and c.status_category in ('resolved', 'closed')
      and exists (select 1 from conversation_ownership o where o.conversation_id = c.id and o.reason = 'created' and o.to_owner = 'bot')
      and not exists (select 1 from conversation_ownership o2 where o2.conversation_id = c.id and o2.to_owner = 'human')`.execute(
    db,
  );
  return { unhelpful: unhelpful.rows[0]?.n ?? 0, helped: helped.rows[0]?.n ?? 0 };
}

const DAY_MS = 86_400_000;

/**
 * Article views in the window, top 100 and the total over every article. Views are counted per UTC hour
 * (domain/kb/article-views.ts): the window takes the hours starting in it. Whole UTC days come from the
 * per-day rows, the hours before the first and after the last of them from the hourly ones (a window
 * not on whole hours reads the hourly rows alone). One pass: the total rides along as a window sum.
 */
async function articleViews(db: Db, window: ReportWindow) {
  const { start, end } = window;
  const dayStart = new Date(Math.ceil(start.getTime() / DAY_MS) * DAY_MS);
  const dayEnd = new Date(Math.floor(end.getTime() / DAY_MS) * DAY_MS);
  const byDay = rollupsFit(window) && dayStart < dayEnd;
  const counts = byDay
    ? sql`select article_id, views from kb_article_views
            where (hour >= ${start} and hour < ${dayStart}) or (hour >= ${dayEnd} and hour < ${end})
          union all select article_id, views from kb_article_views_daily where day >= ${dayStart} and day < ${dayEnd}`
    : sql`select article_id, views from kb_article_views where hour >= ${start} and hour < ${end}`;
  const { rows } = await sql<{ article_id: string; title: string | null; n: number; total: number }>`
    select v.article_id, (select t.title from kb_translations t where t.article_id = v.article_id
        order by t.published_at is null, t.locale limit 1) as title, sum(v.views)::int as n,
      (sum(sum(v.views)) over ())::int as total
    from (${counts}) v
    group by v.article_id order by 3 desc, 2 limit 100`.execute(db);
  return rows;
}
