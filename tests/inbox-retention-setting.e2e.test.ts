import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from './helpers/browser';
import { adminPageWithoutScripts, settingsSuite } from './helpers/settings-page';
import type { TestServer } from './helpers/test-server';

// The per-inbox retention overrides are set on the inbox's settings page (a plain form action, so
// JavaScript off here): each field either follows the workspace policy or sets its own days, the API then
// returns them, and a value the API refuses shows its message and stores nothing.

describe.skipIf(!existsSync(CHROMIUM))('retention card on the inbox settings page (browser)', () => {
  const suite = settingsSuite();
  let s: TestServer;
  beforeAll(() => {
    s = suite.server();
  });

  it('sets, shows and refuses retention overrides', async () => {
    // The workspace keeps attachments 90 days: the inbox follows that until it says otherwise.
    const ws = await s.req('GET', '/admin/retention', { auth: s.admin });
    await s.req('PUT', '/admin/retention', { auth: s.admin, body: { ...ws.body, attachmentsAfterDays: 90 } });
    const overrides = async () => (await s.req('GET', `/admin/inboxes/${s.inboxId}/retention`, { auth: s.admin })).body;
    expect((await overrides()).overrides).toEqual({});

    const { context, page } = await adminPageWithoutScripts(suite.browser(), s);

    await page.goto(`${s.url}/settings/inboxes/${s.inboxId}`);
    const card = page.locator('[data-retention]');
    const field = (name: string) => card.locator(`[data-retention-field="${name}"]`);
    const useDefault = (name: string) => field(name).getByLabel('Use the workspace default', { exact: true });
    expect(await useDefault('archiveAfterDays').isChecked()).toBe(true);
    expect(await field('attachmentsAfterDays').textContent()).toContain('Applies now: 90 days');

    await useDefault('archiveAfterDays').uncheck();
    await card.getByLabel('Archive conversations closed for', { exact: true }).fill('30');
    await useDefault('conversationsAfterDays').uncheck();
    await card.getByLabel('Remove conversations closed for', { exact: true }).fill('365');
    await card.getByLabel('How to remove them', { exact: true }).selectOption('delete');
    // Attachments: left on the workspace default (90 days).
    await card.getByRole('button', { name: 'Save retention', exact: true }).click();
    await page.locator('[data-retention-saved]').waitFor();

    const saved = await overrides();
    expect(saved.overrides).toEqual({ archiveAfterDays: 30, conversations: { afterDays: 365, action: 'delete' } });
    expect(saved.effective).toEqual({
      archiveAfterDays: 30,
      conversations: { afterDays: 365, action: 'delete' },
      attachmentsAfterDays: 90,
    });

    await page.reload();
    expect(await card.getByLabel('Archive conversations closed for', { exact: true }).inputValue()).toBe('30');
    expect(await card.getByLabel('Remove conversations closed for', { exact: true }).inputValue()).toBe('365');
    expect(await card.getByLabel('How to remove them', { exact: true }).inputValue()).toBe('delete');
    expect(await useDefault('archiveAfterDays').isChecked()).toBe(false);
    expect(await useDefault('attachmentsAfterDays').isChecked()).toBe(true);

    // Attachments kept forever in this inbox (empty), and a bad archive age: refused, nothing stored.
    await useDefault('attachmentsAfterDays').uncheck();
    await card.getByLabel('Archive conversations closed for', { exact: true }).fill('0');
    await card.getByRole('button', { name: 'Save retention', exact: true }).click();
    const alert = page.locator('[data-retention-error]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('archiveAfterDays');
    expect(await page.locator('[data-retention-saved]').count()).toBe(0);
    expect((await overrides()).overrides).toEqual(saved.overrides);

    await card.getByLabel('Archive conversations closed for', { exact: true }).fill('60');
    await card.getByRole('button', { name: 'Save retention', exact: true }).click();
    await page.locator('[data-retention-saved]').waitFor();
    expect((await overrides()).overrides).toEqual({
      archiveAfterDays: 60,
      conversations: { afterDays: 365, action: 'delete' },
      attachmentsAfterDays: null,
    });

    // Back to the workspace default everywhere: no overrides left.
    await page.reload();
    for (const name of ['archiveAfterDays', 'conversationsAfterDays', 'attachmentsAfterDays']) await useDefault(name).check();
    await card.getByRole('button', { name: 'Save retention', exact: true }).click();
    await page.locator('[data-retention-saved]').waitFor();
    expect((await overrides()).overrides).toEqual({});
    if (process.env.SCREENSHOTS_DIR) await card.screenshot({ path: `${process.env.SCREENSHOTS_DIR}/inbox-retention-1280.png` });
    await context.close();
  }, 120_000);
});
