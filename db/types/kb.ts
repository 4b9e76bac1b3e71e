import type { KB_ARTICLE_KINDS, KB_STATUSES, TutorialStep } from '@autocrm/shared';
import type { ColumnType, Generated } from 'kysely';
import type { Json, NullableTimestamp, Timestamp } from './columns';

// The knowledge base: categories, articles, translations, search statistics, feedback and gaps.

export type KbKind = (typeof KB_ARTICLE_KINDS)[number];

export type KbStatusValue = (typeof KB_STATUSES)[number];

export interface KbCategoriesTable {
  id: Generated<string>;
  slug: string;
  position: Generated<number>;
  translations: Json<Record<string, { name: string; description?: string | null }>>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface KbArticlesTable {
  id: Generated<string>;
  slug: string;
  kind: KbKind;
  category_id: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface KbTranslationsTable {
  id: Generated<string>;
  article_id: string;
  locale: string;
  title: string;
  body_markdown: string | null;
  body_html: string;
  body_text: string;
  steps: Json<TutorialStep[] | null>;
  keywords: string[];
  keywords_text: string;
  status: KbStatusValue;
  version: Generated<number>;
  search_config: string;
  search: ColumnType<string, never, never>;
  author_id: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  published_at: NullableTimestamp;
}

export interface KbVersionsTable {
  id: Generated<number>;
  article_id: string;
  locale: string;
  version: number;
  title: string;
  body_markdown: string | null;
  body_html: string;
  steps: Json<TutorialStep[] | null>;
  status: KbStatusValue;
  author_id: string | null;
  created_at: Generated<Date>;
}

export interface KbLexiconTable {
  word: string;
}

/** BM25 document frequency of each lexeme among published texts, kept by triggers (0015). */
export interface KbTermStatsTable {
  search_config: string;
  lexeme: string;
  df: number;
}

/** Published texts and their summed lengths (distinct lexemes) per search configuration (0015). */
export interface KbCorpusStatsTable {
  search_config: string;
  docs: number;
  total_len: ColumnType<string, string | number, string | number>;
}

/** Admin-managed synonyms and abbreviations, per locale, applied at query time (0015). */
export interface KbSynonymsTable {
  id: Generated<string>;
  locale: string;
  term: string;
  synonyms: string[];
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface KbFeedbackTable {
  id: Generated<number>;
  article_id: string;
  locale: string;
  helpful: boolean;
  comment: string | null;
  created_at: Generated<Date>;
}

/** 0022_a: help-center article views per article and UTC hour (domain/kb/article-views.ts). */
export interface KbArticleViewsTable {
  article_id: string;
  hour: Timestamp;
  views: Generated<number>;
}

/** 0022_f: help-center article views per article and UTC day (the hourly counter's daily sums). */
export interface KbArticleViewsDailyTable {
  article_id: string;
  day: Timestamp;
  views: Generated<number>;
}

/** 0022_a: the current UTC day's random salt for visitor keys (dropped when the day is over). */
export interface KbViewSaltsTable {
  day: string;
  salt: string;
}

/** 0022_a: hashed visitor keys of the current UTC day: a view counts once per visitor, article and day. */
export interface KbViewKeysTable {
  day: string;
  key: string;
}

export interface KbGapsTable {
  id: Generated<string>;
  question: string;
  normalized: string;
  language: string | null;
  count: Generated<number>;
  article_id: string | null;
  dismissed: Generated<boolean>;
  created_at: Generated<Date>;
  last_asked_at: Timestamp;
}

export interface KbGapExamplesTable {
  id: Generated<number>;
  gap_id: string;
  conversation_id: string;
  question: string;
  created_at: Generated<Date>;
}

/** Only when pgvector is installed. */
export interface KbEmbeddingsTable {
  translation_id: string;
  model: string;
  content_hash: string;
  embedding: string;
}
