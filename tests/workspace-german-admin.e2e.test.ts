import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en, strings } from '../web/src/lib/strings';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { ADMIN, startTestServer, type TestServer } from './helpers/test-server';

// A German agent (Chromium with locale de-DE, no profile language) opens every settings section, every
// reports tab, the knowledge-base admin and a company page. Each page must show some of its German strings
// and none of the English ones of the catalogue parts these pages use: the visible text, the text of closed
// sections and menus (option labels), and the placeholder, aria-label, title and alt attributes are all read.
// Data the test itself made (and the workspace's seeded status names) is taken out first: it is not UI text.

const DOC_SHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');
type Part = keyof typeof en;
const de = strings('de');

const PARTS: Part[] = [
  'nav',
  'settingsNav',
  'common',
  'inboxesPage',
  'inboxPage',
  'inboxSettings',
  'tagsPage',
  'statusesPage',
  'fieldsPage',
  'usersPage',
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
  'reports',
  'kb',
];

/**
 * The English texts of these parts that German says differently: strings of 5 characters or more, and the
 * fixed words (8 characters or more) around the values of the catalogue's functions.
 */
function english(parts: Part[]): string[] {
  const out = new Set<string>();
  const markers = ['⟦0⟧', '⟦1⟧', '⟦2⟧', '⟦3⟧'];
  const walk = (e: unknown, d: unknown) => {
    if (typeof e === 'string') {
      if (e !== d && e.length >= 5) out.add(e);
    } else if (typeof e === 'function' && typeof d === 'function') {
      const call = (f: (...a: unknown[]) => unknown) => String(f(...markers.slice(0, f.length)));
      const german = call(d as (...a: unknown[]) => unknown);
      for (const piece of call(e as (...a: unknown[]) => unknown).split(/⟦\d⟧/)) {
        const p = piece.trim();
        if (p.length >= 8 && !german.includes(p)) out.add(p);
      }
    } else if (e && typeof e === 'object')
      for (const [k, v] of Object.entries(e)) walk(v, (d as Record<string, unknown> | undefined)?.[k]);
  };
  for (const p of parts) walk(en[p], de[p]);
  return [...out];
}

/** Whether the text has this English as words of its own (German "Standardstatus" does not show "status"). */
const shows = (text: string, english: string) =>
  new RegExp(`(?<![\\p{L}\\d_])${english.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\d_])`, 'u').test(text);

/**
 * Parts of a page that are not interface text and are left out of the main element's text: code (macro variables,
 * API scopes, JSON rule editors), a <noscript> fallback (its markup is raw text to the DOM), recorded data (the
 * audit log's rows) and what the server writes in English (a maintenance job's description and last result).
 */
const NOT_INTERFACE =
  'code, pre, textarea, noscript, [data-keys] .scopes, [data-audit] tbody, [data-job] .desc, [data-job] dd .muted, .result';

let s: TestServer;
let browser: Browser;
let dataWords: string[] = [];

describe.skipIf(!existsSync(CHROMIUM))('German settings, reports and knowledge-base admin (browser, locale de-DE)', () => {
  beforeAll(async () => {
    s = await startTestServer();
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function signedIn(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'de-DE' });
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));
    await page.goto(`${s.url}/login`);
    await page.getByLabel(de.login.email, { exact: true }).fill(ADMIN.email);
    await page.getByLabel(de.login.password, { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: de.login.submit, exact: true }).click();
    await page.waitForURL((u) => u.pathname !== '/login');
    return page;
  }

  /** Everything a reader or a screen reader gets from the page, minus the test's own data. */
  async function pageText(page: Page): Promise<string> {
    const text = await page.evaluate((notInterface) => {
      // The few DOM members used here (the tests compile without the DOM library).
      type El = {
        style: { display: string };
        textContent: string | null;
        innerText: string;
        remove(): void;
        getAttribute(name: string): string | null;
        cloneNode(deep: boolean): El;
        querySelectorAll(selector: string): ArrayLike<El>;
      };
      const doc = (globalThis as unknown as { document: { title: string; body: El; querySelector(s: string): El | null } })
        .document;
      const live = doc.querySelector('#main');
      // Hidden for the moment of reading, so the rendered text leaves them out too.
      const skipped = Array.from(live?.querySelectorAll(notInterface) ?? []);
      const display = skipped.map((el) => el.style.display);
      for (const el of skipped) el.style.display = 'none';
      // innerText on purpose: what is rendered for a reader (body's textContent would also read its scripts).
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is checked here
      const rendered = doc.body.innerText;
      skipped.forEach((el, i) => {
        el.style.display = display[i] ?? '';
      });
      const main = live?.cloneNode(true);
      for (const el of Array.from(main?.querySelectorAll(notInterface) ?? [])) el.remove();
      const attrs = Array.from(main?.querySelectorAll('[placeholder],[aria-label],[title],[alt]') ?? []).flatMap((el) =>
        ['placeholder', 'aria-label', 'title', 'alt'].map((a) => el.getAttribute(a) ?? ''),
      );
      return [doc.title, rendered, main?.textContent ?? '', ...attrs].join('\n');
    }, NOT_INTERFACE);
    return dataWords.reduce((t, w) => t.replaceAll(w, ' '), text);
  }

  async function noEnglish(page: Page, where: string): Promise<string> {
    const text = await pageText(page);
    // Soft: one run lists every page that still speaks English, not only the first.
    expect
      .soft(
        english(PARTS).filter((e) => shows(text, e)),
        `${where}: English left`,
      )
      .toEqual([]);
    return text;
  }

  async function check(page: Page, path: string, present: string[], shot?: string) {
    await page.goto(`${s.url}${path}`);
    await page.locator('#main').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    const text = await noEnglish(page, path);
    for (const p of present) expect.soft(text, `${path}: ${p}`).toContain(p);
    if (shot) await page.screenshot({ path: join(DOC_SHOTS, shot), fullPage: false });
  }

  it('shows every settings section, the reports, the knowledge base admin and a company page in German', async () => {
    const ok = async (method: string, path: string, body: unknown) => {
      const res = await s.req(method, path, { auth: s.admin, body });
      expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
      return res.body;
    };
    // Something on every page, named in German, so rows, badges and menus are drawn.
    await ok('POST', '/tags', { name: 'rechnung', color: '#2f5bd3' });
    await ok('POST', '/custom-fields', { key: 'tarif', label: 'Tarif', type: 'single_select', options: ['Basis', 'Profi'] });
    const macro = await ok('POST', '/macros', {
      name: 'Rückerstattung',
      body: '<p>Wir erstatten den Betrag.</p>',
      note: '<p>Buchhaltung informieren</p>',
      visibility: 'shared',
      actions: [{ type: 'set_priority', priority: 'high' }],
    });
    await s.apiKey(['conversations:read']);
    await ok('POST', '/webhooks', { url: 'http://127.0.0.1:9/haken', events: ['*'] });
    await ok('POST', '/teams', { name: 'Kundendienst' });
    await ok('POST', '/sla-policies', { name: 'Dringend', priority: 'urgent', firstResponseMinutes: 30, warningMinutes: 10 });
    await ok('POST', '/skills', { name: 'Deutsch', code: 'de' });
    await ok('POST', '/automation/rules', {
      name: 'Großkunden',
      trigger: { type: 'tag_added', tag: 'vip' },
      conditions: [],
      actions: [{ type: 'set_priority', priority: 'high' }],
    });
    const article = await ok('POST', '/kb/articles', {
      slug: 'passwort',
      locale: 'de',
      title: 'Passwort zurücksetzen',
      body: 'Öffnen Sie die Anmeldeseite und wählen Sie **Passwort vergessen**.',
      keywords: ['anmeldung'],
      status: 'published',
    });
    await ok('POST', '/kb/synonyms', { locale: 'de', term: 'pw', synonyms: ['passwort'] });
    const company = await ok('POST', '/companies', { name: 'Becker GmbH', domain: 'example.de' });
    await ok('POST', '/conversations', {
      inboxId: s.inboxId,
      contact: { name: 'Jonas Becker', email: 'jonas@example.de' },
      message: { body: 'Hallo' },
    });
    const statuses = (await s.req('GET', '/statuses', { auth: s.admin })).body;
    // The seeded status names are workspace data (an admin renames them), not interface text.
    dataWords = [
      'test conversations:read', // the API key's name (the test helper names keys after their scopes)
      ...(Array.isArray(statuses) ? statuses : (statuses.items ?? statuses.data ?? [])).map((x: { name: string }) => x.name),
    ];
    expect(dataWords.length).toBeGreaterThan(1);

    const page = await signedIn({ width: 1280, height: 800 });
    const c = de.common;
    await check(page, '/settings/users', [
      de.usersPage.invite,
      de.usersPage.security,
      de.usersPage.addWithPassword,
      de.usersPage.sendInvitation,
    ]);
    await check(
      page,
      '/settings/inboxes',
      [de.inboxesPage.intro, de.inboxesPage.create, de.inboxesPage.members],
      'german-settings-inboxes-1280.png',
    );
    await check(page, `/settings/inboxes/${s.inboxId}`, [
      de.inboxPage.install,
      de.inboxPage.widget,
      de.inboxPage.saveWidget,
      de.inboxPage.identity,
    ]);
    // The connection cards of the messaging inboxes (SMS, WhatsApp, Messenger), with their test-send forms.
    const cs = de.channelSettings;
    for (const [channel, present] of [
      ['sms', [cs.smsTitle, cs.smsWebhook, cs.authToken, cs.saveSms, cs.testTitle]],
      ['whatsapp', [cs.waTitle, cs.callbackUrl, cs.verifyToken, cs.templates, cs.saveWa]],
      ['messenger', [cs.fbTitle, cs.pageId, cs.pageToken, cs.saveFb]],
    ] as const) {
      const inbox = await ok('POST', '/inboxes', { name: `Kanal ${channel}`, channel, members: [s.admin.userId] });
      await check(page, `/settings/inboxes/${inbox.id}`, [...present, cs.notConnected]);
    }
    await check(page, '/settings/statuses', [
      de.statusesPage.newStatus,
      de.statusesPage.add,
      de.statusesPage.addAnotherFirst(de.common.categories.pending!),
    ]);
    await check(page, '/settings/fields', [de.fieldsPage.newField, de.fieldsPage.add, 'Tarif']);
    await check(page, '/settings/tags', [de.tagsPage.newTag, de.tagsPage.add, c.conversations(0)]);
    await check(page, '/settings/portal', [de.portalSettings.name, de.portalSettings.firstChat]);
    await check(page, '/settings/routing', [
      de.routingPage.saveTeam,
      de.routingPage.newPolicy,
      de.routingPage.routingSettings,
      'Kundendienst',
    ]);
    await check(page, '/settings/automation', [de.automationPage.intro, de.automationPage.newRule, 'Großkunden']);
    await page.getByRole('button', { name: de.automationPage.newRule, exact: true }).click();
    await page.locator('[data-builder]').waitFor();
    expect(await noEnglish(page, 'the new-rule builder')).toContain(de.automationPage.addCondition);
    await check(page, '/settings/macros', [de.macrosPage.newMacro, de.macrosPage.create, de.macroForm.reply, 'Rückerstattung']);
    await check(page, `/settings/macros/${macro.id}`, [de.macrosPage.editMacro, de.macrosPage.save]);
    await check(page, '/settings/kb', [de.kb.newArticle, de.kb.categories, 'Passwort zurücksetzen']);
    await check(page, `/settings/kb/${article.id}`, [de.kb.details, de.kb.versions]);
    await check(page, '/settings/kb/new', [de.kb.newTitle]);
    await check(page, '/settings/kb/gaps', [de.kb.gaps, de.kb.gapsEmpty]);
    await check(page, '/settings/kb/synonyms', [de.kb.synonymsHelp, de.kb.addSynonym]);
    await check(page, '/settings/announcements', [de.announcementsPage.newAnnouncement, de.announcementsPage.send]);
    await check(page, '/settings/webhooks', [de.webhooksPage.newWebhook, de.webhooksPage.sendTest, de.webhooksPage.allEvents]);
    await check(page, '/settings/api-keys', [de.apiKeysPage.newKey, de.apiKeysPage.create, de.apiKeysPage.lastUsed]);
    await check(page, '/settings/audit', [de.auditPage.exportCsv, de.auditPage.changes]);
    // Dates follow the language: the audit log's times read the German way (6.12.2026, 15:04:05).
    expect(await page.locator('[data-audit] td').first().textContent()).toMatch(/^\d{1,2}\.\d{1,2}\.\d{4}, \d{2}:\d{2}/);
    await check(page, '/settings/maintenance', [de.maintenancePage.intro, de.privacyPage.runNow]);
    await check(
      page,
      '/settings/privacy',
      [de.privacyPage.title, de.privacyPage.savePolicy, de.privacyPage.personData],
      'german-settings-privacy-1280.png',
    );
    await check(page, '/settings/email', [de.emailPage.yourSignature, de.emailPage.saveSignature]);
    await check(
      page,
      '/reports',
      [de.reports.metrics.Created!, de.reports.perDay, de.reports.busiest],
      'german-reports-1280.png',
    );
    // The chart's date axis (drawn on a canvas; its labels are kept in data-x-ticks) reads "6. Dez.", not "Dec 6".
    const ticks = (await page.locator('[data-x-ticks]').getAttribute('data-x-ticks'))?.split('|') ?? [];
    expect(ticks.length).toBeGreaterThan(1);
    for (const tick of ticks) expect(tick).toMatch(/^\d{1,2}\. \p{L}+\.?$/u);
    await check(page, '/reports/me', [de.reports.figure, de.reports.mine['Conversations assigned']!]);
    await check(page, '/reports/agents', [de.reports.agentStats, de.reports.handleTimeMedianP90]);
    await check(page, '/reports/macros', [de.reports.macroUsage]);
    await check(page, '/reports/service', [
      de.reports.responseTimes,
      de.reports.csatComments,
      de.reports.targets.first_response!,
    ]);
    await check(page, '/reports/knowledge', [de.reports.botAnswers, de.reports.withoutArticle]);
    await check(page, '/reports/live', [de.reports.waiting, de.reports.longest]);
    await check(page, `/companies/${company.id}`, [de.companyPage.deleteCompany, de.contactPage.details, 'Jonas Becker']);

    const phone = await signedIn({ width: 390, height: 844 });
    await check(phone, '/settings/tags', [de.tagsPage.newTag], 'german-settings-tags-390.png');
    await check(phone, '/settings/routing', [de.routingPage.teams]);
  }, 300_000);
});
