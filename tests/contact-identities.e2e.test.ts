import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { ADMIN, startTestServer, type TestServer } from './helpers/test-server';

// The contact page's "Identities" card, with JavaScript off (plain form actions): it lists the
// contact's addresses, adds one, refuses an address another contact holds with the API's message,
// and removes one.

const DOC_SHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');

let s: TestServer;
let browser: Browser;

describe.skipIf(!existsSync(CHROMIUM))('contact identities on the contact page (browser)', () => {
  beforeAll(async () => {
    s = await startTestServer();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function signIn(viewport = { width: 1280, height: 800 }, javaScriptEnabled = true): Promise<Page> {
    const context = await browser.newContext({ viewport, javaScriptEnabled });
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    await page.goto(`${s.url}/login`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname !== '/login');
    return page;
  }

  it('lists, adds and removes identities without JavaScript, and shows the conflict message', async () => {
    const ola = await s.req('POST', '/contacts', { auth: s.admin, body: { name: 'Ola Nordmann', email: 'ola@example.test' } });
    expect(ola.status).toBe(201);
    const per = await s.req('POST', '/contacts', { auth: s.admin, body: { name: 'Per', phone: '+47 400 00 001' } });
    expect(per.status).toBe(201);

    const page = await signIn({ width: 1280, height: 800 }, false);
    await page.goto(`${s.url}/contacts/${ola.body.id}`);
    const card = page.locator('[data-identities]');
    await card.locator('[data-identity="email"][data-identity-value="ola@example.test"]').waitFor();

    // Per's number: refused with the API's 409 message, the typed value kept.
    await card.locator('[data-identity-kind]').selectOption('phone');
    await card.locator('[data-identity-value-input]').fill('+4740000001');
    await card.locator('[data-identity-add]').click();
    const error = card.locator('[data-identity-error]');
    await error.waitFor();
    const conflict = await s.req('POST', `/contacts/${ola.body.id}/identities`, {
      auth: s.admin,
      body: { kind: 'phone', value: '+4740000001' },
    });
    expect(conflict.status).toBe(409);
    expect((await error.textContent())?.trim()).toBe(conflict.body.error.message);
    expect(await card.locator('[data-identity-value-input]').inputValue()).toBe('+4740000001');
    expect(await card.locator('[data-identity="phone"]').count()).toBe(0);

    // Her own number is added.
    await card.locator('[data-identity-kind]').selectOption('phone');
    await card.locator('[data-identity-value-input]').fill('+47 400 00 002');
    await card.locator('[data-identity-add]').click();
    await card.locator('[data-identity="phone"][data-identity-value="+4740000002"]').waitFor();
    const ids = (await s.req('GET', `/contacts/${ola.body.id}/identities`, { auth: s.admin })).body.data as {
      kind: string;
      value: string;
    }[];
    expect(ids.map((i) => `${i.kind}:${i.value}`).sort()).toEqual(['email:ola@example.test', 'phone:+4740000002']);
    await card.screenshot({ path: join(DOC_SHOTS, 'contact-identities-1280.png') });
    const phone = await signIn({ width: 390, height: 844 });
    await phone.goto(`${s.url}/contacts/${ola.body.id}`);
    await phone.locator('[data-identities] [data-identity="phone"]').waitFor();
    await phone.locator('[data-identities]').screenshot({
      path: join(DOC_SHOTS, 'contact-identities-390.png'),
      style: 'header.top { position: static !important; }',
    });
    await phone.context().close();

    // Removed again.
    await card.locator('[data-identity="phone"] [data-identity-remove]').click();
    await card.locator('[data-identity="email"]').waitFor();
    await expect.poll(() => card.locator('[data-identity="phone"]').count()).toBe(0);
    const left = (await s.req('GET', `/contacts/${ola.body.id}/identities`, { auth: s.admin })).body.data as { kind: string }[];
    expect(left.map((i) => i.kind)).toEqual(['email']);
  }, 240_000);
});
