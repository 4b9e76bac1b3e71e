import type { KbArticleKind, KbCategoryInput, KbTranslationInput, Locale } from '@autocrm/shared';
import type { z } from 'zod';

/** The sample knowledge base (demo workspace and search evaluation), in the API's own input shapes. */
export interface SampleArticle {
  slug: string;
  kind?: z.infer<typeof KbArticleKind>;
  /** Slug of a category in SAMPLE_CATEGORIES. */
  category: string;
  /** Markdown bodies; every sample article is published in each locale listed. */
  translations: Record<'en' | 'de', Omit<KbTranslationInput, 'status' | 'format'>>;
}

export type SampleCategory = KbCategoryInput;

/** A customer question and the article that answers it, for hit@k. */
export interface EvalQuestion {
  locale: Locale;
  question: string;
  expect: string;
}
