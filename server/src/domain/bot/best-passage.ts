import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import { renderArticleBody } from '../kb/render-body';
import { searchConfigFor } from '../kb/search-language';

/** A passage longer than this is narrowed to its best paragraph or list (with the section's heading). */
const MAX_SECTION = 900;

export interface ArticleSource {
  locale: string;
  body_markdown: string | null;
  body_text: string;
  steps: { title: string; body: string }[] | null;
}

interface Passage {
  heading: string | null;
  markdown: string;
}

/** Sections under their headings (the text before the first heading is one too); tutorial steps are sections. */
export function sectionsOf(article: ArticleSource): Passage[] {
  const md = article.body_markdown ?? article.body_text.replace(/\n{2,}/g, '\n\n');
  const out: Passage[] = [];
  let heading: string | null = null;
  let lines: string[] = [];
  const flush = () => {
    const text = lines.join('\n').trim();
    if (text) out.push({ heading, markdown: text });
    lines = [];
  };
  for (const line of md.split('\n')) {
    const h = /^#{1,6}\s+(.*)$/.exec(line);
    if (h) {
      flush();
      heading = (h[1] ?? '').trim();
    } else lines.push(line);
  }
  flush();
  for (const s of article.steps ?? []) out.push({ heading: s.title, markdown: s.body });
  return out;
}

/** A long section's paragraphs and lists, each under the section's heading. */
function narrow(p: Passage): Passage[] {
  if (p.markdown.length <= MAX_SECTION) return [p];
  return p.markdown
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => ({ heading: p.heading, markdown: block }));
}

export type BestPassageProps = { article: ArticleSource; question: string };

/**
 * The one passage of an article that best answers the question: its sections (or, in a long section,
 * paragraphs) ranked by the question's stemmed words (ts_rank_cd: density and closeness of the matches),
 * returned as sanitized HTML for a chat message, never cut mid-sentence. Headings become bold lines
 * (the widget shows no headings inside a message).
 */
export async function bestPassage(db: Db, { article, question }: BestPassageProps): Promise<string> {
  const candidates = sectionsOf(article).flatMap(narrow);
  if (!candidates.length) return '';
  let best = 0;
  if (candidates.length > 1) {
    const cfg = searchConfigFor(article.locale);
    const texts = candidates.map((c) => `${c.heading ?? ''}\n${c.markdown}`);
    const r = await sql<{ i: number }>`
      WITH q AS (
        SELECT coalesce(string_agg(quote_literal(l), ' | ')::tsquery, ''::tsquery) AS query
        FROM unnest(tsvector_to_array(to_tsvector(${cfg}::regconfig, ${question.slice(0, 500)}))) l
      )
      SELECT (p.i - 1)::int AS i
      FROM unnest(${sql.val(texts)}::text[]) WITH ORDINALITY AS p(text, i), q
      ORDER BY ts_rank_cd(to_tsvector(${cfg}::regconfig, p.text), q.query, 1) DESC, p.i
      LIMIT 1`.execute(db);
    best = r.rows[0]?.i ?? 0;
  }
  const p = candidates[best] as Passage;
  const md = p.heading ? `**${p.heading.replace(/\*/g, '')}**\n\n${p.markdown}` : p.markdown;
  return renderArticleBody(md, 'markdown').html.replace(/<(\/?)h[1-6]>/g, '<$1p>');
}
