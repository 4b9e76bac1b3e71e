import { z } from 'zod';
import { Id, Timestamp } from './common';
import { Locale } from './kb';

/** One word or short phrase as the search compares it: lower case, letters, digits, spaces and hyphens. */
const Term = z
  .string()
  .trim()
  .toLowerCase()
  .min(2)
  .max(60)
  .regex(/^[\p{L}\p{N}]+([ -][\p{L}\p{N}]+)*$/u, 'letters and digits, words separated by one space or hyphen');

/**
 * Synonyms and abbreviations admins keep for knowledge-base search, per language: a question with the
 * term (or any of its synonyms) also finds articles that use the others ("fb" finds "facebook").
 */
export const KbSynonymInput = z
  .strictObject({
    locale: Locale,
    // No `example` values: linters check examples against the pattern without unicode support (\p{L}).
    term: Term.meta({ description: 'A word or phrase, e.g. `fb`' }),
    synonyms: z.array(Term).min(1).max(20).meta({ description: 'Words or phrases that mean the same, e.g. `["facebook"]`' }),
  })
  .meta({ id: 'KbSynonymInput' });
export type KbSynonymInput = z.input<typeof KbSynonymInput>;

export const KbSynonym = z
  .object({
    id: Id,
    locale: z.string(),
    term: z.string(),
    synonyms: z.array(z.string()),
    updatedAt: Timestamp,
  })
  .meta({ id: 'KbSynonym' });
export type KbSynonym = z.infer<typeof KbSynonym>;
