import { existsSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { loopback, s, shot, signIn, useAdminPages } from './helpers/admin-pages';
import { CHROMIUM } from './helpers/browser';
import { ADMIN, BACKEND, waitFor } from './helpers/test-server';

// The tag and webhook admin pages in a real Chromium, each checked by what the API (or a real receiver)
// then sees: a tag recoloured, merged and deleted after confirmations; a webhook whose test event
// verifies with the secret shown once, rotated, redelivered and paused. The other admin pages are in
// workspace-admin-inbox-contacts.

describe.skipIf(!existsSync(CHROMIUM))(`admin pages (browser, ${BACKEND})`, () => {
  useAdminPages({ widget: false });

  it('recolours a tag, merges one into another and deletes one, each after a confirmation', async () => {
    const refund = (await s.req('POST', '/tags', { auth: s.admin, body: { name: 'refund' } })).body;
    const refunds = (await s.req('POST', '/tags', { auth: s.admin, body: { name: 'refunds' } })).body;
    const conv = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: { inboxId: s.inboxId, subject: 'Money back', contact: { email: 'rita@example.com' }, tags: ['refunds'] },
    });
    expect(conv.status).toBe(201);
    const page = await signIn(ADMIN, '/settings/tags');
    // Hydration would reset a colour typed before it, and the confirmations need the page's script.
    await page.locator('body[data-app-ready="1"]').waitFor();

    const row = page.locator('[data-tag="refund"]');
    await row.getByLabel('Colour of refund').fill('#dc2626');
    await row.getByRole('button', { name: 'Save refund' }).click();
    await page.locator('[data-updated]').waitFor();
    const colour = (await s.req('GET', '/tags', { auth: s.admin })).body.data.find((x: { id: string }) => x.id === refund.id);
    expect(colour.color).toBe('#dc2626');

    // Merge "refunds" into "refund": the conversation carries "refund" and "refunds" is gone.
    const from = page.locator('[data-tag="refunds"]');
    await from.getByLabel('Merge refunds into').selectOption({ label: 'refund' });
    page.once('dialog', (d) => d.accept());
    await from.getByRole('button', { name: 'Merge refunds' }).click();
    await page.locator('[data-merged]').waitFor();
    expect((await s.req('GET', `/conversations/${conv.body.id}`, { auth: s.admin })).body.tags).toEqual(['refund']);
    const names = (await s.req('GET', '/tags', { auth: s.admin })).body.data.map((x: { id: string }) => x.id);
    expect(names).not.toContain(refunds.id);
    await shot(page, 'tags-merged-desktop');

    // Delete: cancelling the confirmation keeps it; accepting removes it from the conversation too.
    page.once('dialog', (d) => d.dismiss());
    await page.locator('[data-tag="refund"]').getByRole('button', { name: 'Delete refund' }).click();
    expect((await s.req('GET', `/conversations/${conv.body.id}`, { auth: s.admin })).body.tags).toEqual(['refund']);
    page.once('dialog', (d) => d.accept());
    await page.locator('[data-tag="refund"]').getByRole('button', { name: 'Delete refund' }).click();
    await page.locator('[data-deleted]').waitFor();
    expect((await s.req('GET', `/conversations/${conv.body.id}`, { auth: s.admin })).body.tags).toEqual([]);
  });

  it('creates a webhook whose secret is shown once and whose test event verifies with it; pauses it', async () => {
    const received: { headers: Record<string, string>; body: string }[] = [];
    const receiver = await loopback((r) => {
      received.push(r);
      return { body: 'ok' };
    });
    const page = await signIn(ADMIN, '/settings/webhooks');
    await page.getByLabel('URL').fill(`${receiver}/hook`);
    await page.getByRole('checkbox', { name: 'contact.created' }).check();
    await page.getByRole('checkbox', { name: /All events/ }).uncheck();
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const secret = (await page.locator('[data-secret]').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    const hook = (await s.req('GET', '/webhooks', { auth: s.admin })).body.data[0];
    expect(hook).toMatchObject({ url: `${receiver}/hook`, events: ['contact.created'], active: true });

    const card = page.locator(`[data-webhook="${receiver}/hook"]`);
    await card.getByRole('button', { name: /Send a test event/ }).click();
    await page.locator('[data-tested]').waitFor();
    await waitFor(() => received.length > 0);
    const r = received[0]!;
    const payload = new Webhook(secret).verify(r.body, {
      'webhook-id': r.headers['webhook-id']!,
      'webhook-timestamp': r.headers['webhook-timestamp']!,
      'webhook-signature': r.headers['webhook-signature']!,
    }) as { type: string };
    expect(payload.type).toBe('webhook.test');
    // The page reads the log again by itself and shows the outcome.
    await card.locator('[data-delivery="webhook.test"][data-status="succeeded"]').waitFor();
    await page.reload();
    expect(await page.locator('[data-secret]').count()).toBe(0); // never shown again

    // Rotate: the new secret is shown once, and the next test event verifies with it, not the old one.
    page.once('dialog', (d) => d.accept());
    await card.getByRole('button', { name: /Rotate the secret/ }).click();
    const rotated = (await page.locator('[data-secret]').textContent())!.trim();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await card.getByRole('button', { name: /Send a test event/ }).click();
    await waitFor(() => received.length > 1);
    const r2 = received[1]!;
    const headers2 = {
      'webhook-id': r2.headers['webhook-id']!,
      'webhook-timestamp': r2.headers['webhook-timestamp']!,
      'webhook-signature': r2.headers['webhook-signature']!,
    };
    expect((new Webhook(rotated).verify(r2.body, headers2) as { type: string }).type).toBe('webhook.test');
    expect(() => new Webhook(secret).verify(r2.body, headers2)).toThrow();
    await shot(page, 'webhooks-desktop');

    // Redeliver from the log: the receiver gets the same message (same id) once more, signed with the
    // secret in force now.
    await waitFor(async () => {
      const log = (await s.req('GET', `/webhooks/${hook.id}/deliveries`, { auth: s.admin })).body.data as { status: string }[];
      return log.filter((d) => d.status === 'succeeded').length === 2;
    });
    await page.reload();
    const ids = new Set(received.map((x) => x.headers['webhook-id']));
    await card.getByRole('button', { name: 'Send webhook.test again', exact: true }).first().click();
    await waitFor(() => received.length > 2);
    const r3 = received[2]!;
    expect(ids.has(r3.headers['webhook-id'])).toBe(true);
    const headers3 = {
      'webhook-id': r3.headers['webhook-id']!,
      'webhook-timestamp': r3.headers['webhook-timestamp']!,
      'webhook-signature': r3.headers['webhook-signature']!,
    };
    expect((new Webhook(rotated).verify(r3.body, headers3) as { type: string }).type).toBe('webhook.test');

    await card.getByRole('button', { name: 'Pause' }).click();
    await card.getByRole('button', { name: 'Switch on' }).waitFor();
    expect((await s.req('GET', `/webhooks/${hook.id}`, { auth: s.admin })).body.active).toBe(false);
    const phone = await signIn(ADMIN, '/settings/webhooks', 390);
    await phone.locator('[data-deliveries]').waitFor();
    await shot(phone, 'webhooks-phone');
  });
});
