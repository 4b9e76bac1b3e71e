import { describe, expect, it } from 'vitest';
import { en, strings } from '../web/src/lib/strings';

// The workspace catalogue in German: every key English has, of the same kind (text, list, or a function of the
// same values), with the same placeholders, nothing blank, and no English sentence copied over untranslated.

type Node = unknown;

/** Each leaf as [dotted path, value]: strings, functions and lists of plain words are leaves. */
function leaves(o: Node, prefix = ''): [string, Node][] {
  if (typeof o === 'string' || typeof o === 'function' || Array.isArray(o)) return [[prefix, o]];
  if (o && typeof o === 'object') return Object.entries(o).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
  return [[prefix, o]];
}

/** What a catalogue function writes when each argument is a distinct marker, and which markers it shows. */
const MARKERS = ['⟦a⟧', '⟦b⟧', '⟦c⟧', '⟦d⟧'];
function shown(fn: (...args: unknown[]) => unknown): { text: string; used: string[] } {
  const text = String(fn(...MARKERS.slice(0, fn.length)));
  return { text, used: MARKERS.filter((m) => text.includes(m)) };
}

// Words German writes the same way (names, codes and loanwords); a longer copied text is a missed translation.
// Twilio's console and Meta's product keep their English names ("A message comes in", "WhatsApp (Cloud API)").
const SAME_IS_FINE =
  /^(Messenger \/ Instagram|user, inbox, webhook …|fr, pt-BR…|Tutorials?:.*|A message comes in|WhatsApp \(Cloud API\))$/;

describe('the German workspace catalogue', () => {
  const de = strings('de');
  const enLeaves = new Map(leaves(en));
  const deLeaves = new Map(leaves(de));

  it('has every key English has, and no other', () => {
    expect([...deLeaves.keys()].sort()).toEqual([...enLeaves.keys()].sort());
  });

  it('gives each key the same kind of value and the same placeholders, none blank', () => {
    for (const [key, e] of enLeaves) {
      const d = deLeaves.get(key);
      expect(typeof d, key).toBe(typeof e);
      expect(Array.isArray(d), key).toBe(Array.isArray(e));
      if (typeof e === 'string') expect((d as string).trim(), key).not.toBe('');
      if (typeof e === 'function') {
        const fd = d as (...a: unknown[]) => unknown;
        const fe = e as (...a: unknown[]) => unknown;
        expect(fd.length, `${key}: arguments`).toBe(fe.length);
        const [se, sd] = [shown(fe), shown(fd)];
        expect(sd.text.trim(), key).not.toBe('');
        expect(sd.used, `${key}: placeholders (${se.text} / ${sd.text})`).toEqual(se.used);
      }
      if (Array.isArray(e)) {
        expect((d as unknown[]).length, key).toBe(e.length);
        // Lists of [value, label] pairs keep their values; only the labels are translated.
        e.forEach((item, i) => {
          if (Array.isArray(item)) expect((d as unknown[][])[i]?.[0], `${key}.${i}`).toBe(item[0]);
        });
      }
    }
  });

  it('translates the settings, reports, knowledge-base and company pages (no English sentence copied)', () => {
    const parts = [
      'common',
      'inboxesPage',
      'tagsPage',
      'statusesPage',
      'fieldsPage',
      'usersPage',
      'inboxPage',
      'macrosPage',
      'macroForm',
      'privacyPage',
      'webhooksPage',
      'apiKeysPage',
      'auditPage',
      'maintenancePage',
      'portalSettings',
      'routingPage',
      'automationPage',
      'emailPage',
      'announcementsPage',
      'companyPage',
      'channelSettings',
      'picker',
      'reports',
      'kb',
    ];
    const copied = [...enLeaves]
      .filter(([key]) => parts.includes(key.split('.')[0]!))
      .filter(([key, e]) => typeof e === 'string' && e.length > 12 && e === deLeaves.get(key) && !SAME_IS_FINE.test(e))
      .map(([key]) => key);
    expect(copied).toEqual([]);
  });

  it('formats numbers for German', () => {
    expect(de.common.conversations(1234)).toBe('1.234 Unterhaltungen');
    expect(en.common.conversations(1)).toBe('1 conversation');
    expect(de.statusesPage.deleted('Neu', 1)).toBe('„Neu“ gelöscht; 1 Unterhaltung zum Ersatz verschoben.');
  });
});
