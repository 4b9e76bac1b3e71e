import { type KbArticle, type KbGap, notFound } from '@autocrm/shared';
import { sql } from 'kysely';
import type { Db } from '../../storage/db';
import type { DbCapabilities } from '../../storage/extensions';
import type { Actor } from '../actor';
import { createArticle } from './articles';

/** Lower-case words only: "How do I pay by invoice??" and "how do i pay by invoice" are one question. */
export const normalizeQuestion = (q: string) =>
  q
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);

export type RecordGapProps = { caps: DbCapabilities; conversationId: string; question: string; language: string | null };

/**
 * Records a question the bot could not answer. Similar questions (pg_trgm similarity, else the same
 * normalized text) are grouped into one gap whose count grows.
 */
export async function recordGap(trx: Db, { caps, ...props }: RecordGapProps): Promise<void> {
  const normalized = normalizeQuestion(props.question);
  if (!normalized) return;
  const similar = caps.trgm
    ? sql<boolean>`similarity(normalized, ${normalized}) >= 0.45`
    : sql<boolean>`normalized = ${normalized}`;
  const existing = await trx
    .selectFrom('kb_gaps')
    .select('id')
    .where('dismissed', '=', false)
    .where('article_id', 'is', null)
    .where(similar)
    .orderBy(caps.trgm ? sql`similarity(normalized, ${normalized})` : sql`last_asked_at`, 'desc')
    .limit(1)
    .executeTakeFirst();
  const now = new Date();
  let gapId = existing?.id;
  if (gapId) {
    await trx
      .updateTable('kb_gaps')
      .set((eb) => ({ count: eb('count', '+', 1), last_asked_at: now }))
      .where('id', '=', gapId)
      .execute();
  } else {
    const row = await trx
      .insertInto('kb_gaps')
      .values({ question: props.question.slice(0, 500), normalized, language: props.language, last_asked_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    gapId = row.id;
  }
  await trx
    .insertInto('kb_gap_examples')
    .values({ gap_id: gapId, conversation_id: props.conversationId, question: props.question.slice(0, 500) })
    .execute();
}

/** Open gaps, most asked first, with a few example questions each. */
export async function listGaps(db: Db, opts: { includeResolved?: boolean } = {}): Promise<KbGap[]> {
  let q = db.selectFrom('kb_gaps').selectAll().where('dismissed', '=', false);
  if (!opts.includeResolved) q = q.where('article_id', 'is', null);
  const gaps = await q.orderBy('count', 'desc').orderBy('last_asked_at', 'desc').limit(200).execute();
  if (!gaps.length) return [];
  const examples = await db
    .selectFrom('kb_gap_examples')
    .selectAll()
    .where(
      'gap_id',
      'in',
      gaps.map((g) => g.id),
    )
    .orderBy('id', 'desc')
    .execute();
  return gaps.map((g) => ({
    id: g.id,
    question: g.question,
    language: g.language,
    count: g.count,
    examples: examples
      .filter((e) => e.gap_id === g.id)
      .slice(0, 5)
      .map((e) => ({ conversationId: e.conversation_id, question: e.question, at: e.created_at.toISOString() })),
    lastAskedAt: g.last_asked_at.toISOString(),
    articleId: g.article_id,
  }));
}

export async function dismissGap(db: Db, id: string): Promise<void> {
  const r = await db.updateTable('kb_gaps').set({ dismissed: true }).where('id', '=', id).executeTakeFirst();
  if (!r.numUpdatedRows) throw notFound(`gap ${id}`);
}

export type DraftArticleFromGapProps = { actor: Actor; id: string; defaultLocale: string };

/** Turns a gap into a draft article titled with the question; the gap then points at it. */
export async function draftArticleFromGap(db: Db, { actor, id, defaultLocale }: DraftArticleFromGapProps): Promise<KbArticle> {
  const gap = await db.selectFrom('kb_gaps').selectAll().where('id', '=', id).executeTakeFirst();
  if (!gap) throw notFound(`gap ${id}`);
  const examples = await db.selectFrom('kb_gap_examples').select('question').where('gap_id', '=', id).limit(10).execute();
  const base =
    gap.normalized
      .split(' ')
      .slice(0, 8)
      .join('-')
      .normalize('NFKD')
      .replace(/[^a-z0-9-]/g, '')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '') || 'question';
  const slug = `${base}-${id.slice(0, 6)}`;
  const title = gap.question.length > 200 ? `${gap.question.slice(0, 197)}…` : gap.question;
  const body = `Customers asked (${gap.count}×):\n\n${[...new Set(examples.map((e) => e.question))].map((q) => `> ${q.replace(/\n/g, ' ')}`).join('\n\n')}\n\nWrite the answer here.`;
  const article = await createArticle(db, {
    actor,
    raw: {
      slug,
      kind: 'article',
      locale: gap.language ?? defaultLocale,
      title,
      body,
      format: 'markdown',
      status: 'draft',
    },
  });
  await db.updateTable('kb_gaps').set({ article_id: article.id }).where('id', '=', id).execute();
  return article;
}
