import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';

/** Crawlers and link checkers announce themselves in their user agent; they are not readers. */
const NOT_A_READER = /bot|crawl|spider/i;

/** The UTC day a view is counted in (readers are told apart within one such day). */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

export type RecordArticleViewProps = {
  articleId: string;
  /** Who is reading, as the request shows it (address and user agent); only its salted hash is kept, for one day. */
  address: string;
  userAgent: string | undefined;
  now: Date;
};

/**
 * Counts a help-center article view (the page, or the widget opening the article): once per reader,
 * article and UTC day, so a refresh loop adds nothing. No personal data is stored: the reader is a
 * hash of the day's random salt, the article, their address and user agent, kept only for that day
 * (the salt and the day's keys go when the next day's salt is made, and in the retention job), and
 * the count is a number per article and UTC hour. True when the view counted.
 */
export async function recordArticleView(db: Db, props: RecordArticleViewProps): Promise<boolean> {
  const { articleId, address, userAgent, now } = props;
  if (!userAgent || NOT_A_READER.test(userAgent)) return false;
  const day = utcDay(now);
  const salt = await daySalt(db, day);
  const key = createHash('sha256').update(`${salt}\n${articleId}\n${address}\n${userAgent}`).digest('base64url');
  return db.transaction().execute(async (trx) => {
    const fresh = await trx
      .insertInto('kb_view_keys')
      .values({ day, key })
      .onConflict((oc) => oc.doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!fresh) return false;
    await trx
      .insertInto('kb_article_views')
      .values({ article_id: articleId, hour: sql<Date>`date_trunc('hour', ${now}::timestamptz)`, views: 1 })
      .onConflict((oc) => oc.columns(['hour', 'article_id']).doUpdateSet({ views: sql`kb_article_views.views + 1` }))
      .execute();
    // The same view in the day's row: reports read whole days from these (reports/knowledge.ts).
    await trx
      .insertInto('kb_article_views_daily')
      .values({
        article_id: articleId,
        day: sql<Date>`date_trunc('day', ${now}::timestamptz at time zone 'UTC') at time zone 'UTC'`,
        views: 1,
      })
      .onConflict((oc) => oc.columns(['day', 'article_id']).doUpdateSet({ views: sql`kb_article_views_daily.views + 1` }))
      .execute();
    return true;
  });
}

// The day's salt as this process last read it, per database (one row a day; no need to ask for each view).
const known = new WeakMap<Db, { day: string; salt: string }>();

/** The day's salt, made by whichever reader comes first that day (every process then uses the same one). */
async function daySalt(db: Db, day: string): Promise<string> {
  const cached = known.get(db);
  if (cached?.day === day) return cached.salt;
  const salt = await readOrMakeSalt(db, day);
  known.set(db, { day, salt });
  return salt;
}

async function readOrMakeSalt(db: Db, day: string): Promise<string> {
  const made = await db
    .insertInto('kb_view_salts')
    .values({ day, salt: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('day').doNothing())
    .returning('salt')
    .executeTakeFirst();
  if (made) {
    await forgetPastReaders(db, { today: day });
    return made.salt;
  }
  const row = await db.selectFrom('kb_view_salts').select('salt').where('day', '=', day).executeTakeFirstOrThrow();
  return row.salt;
}

/** Drops the salts and reader keys of days before `today` (they only ever served that day's counting). */
export async function forgetPastReaders(db: Db, props: { today: string }): Promise<number> {
  await db.deleteFrom('kb_view_salts').where('day', '<', props.today).execute();
  const r = await db.deleteFrom('kb_view_keys').where('day', '<', props.today).executeTakeFirst();
  return Number(r.numDeletedRows);
}
