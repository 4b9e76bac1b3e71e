import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { call } from './helpers/sockets';
import { BACKEND, waitFor } from './helpers/test-server';
import { agent, hostUrl, newPage, s, useWidgetBrowser, visitorMessage, websiteToken, widget } from './helpers/widget-browser';

// Browser globals used inside page.evaluate callbacks (the repo's tsconfig has no DOM lib).
declare const localStorage: { getItem(k: string): string | null } & Record<string, unknown>;

/**
 * What the inbox's widget settings change for a visitor (see helpers/widget-browser): verified identity
 * and requiring it, the reply time when nobody is online, proactive greetings and the pre-chat form
 * (in Arabic, right to left, with the queue position). Chatting itself is in widget-chat.
 */
describe(`chat widget in a browser (${BACKEND}${process.env.REDIS_URL ? ' + redis' : ''})`, () => {
  useWidgetBrowser();

  const page2Shot = (page: Page) => page.screenshot({ path: '/tmp/widget-list.png' });

  it('links a verified user to their contact and history; a forged hash gets a fresh, empty contact', async () => {
    const admin = await s.req('GET', `/inboxes/${s.inboxId}/widget`, { auth: s.admin });
    expect(admin.body.identitySecret).toMatch(/^[0-9a-f]{64}$/);
    const user = { id: 'user-42', name: 'Vera Verified', email: 'vera@example.com' };
    const hash = createHmac('sha256', admin.body.identitySecret).update(user.id).digest('hex');

    // First visit, verified: starts a conversation.
    const one = await newPage();
    await one.goto(`${hostUrl}/?boot=${encodeURIComponent(JSON.stringify({ user: { ...user, hash } }))}`);
    await widget(one).locator('button.launcher').click();
    await widget(one).locator('#composer').fill('My private order question');
    await widget(one).locator('#composer').press('Enter');
    const mine = await visitorMessage('My private order question');
    const contact = await s.deps.db
      .selectFrom('conversations as c')
      .innerJoin('contacts as k', 'k.id', 'c.contact_id')
      .select(['k.id', 'k.external_id', 'k.email'])
      .where('c.id', '=', mine.conversation_id)
      .executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ external_id: 'user-42', email: 'vera@example.com' });

    // Another browser, same verified user: the history is there.
    const two = await newPage();
    await two.goto(`${hostUrl}/?boot=${encodeURIComponent(JSON.stringify({ user: { ...user, hash } }))}`);
    await widget(two).locator('button.launcher').click();
    await widget(two).locator('.msg.contact').getByText('My private order question').waitFor();
    // Past conversations are listed and resumable.
    await widget(two).getByRole('button', { name: 'Back to conversations' }).click();
    await widget(two).getByText('Your conversations').waitFor();
    await page2Shot(two);
    await widget(two).locator('button.conv').filter({ hasText: 'Conversation #' }).first().click();
    await widget(two).locator('.msg.contact').getByText('My private order question').waitFor();

    // A forged hash claiming the same id and email: a fresh contact, nothing of Vera's.
    const forged = await newPage();
    await forged.goto(`${hostUrl}/?boot=${encodeURIComponent(JSON.stringify({ user: { ...user, hash: 'ab'.repeat(32) } }))}`);
    await widget(forged).locator('button.launcher').click();
    await widget(forged).locator('#composer').waitFor();
    expect(await widget(forged).getByText('My private order question').count()).toBe(0);
    const forgedKey = await forged.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith('autocrm:visitor:')));
    const forgedToken = await forged.evaluate((k) => JSON.parse(localStorage.getItem(k!)!).token, forgedKey);
    const forgedVisitor = await s.deps.db
      .selectFrom('visitors')
      .select('contact_id')
      .where('token_hash', '=', (await import('../server/src/domain/auth/tokens')).hashToken(forgedToken))
      .executeTakeFirstOrThrow();
    expect(forgedVisitor.contact_id).not.toBe(contact.id);
    const theirs = await s.deps.db
      .selectFrom('conversations')
      .select('id')
      .where('contact_id', '=', forgedVisitor.contact_id)
      .execute();
    expect(theirs).toHaveLength(0);

    // The inbox can require verification: then an unsigned visitor is refused.
    await s.req('PATCH', `/inboxes/${s.inboxId}/widget`, { auth: s.admin, body: { identityRequired: true } });
    const refused = await fetch(`${s.url}/widget-api/v1/visitors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ websiteToken, user: { id: 'user-42', hash: 'ab'.repeat(32) } }),
    });
    expect(refused.status).toBe(403);
    const allowed = await fetch(`${s.url}/widget-api/v1/visitors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ websiteToken, user: { id: 'user-42', hash } }),
    });
    expect(allowed.status).toBe(201);
    expect(((await allowed.json()) as { contactId: string }).contactId).toBe(contact.id);
    await s.req('PATCH', `/inboxes/${s.inboxId}/widget`, { auth: s.admin, body: { identityRequired: false } });
  });

  it('says so honestly when nobody is online, with the reply time, and keeps the email left', async () => {
    expect(await call(agent, 'presence:set', { status: 'away' })).toMatchObject({ ok: true });
    try {
      const page = await newPage();
      await page.goto(hostUrl);
      const w = widget(page);
      await w.locator('button.launcher').click();
      await w.getByText('We usually reply within a day.').waitFor();
      await w.locator('#offline-email').fill('later@example.com');
      await w.getByRole('button', { name: 'Save' }).click();
      await w.getByText('Thanks, we will reply to later@example.com.').waitFor();
      await waitFor(() =>
        s.deps.db
          .selectFrom('contacts')
          .select('id')
          .where(sql`attributes->>'unverifiedEmail'`, '=', 'later@example.com')
          .executeTakeFirst(),
      );
      // The conversation still opens: the message waits for the team.
      await w.locator('#composer').fill('Are you there?');
      await w.locator('#composer').press('Enter');
      await visitorMessage('Are you there?');
    } finally {
      await call(agent, 'presence:set', { status: 'online' });
    }
  });

  it('shows a proactive greeting by URL, a pre-chat form, Arabic right to left, and the queue position', async () => {
    await s.req('PATCH', `/inboxes/${s.inboxId}/widget`, {
      auth: s.admin,
      body: {
        preChatForm: { enabled: true, questions: [{ id: 'order', label: 'Order number', required: false }] },
        proactive: [
          { urlContains: '/checkout', afterSeconds: 0, message: 'Not this page' },
          { urlContains: '/pricing', afterSeconds: 1, message: 'Questions about pricing?' },
        ],
      },
    });
    try {
      const page = await newPage();
      await page.goto(`${hostUrl}/pricing?boot=${encodeURIComponent(JSON.stringify({ locale: 'ar' }))}`);
      const w = widget(page);
      await w.getByText('Questions about pricing?').waitFor();
      expect(await w.getByText('Not this page').count()).toBe(0);
      expect(await w.locator('.root').getAttribute('dir')).toBe('rtl');
      await w.getByText('Questions about pricing?').click();
      await w.locator('#pc-name').fill('Layla');
      await w.locator('#pc-email').fill('layla@example.com');
      await w.locator('#pc-order').fill('A-1001');
      await w.getByRole('button', { name: 'ابدأ المحادثة' }).click();
      await waitFor(() =>
        s.deps.db
          .selectFrom('contacts')
          .select('id')
          .where('name', '=', 'Layla')
          .where(sql`attributes->>'order'`, '=', 'A-1001')
          .executeTakeFirst(),
      );
      // Nobody free to take it, so it waits in line (a conversation a person has shows no place in line).
      expect(await call(agent, 'presence:set', { status: 'away' })).toMatchObject({ ok: true });
      await w.locator('#composer').fill('مرحبا');
      await w.locator('#composer').press('Enter');
      const first = await visitorMessage('مرحبا');
      // Routing's own notice: place 1, and no estimate with nobody of the team online.
      await w.getByText('أنت رقم 1 في الانتظار', { exact: true }).waitFor();
      // A position with an estimate (in minutes) shows both. The room's join answers with its own
      // notice and routing's listeners may still be sending theirs: ours counts once it is still the
      // one shown after everything queued has been delivered.
      const widgetNs = s.deps.realtime?.io.of('/widget') as any;
      const shown = w.getByText('أنت رقم 3 في الانتظار (حوالي 4 دقيقة)');
      let stayed = false;
      for (let i = 0; i < 20 && !stayed; i++) {
        widgetNs.to(`conv:${first.conversation_id}`).emit('queue:position', {
          conversationId: first.conversation_id,
          position: 3,
          estimatedWaitMinutes: 4,
        });
        await shown.waitFor({ timeout: 1500 }).catch(() => {});
        await s.settle();
        await page.waitForTimeout(300);
        stayed = await shown.isVisible();
      }
      expect(stayed).toBe(true);
      await page.screenshot({ path: '/tmp/widget-rtl.png' });
    } finally {
      await call(agent, 'presence:set', { status: 'online' });
      await s.req('PATCH', `/inboxes/${s.inboxId}/widget`, {
        auth: s.admin,
        body: { preChatForm: { enabled: false }, proactive: [] },
      });
    }
  });
});
