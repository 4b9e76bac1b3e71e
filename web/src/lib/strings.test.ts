import { describe, expect, it } from 'vitest';
import { acceptLanguages, en, language, pickLanguage, setLanguage, strings, t } from './strings';

/** Every key of English, as dotted paths (functions and strings alike). */
function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('workspace languages', () => {
  it("picks the profile's language, else the browser's first one the workspace speaks, else English", () => {
    expect(pickLanguage('de', ['en-US'])).toBe('de');
    expect(pickLanguage(null, acceptLanguages('fr-FR,fr;q=0.9,de;q=0.8,en;q=0.5'))).toBe('de');
    expect(pickLanguage('de-AT', [])).toBe('de');
    expect(pickLanguage('fr', ['it'])).toBe('en');
    expect(pickLanguage(undefined, acceptLanguages(''))).toBe('en');
    expect(acceptLanguages('en;q=0.2, de-CH ,fr;q=0')).toEqual(['de-CH', 'en']);
  });

  it('switches `t` for everything that reads it, and German has every key English has', () => {
    setLanguage('de');
    expect(language()).toBe('de');
    expect(t.queue.title).toBe('Unterhaltungen');
    expect(t.palette.search('x')).toContain('durchsuchen');
    setLanguage('xx');
    expect(language()).toBe('en');
    expect(t.queue.title).toBe('Conversations');
    expect(keys(strings('de'))).toEqual(keys(en));
    // The parts this workspace translates differ from English (a copied English string would be a miss).
    const de = strings('de');
    for (const part of ['nav', 'queue', 'room', 'sidebar', 'palette', 'editor', 'snooze'] as const) {
      const same = keys(en[part]).filter(
        (k) =>
          typeof (en[part] as Record<string, unknown>)[k] === 'string' &&
          (en[part] as Record<string, unknown>)[k] === (de[part] as Record<string, unknown>)[k],
      );
      expect(
        same.filter(
          (k) =>
            ![
              'live',
              'team',
              'bot',
              'system',
              'supervisor',
              'routing',
              'name',
              'browser',
              'ticket',
              'status',
              'none',
              'link',
              'hint',
              'viewName',
              'attributeName',
              'email',
              'inbox',
            ].includes(k),
        ),
        part,
      ).toEqual([]);
    }
  });
});
