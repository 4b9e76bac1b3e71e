import { z } from 'zod';
import { Id, Line, Timestamp } from './common';

/**
 * Knowledge base: categories, articles (plain articles and step-by-step tutorials), their
 * translations and versions, search results, feedback and the bot's unanswered questions (gaps).
 */

export const Locale = z
  .string()
  .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a locale such as en or pt-BR')
  .meta({ example: 'en' });
export type Locale = z.infer<typeof Locale>;

export const Slug = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens');

export const KB_ARTICLE_KINDS = ['article', 'tutorial'] as const;
export const KbArticleKind = z.enum(KB_ARTICLE_KINDS);
export const KB_STATUSES = ['draft', 'published'] as const;
export const KbStatus = z.enum(KB_STATUSES);
export const KbBodyFormat = z.enum(['markdown', 'html']);

const StepId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and hyphens');

/** One step of an interactive tutorial. A step without choices and without `next` ends it ("did this solve it?"). */
export const TutorialStep = z
  .strictObject({
    id: StepId,
    title: Line(200),
    body: z.string().max(20_000).meta({ description: 'Markdown' }),
    image: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    /** What the image shows, for people who cannot see it. */
    imageAlt: Line(300).optional(),
    choices: z
      .array(z.strictObject({ label: Line(120), next: StepId }))
      .max(6)
      .optional(),
    next: StepId.optional(),
  })
  .meta({ id: 'TutorialStep' });
export type TutorialStep = z.infer<typeof TutorialStep>;

/** Every `next` must name a step of the same tutorial; the first step is where it starts. */
export const TutorialSteps = z
  .array(TutorialStep)
  .min(1)
  .max(50)
  .superRefine((steps, ctx) => {
    const ids = new Set<string>();
    for (const [i, s] of steps.entries()) {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate step id ${s.id}` });
      ids.add(s.id);
    }
    for (const [i, s] of steps.entries()) {
      const targets = [...(s.next ? [s.next] : []), ...(s.choices ?? []).map((c) => c.next)];
      for (const t of targets)
        if (!ids.has(t)) ctx.addIssue({ code: 'custom', path: [i], message: `step ${s.id} points to unknown step ${t}` });
    }
  });

export const KbCategoryInput = z
  .strictObject({
    slug: Slug,
    position: z.number().int().min(0).max(10_000).optional(),
    /** Name and description per locale; the workspace's default locale should be present. */
    translations: z
      .record(Locale, z.strictObject({ name: Line(120), description: Line(500).optional() }))
      .refine((r) => Object.keys(r).length >= 1, 'at least one locale'),
  })
  .meta({ id: 'KbCategoryInput' });
export type KbCategoryInput = z.infer<typeof KbCategoryInput>;

export const KbCategory = z
  .object({
    id: Id,
    slug: z.string(),
    position: z.number().int(),
    translations: z.record(z.string(), z.object({ name: z.string(), description: z.string().nullable() })),
    articleCount: z.number().int().optional(),
  })
  .meta({ id: 'KbCategory' });
export type KbCategory = z.infer<typeof KbCategory>;

/** The text of an article in one locale. */
export const KbTranslationInput = z
  .strictObject({
    title: Line(200),
    body: z.string().max(200_000).default('').meta({ description: 'Markdown or HTML (see format); sanitized' }),
    format: KbBodyFormat.default('markdown'),
    steps: TutorialSteps.optional().meta({ description: 'Tutorials only: the ordered steps' }),
    status: KbStatus.default('draft'),
    /** Extra search terms customers use for this article (synonyms, product names). */
    keywords: z.array(Line(60)).max(30).optional(),
  })
  .meta({ id: 'KbTranslationInput' });
export type KbTranslationInput = z.input<typeof KbTranslationInput>;

export const KbArticleCreate = KbTranslationInput.extend({
  slug: Slug,
  kind: KbArticleKind.default('article'),
  categoryId: Id.nullable().optional(),
  locale: Locale,
}).meta({ id: 'KbArticleCreate' });
export type KbArticleCreate = z.input<typeof KbArticleCreate>;

export const KbArticleUpdate = z
  .strictObject({
    slug: Slug.optional(),
    categoryId: Id.nullable().optional(),
  })
  .meta({ id: 'KbArticleUpdate' });

export const KbTranslation = z
  .object({
    locale: z.string(),
    title: z.string(),
    bodyHtml: z.string(),
    bodyMarkdown: z.string().nullable(),
    steps: z.array(TutorialStep).nullable(),
    keywords: z.array(z.string()),
    status: KbStatus,
    version: z.number().int(),
    authorId: Id.nullable(),
    authorName: z.string().nullable(),
    updatedAt: Timestamp,
    publishedAt: Timestamp.nullable(),
  })
  .meta({ id: 'KbTranslation' });
export type KbTranslation = z.infer<typeof KbTranslation>;

export const KbArticle = z
  .object({
    id: Id,
    slug: z.string(),
    kind: KbArticleKind,
    categoryId: Id.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    translations: z.array(KbTranslation),
    helpful: z.object({ yes: z.number().int(), no: z.number().int() }),
  })
  .meta({ id: 'KbArticle' });
export type KbArticle = z.infer<typeof KbArticle>;

export const KbVersion = z
  .object({
    version: z.number().int(),
    locale: z.string(),
    title: z.string(),
    bodyHtml: z.string(),
    status: KbStatus,
    authorId: Id.nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'KbVersion' });

export const KbSearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(500),
  locale: Locale.optional(),
  limit: z.coerce.number().int().min(1).max(20).default(5),
  categoryId: Id.optional(),
});
export type KbSearchQuery = z.input<typeof KbSearchQuery>;

/** A search hit: the translation found (in the asked locale or the default one), with a highlighted snippet. */
export const KbSearchHit = z
  .object({
    articleId: Id,
    slug: z.string(),
    kind: KbArticleKind,
    locale: z.string(),
    title: z.string(),
    /** Plain text with matches wrapped in <mark>…</mark>; everything else is escaped. */
    snippet: z.string(),
    url: z.string(),
    /** Ranking score: only comparable within one result list. */
    score: z.number(),
    /** 0..1: how much of the question the article covers (share of query terms found, or embedding similarity). */
    relevance: z.number(),
  })
  .meta({ id: 'KbSearchHit' });
export type KbSearchHit = z.infer<typeof KbSearchHit>;

export const KbSearchResult = z.object({
  hits: z.array(KbSearchHit),
  /** How the hits were found: full text (+ trigram) alone, or hybrid with embeddings. */
  mode: z.enum(['fulltext', 'hybrid']),
});
export type KbSearchResult = z.infer<typeof KbSearchResult>;

export const KbFeedbackInput = z.strictObject({
  locale: Locale,
  helpful: z.boolean(),
  comment: z.string().trim().max(2000).optional(),
});

/** An article as the public (help center, widget) sees it: published text in one locale. */
export const PublicArticle = z
  .object({
    id: Id,
    slug: z.string(),
    kind: KbArticleKind,
    locale: z.string(),
    title: z.string(),
    bodyHtml: z.string(),
    steps: z.array(TutorialStep).nullable(),
    category: z.object({ id: Id, slug: z.string(), name: z.string() }).nullable(),
    updatedAt: Timestamp,
    /** Locales this article is published in (for language links). */
    locales: z.array(z.string()),
    url: z.string(),
  })
  .meta({ id: 'PublicArticle' });
export type PublicArticle = z.infer<typeof PublicArticle>;

/** An item of the public article list (help center home and category pages). */
export const PublicArticleSummary = z
  .object({
    id: Id,
    slug: z.string(),
    kind: KbArticleKind,
    locale: z.string(),
    title: z.string(),
    excerpt: z.string(),
    categoryId: Id.nullable(),
    updatedAt: z.string(),
    url: z.string(),
  })
  .meta({ id: 'PublicArticleSummary' });
export type PublicArticleSummary = z.infer<typeof PublicArticleSummary>;

export const KbGap = z
  .object({
    id: Id,
    question: z.string(),
    language: z.string().nullable(),
    count: z.number().int(),
    examples: z.array(z.object({ conversationId: Id, question: z.string(), at: Timestamp })),
    lastAskedAt: Timestamp,
    articleId: Id.nullable(),
  })
  .meta({ id: 'KbGap' });
export type KbGap = z.infer<typeof KbGap>;
