import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conversationHelpers,
  expectError,
  expectJsonData,
  expectValidation,
  PLAIN_PAYLOADS,
  startBadInputServer,
} from './helpers/bad-input';
import { BACKEND, type TestServer } from './helpers/test-server';

// Bad input, part 2: markup in text fields (stored literally, sanitized or refused).
// Everything a stranger can send: each bad input gets a clear 4xx naming the field, or is neutralized,
// and nothing is half-stored. Never a 500. (Split from one file by feature; the shared parts are in
// helpers/bad-input.ts.)

describe(`bad input over HTTP (${BACKEND})`, () => {
  let s: TestServer;
  let key: string;

  beforeAll(async () => {
    ({ s, key } = await startBadInputServer());
  });
  afterAll(() => s?.close());

  const { create, newConversation } = conversationHelpers(() => ({ s, key }));

  describe('4. markup in text fields', () => {
    it('stores plain fields as the literal text and returns them as JSON strings', async () => {
      for (const [i, payload] of PLAIN_PAYLOADS.entries()) {
        const tag = `${payload.toLowerCase().slice(0, 50)}`;
        const res = await create({
          subject: payload,
          contact: { name: payload, externalId: `${payload}-${i}`, attributes: { company: payload } },
          tags: [tag],
          customFields: { note: payload },
        });
        expect(res.status, res.text).toBe(201);
        expectJsonData(res);
        expect(res.body.subject).toBe(payload);
        expect(res.body.tags).toEqual([tag]);
        expect(res.body.customFields.note).toBe(payload);
        // The raw response is JSON text: the payload appears only inside a JSON string.
        expect(JSON.parse(res.text).subject).toBe(payload);
        const again = await s.req('GET', `/conversations/${res.body.id}`, { auth: key });
        expectJsonData(again);
        expect(again.body.subject).toBe(payload);
        const contact = await s.req('GET', `/contacts/${res.body.contactId}`, { auth: key });
        expectJsonData(contact);
        expect(contact.body).toMatchObject({ name: payload, externalId: `${payload}-${i}`, attributes: { company: payload } });
        const tags = await s.req('GET', '/tags', { auth: key });
        expect(tags.body.data.map((t: { name: string }) => t.name)).toContain(tag);
        // The tag filter finds it by its literal name.
        const byTag = await s.req('GET', `/conversations?tag=${encodeURIComponent(tag)}`, { auth: key });
        expect(byTag.body.data.map((c: { id: string }) => c.id)).toEqual([res.body.id]);
      }
    });

    it('rejects markup where the field has a format (email, phone, color, key)', async () => {
      expectValidation(
        await s.req('POST', '/contacts', { auth: key, body: { email: '<script>alert(1)</script>@example.com' } }),
        'email',
      );
      expectValidation(await s.req('POST', '/contacts', { auth: key, body: { email: 'a@b.c"><script>' } }), 'email');
      expectValidation(await s.req('POST', '/contacts', { auth: key, body: { phone: '+1 <script>' } }), 'phone');
      expectValidation(
        await s.req('POST', '/tags', { auth: s.admin, body: { name: 'ok', color: 'red;background:url(x)' } }),
        'color',
      );
      expectValidation(
        await s.req('POST', '/custom-fields', { auth: s.admin, body: { key: '<script>', label: 'x', type: 'text' } }),
        'key',
      );
    });

    it('keeps catalog, note and webhook text literal', async () => {
      for (const payload of PLAIN_PAYLOADS) {
        const status = await s.req('POST', '/statuses', {
          auth: s.admin,
          body: { name: payload.slice(0, 60), category: 'open' },
        });
        expect(status.status, status.text).toBe(201);
        expectJsonData(status);
        expect(status.body.name).toBe(payload.slice(0, 60));
        const tagName = `tag ${payload.toLowerCase()}`.slice(0, 60);
        const tag = await s.req('POST', '/tags', { auth: s.admin, body: { name: tagName } });
        expect(tag.status, tag.text).toBe(201);
        expect(tag.body.name).toBe(tagName);
        const hook = await s.req('POST', '/webhooks', {
          auth: key,
          body: { url: 'http://127.0.0.1:9/hook', events: ['conversation.created'], description: payload, active: false },
        });
        expect(hook.status, hook.text).toBe(201);
        expectJsonData(hook);
        expect(hook.body.description).toBe(payload);
        expect((await s.req('GET', `/webhooks/${hook.body.id}`, { auth: key })).body.description).toBe(payload);
        expect((await s.req('DELETE', `/webhooks/${hook.body.id}`, { auth: key })).status).toBe(204);
      }
      const statuses = (await s.req('GET', '/statuses', { auth: key })).body.data.map((x: { name: string }) => x.name);
      for (const payload of PLAIN_PAYLOADS) expect(statuses).toContain(payload.slice(0, 60));
    });

    const EVIL_HTML =
      '<p onclick="steal()">Hi <b onmouseover="steal()">there</b></p>' +
      '<script>alert(1)</script><SCRIPT>alert(2)</SCRIPT>' +
      '<a href="javascript:alert(3)">js</a> <a href="JAVASCRIPT:alert(4)">js2</a> <a href="https://example.com/ok">ok</a>' +
      '<img src="x" onerror="alert(5)"><iframe src="https://evil.test"></iframe><style>*{}</style>' +
      '<svg onload="alert(6)"></svg><a href="data:text/html;base64,PHNjcmlwdD4=">data</a>';

    function expectSafeRichHtml(html: string) {
      expect(html.toLowerCase()).not.toContain('<script');
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html.toLowerCase()).not.toContain('javascript:');
      expect(html.toLowerCase()).not.toContain('data:');
      expect(html.toLowerCase()).not.toMatch(/<(iframe|svg|style)/);
      expect(html).not.toContain('alert(');
      expect(html).toContain('<a href="https://example.com/ok" rel="noopener noreferrer nofollow" target="_blank">ok</a>');
      // Every remaining link carries the rel.
      for (const a of html.match(/<a\b[^>]*>/g) ?? []) expect(a).toContain('rel="noopener noreferrer nofollow"');
    }

    it('sanitizes agent rich text in messages and notes', async () => {
      const c = await newConversation();
      const msg = await s.req('POST', `/conversations/${c.id}/messages`, { auth: key, body: { body: EVIL_HTML } });
      expect(msg.status, msg.text).toBe(201);
      expectJsonData(msg);
      expect(msg.body.authorKind).toBe('agent');
      expectSafeRichHtml(msg.body.bodyHtml);
      expect(msg.body.bodyHtml).toContain('<p>Hi <b>there</b></p>');
      expect(msg.body.bodyText).toContain('Hi there');
      expect(msg.body.bodyText).not.toContain('alert');
      const note = await s.req('POST', `/conversations/${c.id}/notes`, { auth: key, body: { body: EVIL_HTML } });
      expect(note.status, note.text).toBe(201);
      expect(note.body.private).toBe(true);
      expectSafeRichHtml(note.body.bodyHtml);
      const inline = await create({ subject: 'inline agent', message: { body: EVIL_HTML, from: 'agent' } });
      expect(inline.status, inline.text).toBe(201);
      const stored = (await s.req('GET', `/conversations/${c.id}/messages`, { auth: key })).body.data;
      expect(stored).toHaveLength(2);
      for (const m of stored) expectSafeRichHtml(m.bodyHtml);
      const inlineMsgs = (await s.req('GET', `/conversations/${inline.body.id}/messages`, { auth: key })).body.data;
      expectSafeRichHtml(inlineMsgs[0].bodyHtml);
    });

    it('rejects agent rich text that is empty after sanitizing', async () => {
      const c = await newConversation();
      expectValidation(
        await s.req('POST', `/conversations/${c.id}/messages`, { auth: key, body: { body: '<script>alert(1)</script>' } }),
        'body',
      );
      expect((await s.req('GET', `/conversations/${c.id}/messages`, { auth: key })).body.data).toEqual([]);
    });

    it('escapes contact text and keeps its exact wording', async () => {
      const text = '<script>alert("x")</script> & <b>bold</b>\nline two <a href="javascript:alert(1)">x</a>';
      const c = await newConversation();
      const msg = await s.req('POST', `/conversations/${c.id}/messages`, { auth: key, body: { body: text, from: 'contact' } });
      expect(msg.status, msg.text).toBe(201);
      expect(msg.body.authorKind).toBe('contact');
      expect(msg.body.bodyText).toBe(text);
      expect(msg.body.bodyHtml).toContain('&lt;script&gt;');
      expect(msg.body.bodyHtml).not.toContain('<script');
      expect(msg.body.bodyHtml).not.toContain('<b>');
      expect(msg.body.bodyHtml).not.toContain('<a ');
      expect(msg.body.bodyHtml).toContain('<br>');
      expect(msg.body.bodyHtml.replace(/<br>/g, '')).not.toMatch(/<|>/);
      // The first message of a new conversation is from the contact by default.
      const inline = await create({ subject: 'inline contact', message: { body: text } });
      expect(inline.status, inline.text).toBe(201);
      const first = (await s.req('GET', `/conversations/${inline.body.id}/messages`, { auth: key })).body.data[0];
      expect(first.authorKind).toBe('contact');
      expect(first.bodyText).toBe(text);
      expect(first.bodyHtml).not.toContain('<script');
      expect(first.bodyHtml).toContain('&lt;script&gt;');
    });

    it('sends security headers on errors too', async () => {
      const res = await create({ subject: { '<script>': 1 } });
      expectError(res, 400, 'validation_failed');
      expectJsonData(res);
    });
  });
});
