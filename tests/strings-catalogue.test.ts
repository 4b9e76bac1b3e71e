import { readFile } from 'node:fs/promises';
import { CATALOGUE, LANGUAGES, languageOf, RTL_LANGUAGES, stringsFor } from '@autocrm/shared/strings';
import { describe, expect, it } from 'vitest';
import { helpStrings } from '../web/src/lib/help-strings';
// @ts-expect-error: a plain .mjs build script without types
import { buildWidget } from '../widget/build.mjs';
import { isRtl, LOCALES, t } from '../widget/src/i18n';

// The one catalogue of customer-facing strings (shared/src/strings): every language has every key of
// English, with the same {placeholders}, and nothing is blank; the widget, the help center and the bot
// all read it, and a language we do not speak falls back to English explicitly.

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the customer-facing strings catalogue', () => {
  const en = CATALOGUE.en;
  for (const lang of LANGUAGES) {
    it(`${lang} has every key of every area, with English's placeholders, none blank`, () => {
      const c = CATALOGUE[lang];
      expect(Object.keys(c).sort()).toEqual(Object.keys(en).sort());
      for (const area of Object.keys(en) as (keyof typeof en)[]) {
        const ref = en[area] as Record<string, string>;
        const strings = c[area] as Record<string, string>;
        expect(Object.keys(strings).sort(), `${lang}.${area}`).toEqual(Object.keys(ref).sort());
        for (const [key, value] of Object.entries(strings)) {
          expect(value.trim(), `${lang}.${area}.${key}`).not.toBe('');
          expect(placeholders(value), `${lang}.${area}.${key}`).toEqual(placeholders(ref[key] ?? ''));
        }
      }
    });
  }

  // The portal speaks every language the widget does: no language borrows English's portal. A few words
  // are the same in some languages (German "Status", French "Notifications"); no sentence is.
  for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
    it(`${lang} translates the portal`, () => {
      const same = Object.entries(CATALOGUE[lang].portal).filter(
        ([key, value]) => (en.portal as Record<string, string>)[key] === value,
      );
      expect(
        same.filter(([, value]) => value.length > 20),
        `${lang}.portal sentences left in English`,
      ).toEqual([]);
      expect(same.length, `${lang}.portal words left in English: ${same.map(([k]) => k).join(', ')}`).toBeLessThanOrEqual(3);
    });
  }

  it('falls back to English for a language it does not speak, and takes a region by its language', () => {
    expect(languageOf('pt-BR')).toBe('pt');
    expect(languageOf('JA_jp')).toBe('ja');
    expect(languageOf('xx')).toBe('en');
    expect(languageOf(null)).toBe('en');
    expect(stringsFor('bot', 'xx')).toBe(en.bot);
    expect(stringsFor('bot', 'ja-JP')).toBe(CATALOGUE.ja.bot);
  });

  it('is what the widget speaks: the same languages, right to left the same, the fetched files generated from it', async () => {
    expect([...LOCALES].sort()).toEqual([...LANGUAGES].sort());
    for (const l of LANGUAGES) expect(isRtl(l)).toBe(RTL_LANGUAGES.includes(l));
    expect(t('en', 'queue', { position: 3 })).toBe('You are number 3 in line');
    await buildWidget({ quiet: true });
    for (const l of LANGUAGES.filter((x) => x !== 'en')) {
      const file = JSON.parse(await readFile(new URL(`../widget/dist/i18n/${l}.json`, import.meta.url), 'utf8'));
      expect(file, l).toEqual(CATALOGUE[l].widget);
    }
  });

  it('is what the help center speaks, counted and quoted strings filled in', () => {
    expect(helpStrings('ja').helpCenter).toBe(CATALOGUE.ja.help.helpCenter);
    expect(helpStrings('de').resultsFor('Rechnung')).toBe('Ergebnisse für „Rechnung“');
    expect(helpStrings('en').articleCount(1)).toBe('1 article');
    expect(helpStrings('en').articleCount(4)).toBe('4 articles');
    expect(helpStrings('fr-CA').step(2)).toBe('Étape 2');
    expect(helpStrings('xx').seeAll(7)).toBe('See all 7 articles');
  });
});
