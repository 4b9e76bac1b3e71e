import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { ADMIN, startTestServer, type TestServer } from './helpers/test-server';

// The "Notes" card about a contact, in real Chromium: written in the room's customer sidebar (the agent's
// name and the time shown), seen on the contact page, deleted there; an empty note is refused with a
// message and stores nothing; the card works without JavaScript too (plain form actions).

const DOC_SHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');

let s: TestServer;
let browser: Browser;

describe.skipIf(!existsSync(CHROMIUM))('contact notes card (browser)', () => {
  beforeAll(async () => {
    s = await startTestServer();
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function signIn(viewport = { width: 1280, height: 800 }, javaScriptEnabled = true): Promise<Page> {
    const context = await browser.newContext({ viewport, javaScriptEnabled });
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('page error:', err.message));
    await page.goto(`${s.url}/login`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname !== '/login');
    return page;
  }
  const notes = async (contactId: string) =>
    (await s.req('GET', `/contacts/${contactId}/notes`, { auth: s.admin })).body.data as { body: string; id: string }[];

  it('writes a note in the room sidebar, shows it with author and time on the contact page, and deletes it there', async () => {
    const conv = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: { inboxId: s.inboxId, contact: { name: 'Greta Gruber', email: 'greta@example.test' }, message: { body: 'Hi there' } },
    });
    expect(conv.status, conv.text).toBe(201);
    const contactId = conv.body.contactId as string;
    const me = (await s.req('GET', '/me', { auth: s.admin })).body as { name: string; displayName: string | null };
    const myName = me.displayName ?? me.name;

    const room = await signIn();
    await room.goto(`${s.url}/inbox/${conv.body.id}`);
    await room.locator('[data-collab-ready="true"]').waitFor();
    const card = room.locator('aside [data-contact-notes]');
    await card.getByText('No notes yet.').waitFor();

    // Empty: refused with a message, nothing stored.
    await card.getByLabel('New note about this contact', { exact: true }).fill('   ');
    await card.getByRole('button', { name: 'Add note', exact: true }).click();
    await card.locator('[data-contact-note-error]').waitFor();
    expect(await notes(contactId)).toEqual([]);

    await card.getByLabel('New note about this contact', { exact: true }).fill('Prefers phone calls after 5 pm');
    await card.getByRole('button', { name: 'Add note', exact: true }).click();
    const note = card.locator('[data-contact-note]', { hasText: 'Prefers phone calls after 5 pm' });
    await note.waitFor();
    expect(await note.locator('[data-note-author]').textContent()).toBe(myName);
    expect(await note.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await card.getByLabel('New note about this contact', { exact: true }).inputValue()).toBe('');
    expect((await notes(contactId)).map((n) => n.body)).toEqual(['Prefers phone calls after 5 pm']);
    await card.screenshot({ path: join(DOC_SHOTS, 'contact-notes-room-1280.png') });

    // The contact page shows it; a second note comes first; the first is deleted.
    await room.goto(`${s.url}/contacts/${contactId}`);
    const page = room.locator('[data-contact-notes]');
    await page.locator('[data-contact-note]', { hasText: 'Prefers phone calls' }).waitFor();
    await page.getByLabel('New note about this contact', { exact: true }).fill('VIP: renewal in March');
    await page.getByRole('button', { name: 'Add note', exact: true }).click();
    await page.locator('[data-contact-note]', { hasText: 'VIP: renewal in March' }).waitFor();
    expect(await page.locator('[data-contact-note] .body').allTextContents()).toEqual([
      'VIP: renewal in March',
      'Prefers phone calls after 5 pm',
    ]);
    await page
      .locator('[data-contact-note]', { hasText: 'Prefers phone calls' })
      .getByRole('button', { name: `Delete the note by ${myName}`, exact: true })
      .click();
    await page.locator('[data-contact-note]', { hasText: 'Prefers phone calls' }).waitFor({ state: 'detached' });
    expect((await notes(contactId)).map((n) => n.body)).toEqual(['VIP: renewal in March']);

    // Phone width, and without JavaScript: the same card, a plain form post.
    const phone = await signIn({ width: 390, height: 844 }, false);
    await phone.goto(`${s.url}/contacts/${contactId}`);
    const small = phone.locator('[data-contact-notes]');
    await small.getByLabel('New note about this contact', { exact: true }).fill('Called back, all good');
    await small.getByRole('button', { name: 'Add note', exact: true }).click();
    await phone.locator('[data-contact-notes] [data-contact-note]', { hasText: 'Called back, all good' }).waitFor();
    expect((await notes(contactId)).map((n) => n.body)).toEqual(['Called back, all good', 'VIP: renewal in March']);
    await phone.locator('[data-contact-notes]').screenshot({ path: join(DOC_SHOTS, 'contact-notes-390.png') });
  }, 180_000);
});
