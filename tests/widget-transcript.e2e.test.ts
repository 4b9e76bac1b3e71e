// A visitor asks for the transcript from the widget, in Chromium on a host site, and it arrives by mail
// (a loopback SMTP server, parsed back): only to the address the visitor gave, never before they gave one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser';
import { type HostPage, startHostPage } from './helpers/host-page';
import { startSmtpSink } from './helpers/smtp-sink';
import { startTestServer, type TestServer, waitFor } from './helpers/test-server';

describe('widget: email me a transcript', () => {
  let s: TestServer;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let host: HostPage;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'autocrm-transcript-'));
    sink = await startSmtpSink();
    s = await startTestServer({ env: { DATA_DIR: dataDir, SMTP_URL: sink.url } });
    // Transcripts go out from the workspace's email inbox.
    const mailbox = await s.req('POST', '/inboxes', { auth: s.admin, body: { name: 'help@acme.test', channel: 'email' } });
    expect(mailbox.status).toBe(201);
    const inboxes = await s.req('GET', '/inboxes', { auth: s.admin });
    const websiteToken = inboxes.body.data.find((i: { id: string }) => i.id === s.inboxId).websiteToken;
    host = await startHostPage({ serverUrl: s.url, websiteToken, title: 'Host shop' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await s?.close();
    await sink?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('asks for an address first, then mails the conversation to it', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(host.url);
    const w = page.locator('autocrm-widget');
    await w.locator('button.launcher').click();
    await w.locator('#composer').fill('Where is my parcel 4471?');
    await w.locator('#composer').press('Enter');
    const message = await waitFor(() =>
      s.deps.db
        .selectFrom('messages')
        .select(['conversation_id'])
        .where('body_text', '=', 'Where is my parcel 4471?')
        .executeTakeFirst(),
    );

    // No address known yet: the widget says what to do, and nothing is sent.
    await w.getByRole('button', { name: 'Email me a transcript' }).click();
    await w.getByText('Leave your email first, then ask again.').waitFor();
    expect(sink.mails).toHaveLength(0);

    // The visitor's address becomes known (an agent adds it to the contact): now it goes, to that address.
    const conversation = await s.req('GET', `/conversations/${message!.conversation_id}`, { auth: s.admin });
    const patched = await s.req('PATCH', `/contacts/${conversation.body.contactId}`, {
      auth: s.admin,
      body: { email: 'parcel.person@example.com' },
    });
    expect(patched.status).toBe(200);
    await w.getByRole('button', { name: 'Email me a transcript' }).click();
    await w.getByText('On its way to your email.').waitFor();
    await page.screenshot({ path: '/tmp/widget-transcript.png' });
    const mail = await waitFor(() => sink.mails.find((m) => m.envelope.to.includes('parcel.person@example.com')), {
      timeoutMs: 20_000,
    });
    expect(mail!.parsed.text).toContain('Where is my parcel 4471?');

    // Asked again at once: refused for a minute, said so.
    await w.getByRole('button', { name: 'Email me a transcript' }).click();
    await w.getByText('Sent a moment ago; try again in a minute.').waitFor();
  });
});
