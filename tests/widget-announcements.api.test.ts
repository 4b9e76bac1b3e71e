import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newVisitor } from './helpers/sockets';
import { startTestServer, type TestServer } from './helpers/test-server';

// Announcements segmented by language reach a first-time visitor: the widget asks for its cards at the
// same moment it reports the page context (language included), so the request carries the browser's
// language itself rather than depending on which of the two requests lands first.

describe('widget announcements by language', () => {
  let s: TestServer;
  let websiteToken: string;

  beforeAll(async () => {
    s = await startTestServer();
    const inbox = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data.find((i: { id: string }) => i.id === s.inboxId);
    websiteToken = inbox.websiteToken;
    const created = await s.req('POST', '/announcements', {
      auth: s.admin,
      body: { title: 'Neu: Sendungsverfolgung', body: 'Jedes Paket im Konto verfolgen.', segment: { languages: ['de'] } },
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await s?.close();
  });

  const ask = async (body: Record<string, unknown>) => {
    const res = await fetch(`${s.url}/widget-api/v1/announcements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { data?: { title: string }[]; error?: { code: string } } };
  };

  it('a first visit with no page context yet gets the card for its browser language, and not another language’s', async () => {
    const german = await newVisitor(s.url, websiteToken);
    const de = await ask({ websiteToken, visitorToken: german.visitorToken, language: 'de-AT' });
    expect(de.status).toBe(200);
    expect(de.body.data?.map((a) => a.title)).toEqual(['Neu: Sendungsverfolgung']);

    const english = await newVisitor(s.url, websiteToken);
    expect((await ask({ websiteToken, visitorToken: english.visitorToken, language: 'en-US' })).body.data).toEqual([]);
    // Without a language and before any context, the visitor's language is unknown: not in the segment.
    expect((await ask({ websiteToken, visitorToken: english.visitorToken })).body.data).toEqual([]);
  });

  it('refuses a malformed language with a clear error', async () => {
    const v = await newVisitor(s.url, websiteToken);
    const bad = await ask({ websiteToken, visitorToken: v.visitorToken, language: 'x'.repeat(80) });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBeTruthy();
  });
});
