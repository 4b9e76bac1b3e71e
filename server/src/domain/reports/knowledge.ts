import type { ReportKnowledge, ReportQuery } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { Actor } from '../actor';
import { reportContext } from './report-context';
import { conversationFilter } from './report-filters';

/**
 * The bot and the knowledge base (README "Reports"): bot answers that cited articles, which articles,
 * answers the customer called unhelpful, conversations the bot resolved alone; the help center's
 * "Was this helpful?" votes and article views; questions the bot had no good article for. The bot
 * figures follow the report filters (they are about conversations); votes, views and unanswered
 * questions are workspace-wide.
 */
export async function reportKnowledge(db: Db, props: { actor: Actor; query: ReportQuery }): Promise<ReportKnowledge> {
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
  const outcome = await sql<{ unhelpful: number; helped: number }>`
    select coalesce(sum(c.bot_unhelpful_turns), 0)::int as unhelpful,
      count(*) filter (where c.status_category in ('resolved', 'closed')
        and exists (select 1 from conversation_ownership o where o.conversation_id = c.id and o.reason = 'created' and o.to_owner = 'bot')
        and not exists (select 1 from conversation_ownership o2 where o2.conversation_id = c.id and o2.to_owner = 'human'))::int as helped
    from conversations c where ${where} and c.created_at >= ${start} and c.created_at < ${end}`.execute(db);
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
  // Views are counted per UTC hour (domain/kb/article-views.ts): the window takes the hours starting in
  // it. One pass: the total over every article rides along as a window sum before the top 100 are cut.
  const viewed = await sql<{ article_id: string; title: string | null; n: number; total: number }>`
    select v.article_id, (select t.title from kb_translations t where t.article_id = v.article_id
        order by t.published_at is null, t.locale limit 1) as title, sum(v.views)::int as n,
      (sum(sum(v.views)) over ())::int as total
    from kb_article_views v where v.hour >= ${start} and v.hour < ${end}
    group by v.article_id order by 3 desc, 2 limit 100`.execute(db);
  const o = outcome.rows[0] ?? { unhelpful: 0, helped: 0 };
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
      total: viewed.rows[0]?.total ?? 0,
      articles: viewed.rows.map((r) => ({ articleId: r.article_id, title: r.title ?? '', views: r.n })),
    },
  };
}
