import { createHmac } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { buildWidget } from '../widget/build.mjs';
import { launchChromium } from './helpers/browser';
import { type HostPage, startHostPage } from './helpers/host-page';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

/**
 * A signed-in customer's widget lists their email conversation under "On other channels" and reads it
 * there, read only (the API is tests/widget-tickets.api.test.ts).
 */
describe(`widget: conversations on other channels in a browser (${BACKEND})`, () => {
  let s: TestServer;
  let host: HostPage;
  let browser: Browser;

  beforeAll(async () => {
    await buildWidget({ quiet: true });
    s = await startTestServer();
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    const websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
    host = await startHostPage({ serverUrl: s.url, websiteToken, title: 'Host shop' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await s?.close();
  });

  it('shows the email conversation of the signed-in customer and opens it read only', async () => {
    const secret = (await s.req('GET', `/inboxes/${s.inboxId}/widget`, { auth: s.admin })).body.identitySecret;
    const contact = await s.req('POST', '/contacts', { auth: s.admin, body: { name: 'Dana', externalId: 'cust-9' } });
    const email = await s.req('POST', '/inboxes', {
      auth: s.admin,
      body: { name: 'help@acme.test', channel: 'email', members: [s.admin.userId] },
    });
    const conv = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: {
        inboxId: email.body.id,
        contactId: contact.body.id,
        subject: 'Invoice question',
        message: { body: 'Where is my invoice?', from: 'contact' },
      },
    });
    expect(conv.status).toBe(201);
    await s.req('POST', `/conversations/${conv.body.id}/messages`, {
      auth: s.admin,
      body: { body: 'Attached it to this mail.' },
    });

    const user = { id: 'cust-9', name: 'Dana', hash: createHmac('sha256', secret).update('cust-9').digest('hex') };
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${host.url}/?boot=${encodeURIComponent(JSON.stringify({ user }))}`);
    const w = page.locator('autocrm-widget');
    // Booted and the contact's tickets fetched (they come after the live list).
    await waitFor(() => page.evaluate(`document.querySelector('autocrm-widget')?.elsewhere.tickets.length > 0`));
    await w.locator('button.launcher').click();
    await w.getByRole('heading', { name: 'On other channels', exact: true }).waitFor();
    const item = w.getByRole('button', { name: /Invoice question/ });
    await page.screenshot({ path: '/tmp/widget-elsewhere-list.png' });
    await item.click();
    await w.getByText('Read only here: this conversation continues on another channel.', { exact: true }).waitFor();
    await w.locator('.msg.agent').getByText('Attached it to this mail.').waitFor();
    expect(await w.locator('.msg.contact').getByText('Where is my invoice?').count()).toBe(1);
    // Read, not answered here: no message box.
    expect(await w.locator('#composer').count()).toBe(0);
    await page.screenshot({ path: '/tmp/widget-elsewhere-read.png' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '/tmp/widget-elsewhere-phone.png' });
    await w.getByRole('button', { name: 'Back to conversations' }).click();
    await w.getByRole('heading', { name: 'On other channels', exact: true }).waitFor();
  });
});
