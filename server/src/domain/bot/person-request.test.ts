import { describe, expect, it } from 'vitest';
import { PERSON_CASES, SEARCH_CASES } from '../../../../db/kb-sample/eval-set';
import { asksForPerson } from './person-request';

// Every language the widget speaks (widget/src/i18n.ts): each needs its own ways of asking for a person.
const WIDGET_LANGUAGES = ['en', 'de', 'fr', 'es', 'pt'];

describe('requests for a person', () => {
  it('covers every widget language with several phrasings', () => {
    for (const lang of WIDGET_LANGUAGES)
      expect(PERSON_CASES.filter((c) => c.locale === lang).length, lang).toBeGreaterThanOrEqual(10);
  });

  for (const lang of WIDGET_LANGUAGES) {
    it(`recognises every common way of asking in ${lang}`, () => {
      const missed = PERSON_CASES.filter((c) => c.locale === lang && !asksForPerson(c.question)).map((c) => c.question);
      expect(missed).toEqual([]);
    });
  }

  it('is not fooled by accents, case or curly apostrophes', () => {
    expect(asksForPerson('JE VOUDRAIS PARLER À QUELQU’UN')).toBe(true);
    expect(asksForPerson('ich möchte mit einem menschen sprechen')).toBe(true);
    expect(asksForPerson('Ich moechte mit einem Menschen sprechen')).toBe(true);
  });

  it('leaves questions for the knowledge base alone (people and teams as their subject)', () => {
    const wrongly = SEARCH_CASES.filter((c) => asksForPerson(c.question)).map((c) => c.question);
    expect(wrongly).toEqual([]);
    for (const q of [
      'give someone read only access',
      'kick someone out of the workspace',
      'how do I add a team member',
      'mitarbeiter hinzufügen',
      'Can your team build a custom integration?',
    ])
      expect(asksForPerson(q), q).toBe(false);
  });
});
