import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from './helpers/browser';
import { adminPageWithoutScripts, settingsSuite } from './helpers/settings-page';
import type { TestServer } from './helpers/test-server';

// The bot on an SMS, WhatsApp or Messenger inbox is switched on in the inbox's settings page (a plain form
// action, so JavaScript off here), and the API then says so; a web inbox has no such card (its widget
// settings carry the bot).

describe.skipIf(!existsSync(CHROMIUM))('messaging inbox bot switch (browser)', () => {
  const suite = settingsSuite();
  let s: TestServer;
  beforeAll(() => {
    s = suite.server();
  });

  it('turns the bot on and off for an SMS inbox from its settings page', async () => {
    const inbox = await s.req('POST', '/inboxes', { auth: s.admin, body: { name: 'Texts', channel: 'sms' } });
    expect(inbox.status).toBe(201);
    const setting = async () => (await s.req('GET', `/inboxes/${inbox.body.id}/messaging-bot`, { auth: s.admin })).body;
    expect(await setting()).toEqual({ enabled: false });

    const { context, page } = await adminPageWithoutScripts(suite.browser(), s);

    await page.goto(`${s.url}/settings/inboxes/${inbox.body.id}`);
    const card = page.locator('[data-messaging-bot]');
    await card.getByLabel('The bot answers first').check();
    await card.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-saved="bot"]').waitFor();
    expect(await setting()).toEqual({ enabled: true });
    expect(await page.locator('[data-messaging-bot]').getByLabel('The bot answers first').isChecked()).toBe(true);

    await page.locator('[data-messaging-bot]').getByLabel('The bot answers first').uncheck();
    await page.locator('[data-messaging-bot]').getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-saved="bot"]').waitFor();
    expect(await setting()).toEqual({ enabled: false });

    const web = await s.req('POST', '/inboxes', { auth: s.admin, body: { name: 'Site', channel: 'web' } });
    await page.goto(`${s.url}/settings/inboxes/${web.body.id}`);
    await page.locator('[data-embed]').waitFor();
    expect(await page.locator('[data-messaging-bot]').count()).toBe(0);
    await context.close();
  }, 120_000);
});
