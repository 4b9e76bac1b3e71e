import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from './helpers/browser';
import { adminPageWithoutScripts, settingsSuite } from './helpers/settings-page';
import type { TestServer } from './helpers/test-server';

// The live typing preview is switched on and off on the web inbox's settings page (the widget form, a plain
// form action, so JavaScript off here); the widget's public config then says so, and the other widget
// settings saved by the same form stay as they were.

describe.skipIf(!existsSync(CHROMIUM))('typing preview switch on the inbox settings page (browser)', () => {
  const suite = settingsSuite();
  let s: TestServer;
  beforeAll(() => {
    s = suite.server();
  });

  it('turns the live typing preview on and off', async () => {
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    const token = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken as string;
    const config = async () =>
      ((await (await fetch(`${s.url}/widget-api/v1/config?websiteToken=${token}`)).json()) as { typingPreview: boolean })
        .typingPreview;
    expect(await config()).toBe(false);
    await s.req('PATCH', `/inboxes/${s.inboxId}/widget`, { auth: s.admin, body: { title: 'Shop help' } });

    const { context, page } = await adminPageWithoutScripts(suite.browser(), s);

    await page.goto(`${s.url}/settings/inboxes/${s.inboxId}`);
    const box = page.getByLabel('Live typing preview', { exact: true });
    expect(await box.isChecked()).toBe(false);
    await page.locator('[data-typing-preview-setting]').getByText('privacy notice').waitFor();
    await box.check();
    await page.getByRole('button', { name: 'Save widget', exact: true }).click();
    await page.locator('[data-saved="widget"]').waitFor();
    expect(await config()).toBe(true);
    expect(await page.getByLabel('Live typing preview', { exact: true }).isChecked()).toBe(true);
    const saved = await s.req('GET', `/inboxes/${s.inboxId}/widget`, { auth: s.admin });
    expect(saved.body.settings.title).toBe('Shop help');

    await page.getByLabel('Live typing preview', { exact: true }).uncheck();
    await page.getByRole('button', { name: 'Save widget', exact: true }).click();
    await page.locator('[data-saved="widget"]').waitFor();
    expect(await config()).toBe(false);
    await context.close();
  }, 120_000);
});
