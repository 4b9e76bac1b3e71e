import type { KbSearchHit } from '@autocrm/shared';
import { escapeUTF8 } from 'entities';
import type { Db } from '../../storage/db';
import { firstCustomerText } from '../conversations/present-conversation';
import { articlePath, type KbSearchContext, searchKb } from './search';

const PATH_NOISE = new Set(['www', 'com', 'html', 'index', 'php', 'page', 'pages', 'en', 'de', 'fr', 'es', 'app']);

/** Words of a page URL's path ("/pricing/annual-plans" → "pricing annual plans"). */
export function pageWords(pageUrl: string | undefined): string {
  if (!pageUrl) return '';
  let path = pageUrl;
  try {
    path = new URL(pageUrl).pathname;
  } catch {
    // a bare path is fine as it is
  }
  return path
    .split(/[^A-Za-z\u00C0-\u024F]+/)
    .filter((w) => w.length > 2 && !PATH_NOISE.has(w.toLowerCase()))
    .join(' ');
}

export type SuggestArticlesProps = {
  locale: string;
  pageUrl?: string | undefined;
  pageTitle?: string | undefined;
  contactId?: string | null;
  limit?: number;
};

/**
 * Articles for a visitor before they ask: related to the page they are on and to what they asked in
 * past conversations; topped up with the most helpful articles so the list is never empty.
 */
export async function suggestArticles(
  ctx: KbSearchContext,
  { limit = 5, ...props }: SuggestArticlesProps,
): Promise<KbSearchHit[]> {
  const seen = new Set<string>();
  const out: KbSearchHit[] = [];
  const add = (hits: KbSearchHit[]) => {
    for (const h of hits) {
      if (seen.has(h.articleId) || out.length >= limit) continue;
      seen.add(h.articleId);
      out.push(h);
    }
  };
  const page = `${pageWords(props.pageUrl)} ${props.pageTitle ?? ''}`.trim();
  if (page) add((await searchKb(ctx, { q: page, locale: props.locale, limit: 3 })).hits);
  if (props.contactId) {
    const past = await pastQuestions(ctx.db, props.contactId);
    for (const q of past) add((await searchKb(ctx, { q, locale: props.locale, limit: 2 })).hits);
  }
  if (out.length < limit) add(await mostHelpful(ctx, props.locale, limit));
  return out;
}

/** Subjects and first customer messages of the contact's last conversations. */
async function pastQuestions(db: Db, contactId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('conversations as c')
    .select(['c.subject', firstCustomerText('first_message')])
    .where('c.contact_id', '=', contactId)
    .orderBy('c.last_activity_at', 'desc')
    .limit(3)
    .execute();
  return rows.map((r) => (r.subject ?? r.first_message ?? '').slice(0, 300)).filter(Boolean);
}

async function mostHelpful(ctx: KbSearchContext, locale: string, limit: number): Promise<KbSearchHit[]> {
  const locales = [...new Set([locale, ctx.defaultLocale])];
  const rows = await ctx.db
    .selectFrom('kb_translations as t')
    .innerJoin('kb_articles as a', 'a.id', 't.article_id')
    .select([
      'a.id',
      'a.slug',
      'a.kind',
      't.locale',
      't.title',
      't.body_text',
      (eb) =>
        eb
          .selectFrom('kb_feedback as f')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('f.article_id', '=', 'a.id')
          .where('f.helpful', '=', true)
          .as('helpful'),
    ])
    .where('t.status', '=', 'published')
    .where('t.locale', 'in', locales)
    .execute();
  const best = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!best.has(r.id) || r.locale === locale) best.set(r.id, r);
  return [...best.values()]
    .sort((a, b) => Number(b.helpful ?? 0) - Number(a.helpful ?? 0) || a.title.localeCompare(b.title))
    .slice(0, limit)
    .map((r) => ({
      articleId: r.id,
      slug: r.slug,
      kind: r.kind,
      locale: r.locale,
      title: r.title,
      snippet: escapeUTF8(r.body_text.slice(0, 160)),
      url: articlePath(r.locale, r.slug),
      score: 0,
      relevance: 0,
    }));
}
