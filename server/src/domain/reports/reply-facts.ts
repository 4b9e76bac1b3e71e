import { sql } from 'kysely';
import { bucketMetric, bucketOf, bucketSql } from './duration-histogram';

/**
 * The parts of a conversation's report fact that come from its messages (issue 22): next-response waits
 * (service levels), public agent replies and per author handle time (agents). Each mirrors, for the
 * whole conversation, the raw query the report runs over a window (next-response.ts, agents.ts), so a
 * window containing all of a conversation's replies gets the same figures from the rollups.
 */

/** A public agent reply, as every report counts one. */
export const REPLY = sql`m.author_kind = 'agent' and not m.private and m.deleted_at is null`;

/**
 * Lateral joins for factSelect (conversation `c`): `w` (next_reply_ats, next_wait_ms), `rp` (reply_ats,
 * reply_authors, reply_span) and `h` (handle_authors, handle_first_ats, handle_ms).
 */
export const replyFactJoins = sql`
  cross join lateral (
    select coalesce(array_agg(x.replied_at order by x.seq), '{}') as next_reply_ats,
      coalesce(array_agg(round(extract(epoch from (x.replied_at - x.waited_from)) * 1000)::bigint order by x.seq), '{}') as next_wait_ms
    from (
      select r.seq, r.created_at as replied_at,
        (select min(cm.created_at) from messages cm where cm.conversation_id = c.id
           and cm.author_kind = 'contact' and cm.deleted_at is null and cm.seq > r.prev_seq and cm.seq < r.seq) as waited_from
      from (select m.seq, m.created_at, lag(m.seq) over (order by m.seq) as prev_seq
            from messages m where m.conversation_id = c.id and ${REPLY}) r
      where r.prev_seq is not null
    ) x where x.waited_from is not null
  ) w
  cross join lateral (
    select coalesce(array_agg(m.created_at order by m.seq), '{}') as reply_ats,
      coalesce(array_agg(m.author_id::text order by m.seq), '{}') as reply_authors,
      case when count(*) > 0 then tstzrange(min(m.created_at), max(m.created_at), '[]') end as reply_span
    from messages m where m.conversation_id = c.id and ${REPLY} and m.author_id is not null
  ) rp
  cross join lateral (
    select coalesce(array_agg(p.author order by p.author), '{}') as handle_authors,
      coalesce(array_agg(p.first_at order by p.author), '{}') as handle_first_ats,
      coalesce(array_agg(greatest(0, round(extract(epoch from (p.last_at - p.started)) * 1000))::bigint order by p.author), '{}') as handle_ms
    from (
      select r.author_id::text as author, r.first_at, r.last_at, coalesce((
        select min(cm.created_at) from messages cm
        where cm.conversation_id = c.id and cm.author_kind = 'contact' and cm.deleted_at is null and cm.seq < r.first_seq
          and cm.seq > coalesce((select max(m.seq) from messages m where m.conversation_id = c.id and ${REPLY}
                                   and m.seq < r.first_seq), 0)), r.first_at) as started
      from (select m.author_id, min(m.seq) as first_seq, min(m.created_at) as first_at, max(m.created_at) as last_at
            from messages m where m.conversation_id = c.id and ${REPLY} and m.author_id is not null
            group by m.author_id) r
    ) p
  ) h`;

export const REPLY_FACT_COLUMNS = [
  'next_reply_ats',
  'next_wait_ms',
  'reply_ats',
  'reply_authors',
  'reply_span',
  'handle_authors',
  'handle_first_ats',
  'handle_ms',
];

/** The rollup metric of one reply by an author (the count of replies they wrote). */
export const replyMetric = (author: string) => `reply:${author}`;
/** The rollup metric of an author's handle time histogram bucket: `handle:<author>:<bucket>`. */
export const handleMetric = (author: string, bucket: number) => `handle:${author}:${bucket}`;
export const parseHandleMetric = (metric: string) => {
  const [, author = '', bucket = '0'] = metric.split(':');
  return { author, bucket: Number(bucket) };
};

/** These fields of a fact as the listener reads them back (instants as epoch ms). */
export interface ReplyFact {
  next_reply_ms: number[];
  next_wait_ms: number[];
  reply_ms: number[];
  reply_authors: string[];
  handle_authors: string[];
  handle_first_ms: number[];
  handle_ms: number[];
}

/** What they add to the rollups (mirrors replyRebuildContributions). */
export function replyContributions(f: ReplyFact): { at: number; metric: string; total: number }[] {
  const out: { at: number; metric: string; total: number }[] = [];
  f.next_reply_ms.forEach((at, i) => {
    const wait = f.next_wait_ms[i] ?? 0;
    out.push({ at, metric: bucketMetric('nrt_b', bucketOf(wait)), total: wait });
  });
  f.reply_ms.forEach((at, i) => {
    out.push({ at, metric: replyMetric(f.reply_authors[i] ?? ''), total: 0 });
  });
  f.handle_first_ms.forEach((at, i) => {
    const ms = f.handle_ms[i] ?? 0;
    out.push({ at, metric: handleMetric(f.handle_authors[i] ?? '', bucketOf(ms)), total: ms });
  });
  return out;
}

/** The same for every fact at once, as rows (hour, metric, total) of the rebuild's lateral union (`utcHour` of a column). */
export const replyRebuildContributions = (utcHour: (col: string) => ReturnType<typeof sql.raw>) => sql`
    union all select ${utcHour('x.at')}, 'nrt_b:' || ${bucketSql(sql`x.ms`)}, x.ms from unnest(f.next_reply_ats, f.next_wait_ms) x(at, ms)
    union all select ${utcHour('x.at')}, 'reply:' || x.author, 0 from unnest(f.reply_ats, f.reply_authors) x(at, author)
    union all select ${utcHour('x.at')}, 'handle:' || x.author || ':' || ${bucketSql(sql`x.ms`)}, x.ms
      from unnest(f.handle_first_ats, f.handle_authors, f.handle_ms) x(at, author, ms)`;
