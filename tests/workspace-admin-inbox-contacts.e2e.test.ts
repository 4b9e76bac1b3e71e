import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { browser, contexts, loopback, s, shot, signIn, useAdminPages } from './helpers/admin-pages';
import { CHROMIUM } from './helpers/browser';
import { ADMIN, BACKEND, waitFor } from './helpers/test-server';

// The admin pages in a real Chromium, each checked by what the API (or a real receiver) then sees:
// an inbox made in the browser whose copied snippet puts a working widget on a host page; statuses,
// fields and tags; contacts with a CSV import that refuses a bad row, then an export parsed back; what
// an agent outside the inbox sees. The tests run in order: the contacts test counts the anonymous
// visitor of the first and opens Zoe from the second, and the last looks for Zoe too. Tag merging and
// webhooks are in workspace-admin-tags-webhooks.

// Browser globals used inside page.evaluate (this file compiles without the DOM library).
declare function getComputedStyle(el: unknown): { backgroundColor: string };
declare const navigator: { clipboard: { readText(): Promise<string> } };

describe.skipIf(!existsSync(CHROMIUM))(`admin pages (browser, ${BACKEND})`, () => {
  useAdminPages({ widget: true });

  it('creates a web inbox, styles its widget with a live preview, and its copied snippet works on a host page', async () => {
    const page = await signIn(ADMIN, '/settings/inboxes');
    await page.getByLabel('Name').fill('Shop chat');
    await page.getByLabel('Channel').selectOption('web');
    await page.getByRole('checkbox', { name: 'Admin' }).check();
    await page.getByRole('button', { name: 'Create inbox' }).click();
    await page.locator('[data-inbox-created]').waitFor();
    const inbox = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data.find(
      (i: { name: string }) => i.name === 'Shop chat',
    );
    expect(inbox).toMatchObject({ channel: 'web', members: [s.admin.userId] });
    expect(new URL(page.url()).pathname).toBe(`/settings/inboxes/${inbox.id}`);

    // The preview follows the form before saving; saving reaches the API.
    await page.getByLabel('Title').fill('Shop help');
    expect(await page.locator('[data-preview-title]').textContent()).toBe('Shop help');
    await page.getByLabel('Greeting').fill('Hello from the shop!');
    await page.locator('[data-preview-greeting]').waitFor();
    await page.locator('input[type=color][name=color]').fill('#0f766e');
    await page.getByLabel('Position').selectOption('left');
    await page.getByLabel('Business hours').fill('Mon–Fri 9–17 CET');
    await page.getByRole('button', { name: 'Save widget' }).click();
    await page.locator('[data-saved="widget"]').waitFor();
    const widget = await s.req('GET', `/inboxes/${inbox.id}/widget`, { auth: s.admin });
    expect(widget.body.settings).toMatchObject({
      title: 'Shop help',
      greeting: 'Hello from the shop!',
      color: '#0f766e',
      position: 'left',
      businessHours: 'Mon–Fri 9–17 CET',
    });
    expect(await page.locator('[data-secret]').inputValue()).toBe(widget.body.identitySecret);
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.locator('[data-saved="secret"]').waitFor();
    const rotated = (await s.req('GET', `/inboxes/${inbox.id}/widget`, { auth: s.admin })).body.identitySecret;
    expect(rotated).not.toBe(widget.body.identitySecret);
    expect(await page.locator('[data-secret]').inputValue()).toBe(rotated);
    await shot(page, 'inbox-desktop');

    // Copy the snippet the way a person would, and paste it into a site on another origin.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.url });
    await page.getByRole('button', { name: 'Copy snippet' }).click();
    await page.getByRole('button', { name: 'Copied ✓' }).waitFor();
    const snippet = await page.evaluate(() => navigator.clipboard.readText());
    expect(snippet).toBe(await page.locator('[data-snippet]').inputValue());
    expect(snippet).toContain(inbox.websiteToken);
    const host = await loopback(() => ({ type: 'text/html', body: `<!doctype html><title>Shop</title><h1>Shop</h1>${snippet}` }));
    const visitor = await (await browser.newContext()).newPage();
    contexts.push(visitor.context());
    await visitor.goto(host);
    const launcher = visitor.locator('autocrm-widget').locator('button.launcher');
    await launcher.waitFor();
    // The widget on the host page wears the colour chosen in the settings page.
    await waitFor(async () => (await launcher.evaluate((el) => getComputedStyle(el).backgroundColor)) === 'rgb(15, 118, 110)');

    const phone = await signIn(ADMIN, `/settings/inboxes/${inbox.id}`, 390);
    await phone.locator('[data-preview]').waitFor();
    await shot(phone, 'inbox-phone');
    await phone.goto(`${s.url}/settings/inboxes`);
    await phone.locator('[data-inbox="Shop chat"]').waitFor();
    await shot(phone, 'inboxes-phone');
  });

  it('adds a status, a custom field shown on a contact, and renames a tag', async () => {
    const page = await signIn(ADMIN, '/settings/statuses');
    await page.getByLabel('Name', { exact: true }).fill('Awaiting parts');
    await page.getByLabel('Category').selectOption('pending');
    await page.getByRole('button', { name: 'Add status' }).click();
    await page.locator('[data-created]').waitFor();
    await page.locator('[data-status="Awaiting parts"]').waitFor();
    const statuses = (await s.req('GET', '/statuses', { auth: s.admin })).body.data;
    expect(statuses.find((x: { name: string }) => x.name === 'Awaiting parts')?.category).toBe('pending');
    await shot(page, 'statuses-desktop');

    await page.goto(`${s.url}/settings/fields`);
    await page.getByLabel('Label').last().fill('Customer plan');
    expect(await page.getByLabel('Key').inputValue()).toBe('customer_plan');
    await page.getByLabel('Type').selectOption('single_select');
    await page.getByLabel('Options, one per line').last().fill('Basic\nPro');
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.locator('[data-field="customer_plan"]').waitFor();
    const fields = (await s.req('GET', '/custom-fields', { auth: s.admin })).body.data;
    expect(fields.find((f: { key: string }) => f.key === 'customer_plan')).toMatchObject({
      type: 'single_select',
      options: ['Basic', 'Pro'],
    });
    // A bad key is refused with the reason shown next to it, and nothing stored.
    await page.getByLabel('Label').last().fill('Bad');
    await page.getByLabel('Key').fill('customer_plan');
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.locator('[data-error="key"], p.error[role=alert]').first().waitFor();
    await shot(page, 'fields-desktop');

    const conv = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: {
        inboxId: s.inboxId,
        subject: 'Upgrade',
        contact: { email: 'zoe@example.com', name: 'Zoe' },
        customFields: { customer_plan: 'Pro' },
        tags: ['upgrade'],
      },
    });
    expect(conv.status).toBe(201);
    await page.goto(`${s.url}/contacts/${conv.body.contactId}`);
    const field = page.locator(`[data-conversation="${conv.body.id}"] [data-field="customer_plan"]`);
    expect((await field.textContent())?.replace(/\s+/g, ' ').trim()).toBe('Customer plan: Pro');

    await page.goto(`${s.url}/settings/tags`);
    const row = page.locator('[data-tag="upgrade"]');
    expect(await row.locator('[data-uses]').getAttribute('data-uses')).toBe('1');
    await row.getByLabel('Name of upgrade').fill('Upsell');
    await row.getByRole('button', { name: 'Save upgrade' }).click();
    await page.locator('[data-updated]').waitFor();
    expect((await s.req('GET', `/conversations/${conv.body.id}`, { auth: s.admin })).body.tags).toEqual(['upsell']);
    await shot(page, 'tags-desktop');
    const phone = await signIn(ADMIN, '/settings/tags', 390);
    await phone.locator('[data-tag="upsell"]').waitFor();
    await shot(phone, 'tags-phone');
  });

  it('imports contacts from CSV (a bad row stops it with the line named), updates by email, and exports them back', async () => {
    await s.req('POST', '/contacts', { auth: s.admin, body: { email: 'known@example.com', name: 'Known Old' } });
    const page = await signIn(ADMIN, '/contacts/import');
    const upload = async (csv: string) => {
      await page
        .locator('input[type=file]')
        .setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.locator('[data-preview]').waitFor();
    };
    const bad = 'Full name,E-mail,Phone,Plan\r\nAmy Adams,amy@example.com,+1 555 0100,pro\r\nBen Bad,not-an-email,,basic\r\n';
    await upload(bad);
    expect(await page.getByLabel('Import “E-mail” as').inputValue()).toBe('email');
    expect(await page.getByLabel('Import “Plan” as').inputValue()).toBe('attribute');
    await page.getByRole('button', { name: 'Import 2 contacts' }).click();
    await page.locator('[data-row-errors] [data-line="3"]').waitFor();
    expect(await page.locator('[data-import-error]').textContent()).toContain('Nothing was imported');
    await shot(page, 'import-errors-desktop');
    const list = async () =>
      (await s.req('GET', '/contacts?limit=100', { auth: s.admin })).body.data as {
        email: string;
        name: string;
        phone: string | null;
        attributes: Record<string, unknown>;
      }[];
    expect((await list()).some((c) => c.email === 'amy@example.com')).toBe(false);

    const good =
      'Full name,E-mail,Phone,Plan,Notes\r\nAmy Adams,amy@example.com,+1 555 0100,pro,"=HYPERLINK(""http://evil"")"\r\nKnown New,KNOWN@example.com,,basic,\r\n';
    await upload(good);
    await page.getByRole('button', { name: 'Import 2 contacts' }).click();
    expect((await page.locator('[data-imported]').textContent())?.replace(/\s+/g, ' ')).toContain('1 new, 1 updated');
    const after = await list();
    expect(after.filter((c) => c.email === 'known@example.com').map((c) => c.name)).toEqual(['Known New']);
    expect(after.find((c) => c.email === 'amy@example.com')?.attributes).toEqual({
      plan: 'pro',
      notes: '=HYPERLINK("http://evil")',
    });

    // Export: a spreadsheet-safe CSV that parses back to the same people.
    await page.goto(`${s.url}/contacts`);
    await page.locator('[data-contact="amy@example.com"]').waitFor();
    await shot(page, 'contacts-desktop');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export]').click()]);
    const rows = parse(readFileSync((await download.path())!, 'utf8'), { columns: true }) as Record<string, string>[];
    const amy = rows.find((r) => r.email === 'amy@example.com')!;
    // Cells a spreadsheet would run as formulas (=, +, -, @) are prefixed with ', phone numbers too.
    expect(amy).toMatchObject({ name: 'Amy Adams', phone: "'+1 555 0100", plan: 'pro', notes: `'=HYPERLINK("http://evil")` });
    expect(rows.filter((r) => r.email === 'known@example.com')).toHaveLength(1);
    // The export imports back unchanged: the guard is dropped again, every row with an email updates its
    // contact, and the anonymous visitor's empty line is skipped.
    const withEmail = rows.filter((r) => r.email).length;
    expect(withEmail).toBe(rows.length - 1);
    const count = (await list()).length;
    await page.goto(`${s.url}/contacts/import`);
    await upload(readFileSync((await download.path())!, 'utf8'));
    await page.getByRole('button', { name: `Import ${rows.length} contacts` }).click();
    expect((await page.locator('[data-imported]').textContent())?.replace(/\s+/g, ' ')).toContain(
      `0 new, ${withEmail} updated, 1 line with nothing to import skipped`,
    );
    expect((await list()).length).toBe(count);
    expect((await list()).find((c) => c.email === 'amy@example.com')).toMatchObject({
      phone: '+1 555 0100',
      attributes: { plan: 'pro', notes: '=HYPERLINK("http://evil")' },
    });
    await page.goto(`${s.url}/contacts`);

    // Search, then the contact's page: edit and see their conversations.
    await page.getByLabel('Search contacts').fill('amy');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=amy/);
    expect(await page.locator('[data-contact]').count()).toBe(1);
    await page.locator('[data-contact="amy@example.com"] a').click();
    await page.getByLabel('Phone', { exact: true }).fill('+1 555 0199');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('[data-saved]').waitFor();
    expect((await list()).find((c) => c.email === 'amy@example.com')).toMatchObject({ phone: '+1 555 0199' });
    await shot(page, 'contact-desktop');

    const phone = await signIn(ADMIN, '/contacts', 390);
    await phone.locator('[data-contacts]').waitFor();
    await shot(phone, 'contacts-phone');
    await phone.locator('[data-contact="zoe@example.com"] a').click();
    await phone.locator('[data-conversations]').waitFor();
    await shot(phone, 'contact-phone');
  });

  it('shows an agent only the contacts of inboxes they work, and keeps webhooks to admins', async () => {
    const made = await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'outsider@example.com', name: 'Out Sider', role: 'agent', password: 'outsider-password' },
    });
    expect(made.status).toBe(201);
    const page = await signIn({ email: 'outsider@example.com', password: 'outsider-password' }, '/contacts');
    await page.locator('[data-contacts]').waitFor();
    // Zoe wrote to the test inbox, which this agent is not a member of.
    expect(await page.locator('[data-contact="zoe@example.com"]').count()).toBe(0);
    await page.goto(`${s.url}/settings/inboxes`);
    expect(await page.getByRole('button', { name: 'Create inbox' }).count()).toBe(0);
    expect(await page.locator('nav.settings-nav a[href="/settings/webhooks"]').count()).toBe(0);
    const res = await page.goto(`${s.url}/settings/webhooks`);
    expect(await page.locator('p.error[role=alert]').first().textContent()).toMatch(/scope|admin|permission/i);
    expect(res?.status()).toBe(200);
  });
});
