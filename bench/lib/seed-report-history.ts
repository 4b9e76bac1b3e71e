import { sql } from 'kysely';
import { bootstrapWorkspace } from '../../server/src/bootstrap';
import type { Db } from '../../server/src/storage/db';

/**
 * A support history for the reports bench, written in bulk with SQL: `conversations` conversations
 * spread over the last `days` days in two inboxes (web and email), each with `messagesEach` messages,
 * ten agents, two teams, five tags on a third of them, all four priorities; about 60 % resolved (a
 * tenth of those reopened once and resolved again), a quarter started by the bot (half of those handed
 * to a person), a third of the resolved ones rated. Ownership and status history rows are written like
 * the app writes them, so the raw report queries have their real joins to do.
 */
export async function seedReportHistory(
  db: Db,
  props: { conversations: number; messagesEach: number; days: number },
): Promise<void> {
  await bootstrapWorkspace(db);
  await sql`insert into inboxes (name, channel, settings) values ('Web', 'web', '{}'), ('Mail', 'email', '{}')`.execute(db);
  await sql`insert into users (email, name, role, password_hash, updated_at)
    select 'agent' || g || '@bench.dev', 'Agent ' || g, 'agent', 'x', now() from generate_series(1, 10) g`.execute(db);
  await sql`insert into teams (name) values ('Tier 1'), ('Tier 2')`.execute(db);
  await sql`insert into tags (name) select unnest(array['billing', 'bug', 'refund', 'shipping', 'vip'])`.execute(db);
  const contacts = Math.max(1, Math.ceil(props.conversations / 10));
  await sql`insert into contacts (name) select 'Contact ' || g from generate_series(1, ${contacts}) g`.execute(db);
  const n = props.conversations;
  await sql`
    with s as (select (select id from statuses where category = 'open' order by position limit 1) as open_id,
                      (select id from statuses where category = 'resolved' order by position limit 1) as resolved_id),
    i as (select array_agg(id order by name) ids from inboxes),
    u as (select array_agg(id order by email) ids from users where email like 'agent%@bench.dev'),
    t as (select array_agg(id order by name) ids from teams),
    c as (select array_agg(id) ids from contacts),
    g as (select g, now() - random() * (${props.days}::int * interval '1 day') as created,
            random() * 3600 as frt, random() * 86400 * 2 as res from generate_series(1, ${n}) g)
    insert into conversations (subject, inbox_id, contact_id, status_id, status_category, priority, assignee_id, team_id,
      last_seq, created_at, updated_at, last_activity_at, first_response_at, resolved_at, csat_rating, csat_at, owner)
    select 'Conversation ' || g.g, i.ids[1 + g.g % 2], c.ids[1 + g.g % array_length(c.ids, 1)],
      case when g.g % 5 < 3 then s.resolved_id else s.open_id end,
      case when g.g % 5 < 3 then 'resolved' else 'open' end,
      (array['low','normal','high','urgent'])[1 + (g.g / 4) % 4],
      case when g.g % 11 <> 0 then u.ids[1 + g.g % 10] end,
      t.ids[1 + g.g % 2],
      ${props.messagesEach}, g.created, g.created, g.created,
      case when g.g % 7 <> 0 then g.created + g.frt * interval '1 second' end,
      case when g.g % 5 < 3 then g.created + g.res * interval '1 second' end,
      case when g.g % 5 < 3 and g.g % 3 = 0 then 1 + g.g % 5 end,
      case when g.g % 5 < 3 and g.g % 3 = 0 then g.created + (g.res + 600) * interval '1 second' end,
      'human'
    from g, s, i, u, t, c`.execute(db);
  await sql`
    insert into conversation_ownership (conversation_id, from_owner, to_owner, reason, at)
    select id, null, case when number % 4 = 0 then 'bot' else 'human' end, 'created', created_at from conversations`.execute(db);
  await sql`
    insert into conversation_ownership (conversation_id, from_owner, to_owner, reason, at)
    select id, 'bot', 'human', case when number % 3 = 0 then 'customer_request' else 'no_answer' end, created_at + interval '2 minutes'
    from conversations where number % 8 = 0`.execute(db);
  await sql`
    insert into status_history (conversation_id, from_status_id, to_status_id, actor, at)
    select c.id, o.id, c.status_id, 'system', c.resolved_at
    from conversations c, (select id from statuses where category = 'open' order by position limit 1) o
    where c.resolved_at is not null`.execute(db);
  await sql`
    insert into status_history (conversation_id, from_status_id, to_status_id, actor, at)
    select c.id, c.status_id, o.id, 'system', c.resolved_at - interval '1 minute'
    from conversations c, (select id from statuses where category = 'open' order by position limit 1) o
    where c.resolved_at is not null and c.number % 10 = 0`.execute(db);
  await sql`
    insert into conversation_tags (conversation_id, tag_id)
    select c.id, t.ids[1 + c.number % 5] from conversations c, (select array_agg(id order by name) ids from tags) t
    where c.number % 3 = 0`.execute(db);
  await sql`
    insert into messages (conversation_id, seq, author_kind, author_id, body_html, body_text, attachments, created_at)
    select c.id, m, case when m % 2 = 1 then 'contact' else 'agent' end,
      case when m % 2 = 1 then c.contact_id else c.assignee_id end,
      '<p>Message ' || m || '</p>', 'Message ' || m, '[]', c.created_at + m * interval '1 minute'
    from conversations c, generate_series(1, ${props.messagesEach}) m`.execute(db);
  await sql`analyze`.execute(db);
}

/**
 * The two histories the agents and knowledge reports read besides conversations: presence changes
 * (every agent online, away and offline in turn, `changesPerDay` intervals a day) and help-center
 * article views (`articles` published articles, a count for every UTC hour of the period).
 */
export async function seedPresenceAndViews(
  db: Db,
  props: { days: number; changesPerDay: number; articles: number },
): Promise<{ intervals: number; viewRows: number }> {
  const step = 86_400 / props.changesPerDay;
  await sql`
    insert into agent_presence_log (user_id, status, started_at, ended_at)
    select u.id, (array['online','away','offline'])[1 + k % 3],
      now() - ${props.days}::int * interval '1 day' + k * ${step}::float8 * interval '1 second',
      now() - ${props.days}::int * interval '1 day' + (k + 1) * ${step}::float8 * interval '1 second'
    from users u, generate_series(0, ${props.days * props.changesPerDay - 2}) k
    where u.email like 'agent%@bench.dev'`.execute(db);
  await sql`
    insert into kb_articles (slug, kind) select 'bench-article-' || g, 'article' from generate_series(1, ${props.articles}) g`.execute(
    db,
  );
  await sql`
    insert into kb_translations (article_id, locale, title, body_html, body_text, status, search_config, published_at)
    select id, 'en', 'Article ' || slug, '<p>Body</p>', 'Body', 'published', 'english', now() from kb_articles
    where slug like 'bench-article-%'`.execute(db);
  await sql`
    insert into kb_article_views (article_id, hour, views)
    select a.id, date_trunc('hour', now()) - h * interval '1 hour', 1 + (h + length(a.slug)) % 7
    from kb_articles a, generate_series(0, ${props.days * 24 - 1}) h where a.slug like 'bench-article-%'`.execute(db);
  await sql`analyze`.execute(db);
  const { rows } = await sql<{ i: number; v: number }>`
    select (select count(*)::int from agent_presence_log) as i, (select count(*)::int from kb_article_views) as v`.execute(db);
  return { intervals: rows[0]?.i ?? 0, viewRows: rows[0]?.v ?? 0 };
}
