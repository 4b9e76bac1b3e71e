import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, startTestServer, type TestResponse, type TestServer } from './helpers/test-server';

// Everything a stranger can send: each bad input gets a clear 4xx naming the field, or is neutralized,
// and nothing is half-stored. Never a 500.

/** A 4xx with the one error shape; returns the issue paths. */
function expectError(res: TestResponse, status: number, code?: string): string[] {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(typeof res.body?.error?.code, res.text).toBe('string');
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(0);
  if (code) expect(res.body.error.code).toBe(code);
  return (res.body.error.issues ?? []).map((i: { path: string }) => i.path);
}

function expectValidation(res: TestResponse, path: string) {
  const paths = expectError(res, 400, 'validation_failed');
  expect(paths, res.text).toContain(path);
}

/** The response is JSON data a browser will not sniff or render as a document. */
function expectJsonData(res: TestResponse) {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
}

const UNKNOWN_ID = 'ffffffff-ffff-4fff-bfff-ffffffffffff';

// Markup, script, SQL and template payloads, each without leading/trailing space (Line() trims).
const PLAIN_PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(document.cookie)>',
  "'; drop table conversations; --",
  '<a href="javascript:alert(1)">click</a>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
  '{{7*7}} ${7*7} <%= 7*7 %>',
  'Zoë & Ünïcödé 🎉 \u202eevil\u202c </title>',
];

describe(`bad input over HTTP (${BACKEND})`, () => {
  let s: TestServer;
  let key: string;

  beforeAll(async () => {
    s = await startTestServer();
    key = await s.apiKey(['conversations:read', 'conversations:write', 'contacts:read', 'contacts:write', 'webhooks:manage']);
    for (const def of [
      { key: 'plan', label: 'Plan', type: 'single_select', options: ['free', 'pro'] },
      { key: 'seats', label: 'Seats', type: 'number' },
      { key: 'note', label: 'Note', type: 'text' },
    ]) {
      const res = await s.req('POST', '/custom-fields', { auth: s.admin, body: def });
      expect(res.status, res.text).toBe(201);
    }
  });
  afterAll(() => s?.close());

  const create = (body: Record<string, unknown>) =>
    s.req('POST', '/conversations', { auth: key, body: { inboxId: s.inboxId, ...body } });
  const newConversation = async (subject = 'bad input') => {
    const res = await create({ subject });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; subject: string };
  };
  const countConversations = async () => {
    let n = 0;
    let cursor: string | null = null;
    do {
      const res: TestResponse = await s.req('GET', `/conversations?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { auth: key });
      expect(res.status).toBe(200);
      n += res.body.data.length;
      cursor = res.body.nextCursor;
    } while (cursor);
    return n;
  };

  describe('1. body format', () => {
    it('answers malformed JSON with 400 invalid_json on every JSON route', async () => {
      const c = await newConversation();
      for (const [method, path] of [
        ['POST', '/conversations'],
        ['PATCH', `/conversations/${c.id}`],
        ['POST', `/conversations/${c.id}/messages`],
        ['POST', '/contacts'],
        ['POST', '/webhooks'],
        ['POST', '/conversations/bulk'],
      ] as const) {
        for (const raw of ['{"inboxId": ', '{subject: "x"}', "{'a':1}", '{"a":1,}', 'undefined', '\u0000']) {
          const res = await s.req(method, path, { auth: key, raw });
          expectError(res, 400, 'invalid_json');
        }
      }
    });

    it('answers a non-JSON content type with 415', async () => {
      for (const contentType of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
      ]) {
        const res = await s.req('POST', '/conversations', {
          auth: key,
          raw: JSON.stringify({ inboxId: s.inboxId }),
          contentType,
        });
        expectError(res, 415, 'unsupported_media_type');
      }
      // A body without any content type is not guessed at either.
      const bare = await fetch(`${s.url}/api/v1/contacts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: new Uint8Array(Buffer.from(JSON.stringify({ name: 'no type' }))),
      });
      expect(bare.status).toBe(415);
      expect(((await bare.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
      const contacts = await s.req('GET', '/contacts?q=no%20type', { auth: key });
      expect(contacts.body.data).toEqual([]);
    });

    it('answers an empty or non-object body with a 4xx', async () => {
      const empty = await s.req('POST', '/conversations', { auth: key, raw: '' });
      expectError(empty, 400);
      const none = await s.req('POST', '/conversations', { auth: key });
      expectValidation(none, 'inboxId');
      for (const raw of ['null', '[]', '"x"', '42', 'true']) {
        const res = await s.req('POST', '/conversations', { auth: key, raw });
        expectError(res, 400, 'validation_failed');
      }
    });
  });

  describe('2. types and shapes', () => {
    it.each([
      ['priority', { priority: 5 }],
      ['priority', { priority: 'URGENT!' }],
      ['tags', { tags: 'x' }],
      ['tags.0', { tags: [{ name: 'x' }] }],
      ['customFields', { customFields: [] }],
      ['customFields', { customFields: 'plan=pro' }],
      ['subject', { subject: { a: 1 } }],
      ['subject', { subject: ['x'] }],
      ['subject', { subject: 42 }],
      ['contact.name', { contact: { name: ['x'] } }],
      ['contact', { contact: 'ann@example.com' }],
      ['contact.attributes.nested', { contact: { attributes: { nested: { a: 1 } } } }],
      ['message.body', { message: { body: { html: '<p>x</p>' } } }],
      ['message.private', { message: { body: 'x', private: 'yes' } }],
      ['inboxId', { inboxId: "' or 1=1 --" }],
      ['contactId', { contactId: 12 }],
    ])('rejects %s in %j', async (path, body) => {
      const before = await countConversations();
      expectValidation(await create(body), path);
      expect(await countConversations()).toBe(before);
    });

    it('rejects unknown fields at the top level and nested, naming them', async () => {
      expectValidation(await create({ evil: 1 }), 'evil');
      expectValidation(await create({ message: { body: 'hi', evil: '<script>' } }), 'message.evil');
      expectValidation(await create({ contact: { name: 'A', isAdmin: true } }), 'contact.isAdmin');
      const proto = await s.req('POST', '/conversations', {
        auth: key,
        raw: `{"inboxId":"${s.inboxId}","__proto__":{"polluted":true},"constructor":"x"}`,
      });
      expect(proto.status, proto.text).toBe(400);
      const c = await newConversation();
      expectValidation(
        await s.req('PATCH', `/conversations/${c.id}`, { auth: key, body: { priority: 'low', lastSeq: 999 } }),
        'lastSeq',
      );
      expectValidation(
        await s.req('POST', `/conversations/${c.id}/messages`, { auth: key, body: { body: 'hi', authorKind: 'system' } }),
        'authorKind',
      );
      expectValidation(
        await s.req('POST', '/conversations/bulk', {
          auth: key,
          body: { ids: [c.id], update: { priority: 'low', inboxId: s.inboxId } },
        }),
        'update.inboxId',
      );
      expect((await s.req('GET', `/conversations/${c.id}`, { auth: key })).body.priority).toBe('normal');
      // A prototype-polluting key does not reach the object model.
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('rejects text the database cannot store (NUL, unpaired surrogates), naming the field', async () => {
      const before = await countConversations();
      expectValidation(
        await create({ contact: { name: 'ok', attributes: { company: 'a\u0000b' } } }),
        'contact.attributes.company',
      );
      expectValidation(await create({ contact: { attributes: { 'k\u0000': 'v' } } }), 'contact.attributes.k\u0000');
      expectValidation(await create({ customFields: { note: 'broken \ud800 text' } }), 'customFields.note');
      expectValidation(await create({ customFields: { note: '\udc00' } }), 'customFields.note');
      expectValidation(await create({ message: { body: 'hello\u0000world' } }), 'message.body');
      expectValidation(await create({ message: { body: 'hi', clientId: 'c\u0000' } }), 'message.clientId');
      expectValidation(await create({ subject: 'nul \u0000' }), 'subject');
      expect(await countConversations()).toBe(before);
      const c = await newConversation();
      for (const from of ['contact', 'agent']) {
        expectValidation(
          await s.req('POST', `/conversations/${c.id}/messages`, { auth: key, body: { body: 'a\u0000b', from } }),
          'body',
        );
        expectValidation(
          await s.req('POST', `/conversations/${c.id}/messages`, { auth: key, body: { body: 'a\ud83db', from } }),
          'body',
        );
      }
      expectValidation(await s.req('POST', '/contacts', { auth: key, body: { attributes: { x: '\ud800' } } }), 'attributes.x');
      // A well-formed pair (an emoji) is fine.
      const emoji = await s.req('POST', `/conversations/${c.id}/messages`, {
        auth: key,
        body: { body: 'ok \ud83d\ude00', from: 'contact' },
      });
      expect(emoji.status, emoji.text).toBe(201);
      expect(emoji.body.bodyText).toBe('ok 😀');
      expect((await s.req('GET', `/conversations/${c.id}`, { auth: key })).body.lastSeq).toBe(1);
    });

    it('reports every bad field at once', async () => {
      const res = await create({ priority: 5, subject: {}, tags: 'x' });
      const paths = expectError(res, 400, 'validation_failed');
      expect(paths.sort()).toEqual(['priority', 'subject', 'tags']);
      expect(res.body.error.message).toContain('priority');
    });
  });

  describe('3. size limits', () => {
    let small: TestServer;
    beforeAll(async () => {
      small = await startTestServer({ env: { MAX_BODY_BYTES: '2048' } });
    });
    afterAll(() => small?.close());

    it('answers a body over MAX_BODY_BYTES with 413 and stores nothing', async () => {
      const smallKey = await small.apiKey(['conversations:read', 'conversations:write']);
      const fits = await small.req('POST', '/conversations', {
        auth: smallKey,
        body: { inboxId: small.inboxId, subject: 'x'.repeat(300), message: { body: 'y'.repeat(1500) } },
      });
      expect(fits.status, fits.text).toBe(201);
      const big = await small.req('POST', '/conversations', {
        auth: smallKey,
        body: { inboxId: small.inboxId, subject: 'too big', message: { body: 'y'.repeat(3000) } },
      });
      expectError(big, 413, 'payload_too_large');
      // The unread rest of the body must not be taken for the next request on a kept-alive connection.
      expect(big.headers.get('connection')).toBe('close');
      // Also when the length is not announced up front (chunked upload).
      const chunks = [
        JSON.stringify({ inboxId: small.inboxId, subject: 'chunked', message: { body: '' } }).slice(0, -3),
        'z'.repeat(4000),
        '"}}',
      ];
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
          controller.close();
        },
      });
      const res = await fetch(`${small.url}/api/v1/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${smallKey}`, 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
      const list = await small.req('GET', '/conversations?limit=100', { auth: smallKey });
      expect(list.body.data.map((c: { subject: string }) => c.subject)).toEqual(['x'.repeat(300)]);
    });

    it('answers a body over the default 1 MiB with 413', async () => {
      const res = await create({ subject: 'huge', message: { body: 'a'.repeat(1024 * 1024 + 10) } });
      expectError(res, 413, 'payload_too_large');
      expect(res.headers.get('connection')).toBe('close');
      // Requests right after it still work (the oversized body did not poison a reused connection).
      const deadline = Date.now() + 1000;
      while (Date.now() < deadline) {
        const ok = await s.req('POST', '/contacts', {
          auth: key,
          body: { name: 'after 413', attributes: { pad: 'p'.repeat(1900) } },
        });
        expect(ok.status).toBe(201);
      }
    });

    it('answers a message body over 100,000 characters with 400 naming body', async () => {
      const c = await newConversation();
      expectValidation(
        await s.req('POST', `/conversations/${c.id}/messages`, { auth: key, body: { body: 'a'.repeat(100_001) } }),
        'body',
      );
      expectValidation(await create({ message: { body: 'a'.repeat(100_001) } }), 'message.body');
      const max = await s.req('POST', `/conversations/${c.id}/messages`, { auth: key, body: { body: 'a'.repeat(100_000) } });
      expect(max.status, max.text).toBe(201);
      expect(max.body.bodyText).toHaveLength(100_000);
      expect((await s.req('GET', `/conversations/${c.id}`, { auth: key })).body.lastSeq).toBe(1);
    });

    it('answers over-long plain fields and lists with 400 naming the field', async () => {
      expectValidation(await create({ subject: 's'.repeat(301) }), 'subject');
      expectValidation(await create({ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }), 'tags');
      expectValidation(await create({ tags: ['t'.repeat(61)] }), 'tags.0');
      expectValidation(await create({ customFields: { note: 'n'.repeat(5001) } }), 'customFields.note');
      expectValidation(await s.req('POST', '/contacts', { auth: key, body: { name: 'n'.repeat(201) } }), 'name');
    });

    it('answers a deeply nested body with a 4xx, not a crash', async () => {
      const depth = 100_000;
      const raw = `{"inboxId":"${s.inboxId}","customFields":{"note":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
      const res = await s.req('POST', '/conversations', { auth: key, raw });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(typeof res.body.error.code).toBe('string');
    });
  });

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

  describe('5. filters', () => {
    const list = (qs: string) => s.req('GET', `/conversations?${qs}`, { auth: key });
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

    it('answers hostile filter values with a 400 or a normal result, never a 500', async () => {
      const c = await create({
        subject: 'filter target',
        tags: ['filter-target'],
        customFields: { plan: 'pro', seats: 3, note: 'n' },
      });
      expect(c.status).toBe(201);
      const empty200 = [
        `tag=filter-target&q=${encodeURIComponent("'; drop table conversations; --")}`,
        `tag=filter-target&q=${encodeURIComponent("' or '1'='1")}`,
        `tag=filter-target&q=${encodeURIComponent('\\')}`,
        `tag=filter-target&q=${encodeURIComponent('"; select pg_sleep(5); --')}`,
        `tag=${encodeURIComponent(`a'b"c`)}`,
        `tag=${encodeURIComponent("filter-target' or 1=1 --")}`,
        `customField=${encodeURIComponent("plan:' or 1=1 --")}`,
        `customField=${encodeURIComponent('note:"}\'::jsonb or true --')}`,
        `customField=${encodeURIComponent('plan:pro"}, "x": {"')}`,
      ];
      for (const qs of empty200) {
        const res = await list(qs);
        expect(res.status, `${qs}: ${res.text}`).toBe(200);
        expect(res.body.data, qs).toEqual([]);
      }
      const bad400: [string, string][] = [
        [`customField=${encodeURIComponent("key:' or 1=1 --")}`, 'customField'],
        [`customField=${encodeURIComponent("' or 1=1 --")}`, 'customField'],
        [`customField=${encodeURIComponent('seats:1; drop table x')}`, 'customField'],
        ['status=not-a-uuid', 'status'],
        [`status=${encodeURIComponent("' or 1=1 --")}`, 'status'],
        [`assignee=${encodeURIComponent("me' or 1=1")}`, 'assignee'],
        ['inbox=1', 'inbox'],
        ['priority=urgent;drop', 'priority'],
        ['statusCategory=open%27', 'statusCategory'],
        ['sort=evil', 'sort'],
        [`sort=${encodeURIComponent('created_at; drop table conversations')}`, 'sort'],
        ['order=sideways', 'order'],
        ['limit=-1', 'limit'],
        ['limit=0', 'limit'],
        ['limit=1000', 'limit'],
        ['limit=abc', 'limit'],
        ['limit=1.5', 'limit'],
        ['evil=1', 'evil'],
      ];
      for (const [qs, path] of bad400) expectValidation(await list(qs), path);
      // Unscoped, the SQL-looking text is searched for literally: it finds only conversations titled so.
      const sqlSubject = "'; drop table conversations; --";
      const titled = await create({ subject: sqlSubject });
      const literal = await list(`q=${encodeURIComponent(sqlSubject)}&limit=100`);
      expect(literal.status).toBe(200);
      expect(literal.body.data.map((x: { id: string }) => x.id)).toContain(titled.body.id);
      for (const x of literal.body.data) expect(x.subject).toBe(sqlSubject);
      for (const cursor of [
        'garbage',
        "'; drop table conversations; --",
        b64(["'; drop table conversations; --", UNKNOWN_ID]),
        b64(['2026-01-01T00:00:00.000Z', "' or 1=1 --"]),
        b64([{ a: 1 }, UNKNOWN_ID]),
        b64([]),
      ]) {
        const res = await list(`cursor=${encodeURIComponent(cursor)}`);
        expectError(res, 400, 'invalid_cursor');
      }
      expectError(await list(`sort=priority&cursor=${b64(['1; drop table x', UNKNOWN_ID])}`), 400, 'invalid_cursor');
      expectError(await list(`sort=priority&cursor=${b64([1.5, UNKNOWN_ID])}`), 400, 'invalid_cursor');
      // Filters that carry a NUL byte are refused, not passed to the database.
      for (const [qs, path] of [
        ['q=%00', 'q'],
        ['q=a%00b', 'q'],
        ['tag=a%00', 'tag'],
        [`customField=${encodeURIComponent('note:a\u0000')}`, 'customField'],
      ]) {
        expectValidation(await list(qs as string), path as string);
      }
      // Bytes that are not UTF-8 are a 400 or a normal result.
      for (const qs of ['q=%ff%fe', 'q=%ed%a0%80', 'tag=%c3', 'q=%', 'q=%zz', 'customField=note:%e2%82']) {
        const res = await list(qs);
        expect([200, 400], `${qs}: ${res.text}`).toContain(res.status);
      }
      // The table is intact and still answers.
      const after = await list('tag=filter-target');
      expect(after.status).toBe(200);
      expect(after.body.data.map((x: { id: string }) => x.id)).toEqual([c.body.id]);
      expect((await list('customField=plan:pro&tag=filter-target')).body.data).toHaveLength(1);
      expect((await newConversation('still works')).subject).toBe('still works');
    });

    it('treats LIKE wildcards in q as literal characters', async () => {
      for (const subject of ['zz a%b zz', 'zz axb zz', 'zz a_b zz', 'zz a\\b zz']) {
        expect((await create({ subject, tags: ['like-test'] })).status).toBe(201);
      }
      const q = async (text: string) =>
        (await list(`tag=like-test&q=${encodeURIComponent(text)}`)).body.data.map((c: { subject: string }) => c.subject).sort();
      expect(await q('a%b')).toEqual(['zz a%b zz']);
      expect(await q('a_b')).toEqual(['zz a_b zz']);
      expect(await q('a\\b')).toEqual(['zz a\\b zz']);
      expect(await q('%')).toEqual(['zz a%b zz']);
      expect(await q('_')).toEqual(['zz a_b zz']);
      expect(await q('axb')).toEqual(['zz axb zz']);
      expect(await q('zz')).toHaveLength(4);
      // Contacts search escapes them the same way.
      await s.req('POST', '/contacts', { auth: key, body: { name: 'like 100% sure' } });
      await s.req('POST', '/contacts', { auth: key, body: { name: 'like 1000 sure' } });
      const contacts = await s.req('GET', `/contacts?q=${encodeURIComponent('100%')}`, { auth: key });
      expect(contacts.body.data.map((c: { name: string }) => c.name)).toEqual(['like 100% sure']);
    });

    it('answers hostile contact and audit filters without a 500', async () => {
      for (const path of [
        `/contacts?q=${encodeURIComponent("'; drop table contacts; --")}`,
        '/contacts?cursor=garbage',
        '/contacts?limit=-5',
        '/contacts?q=%00',
        '/contacts?q=%ed%a0%80',
        `/audit-log?entityType=${encodeURIComponent("' or 1=1 --")}`,
        '/audit-log?entityId=%00',
        '/audit-log?cursor=%27',
        `/webhooks/${UNKNOWN_ID}/deliveries?cursor=garbage`,
        `/conversations/${UNKNOWN_ID}/messages?afterSeq=-1`,
        `/conversations/${UNKNOWN_ID}/messages?beforeSeq=abc`,
        `/conversations/${UNKNOWN_ID}/messages?includePrivate=maybe`,
      ]) {
        const res = await s.req('GET', path, { auth: s.admin });
        expect(res.status, `${path}: ${res.text}`).toBeLessThan(500);
        if (res.status >= 400) expectError(res, res.status);
      }
      expect((await s.req('GET', '/contacts?limit=1', { auth: key })).status).toBe(200);
    });
  });

  describe('6. nothing half-stored', () => {
    const snapshot = async () => ({
      contacts: (await s.req('GET', '/contacts?limit=100', { auth: key })).body.data.map((c: { id: string }) => c.id).sort(),
      tags: (await s.req('GET', '/tags', { auth: key })).body.data.map((t: { name: string }) => t.name).sort(),
      conversations: await countConversations(),
    });

    it.each([
      ['an invalid custom field', { customFields: { seats: 'many' } }, 400, 'customFields.seats'],
      ['an unknown custom field', { customFields: { nope: 1 } }, 400, 'customFields.nope'],
      ['an unknown status', { statusId: UNKNOWN_ID }, 400, 'statusId'],
      ['an unknown assignee', { assigneeId: UNKNOWN_ID }, 400, 'assigneeId'],
      ['a private message from the contact', { message: { body: 'hi', from: 'contact', private: true } }, 400, 'private'],
      ['an agent message empty after sanitizing', { message: { body: '<script>x</script>', from: 'agent' } }, 400, 'body'],
    ])('a create with %s leaves no contact, tag or conversation behind', async (_what, extra, status, path) => {
      const before = await snapshot();
      const email = `half-${Math.random().toString(36).slice(2)}@example.com`;
      const res = await create({
        subject: 'half stored',
        contact: { name: 'Half Stored', email },
        tags: ['half-stored-tag', 'half-stored-tag-2'],
        ...extra,
      });
      expect(res.status, res.text).toBeGreaterThanOrEqual(400);
      expect(res.status, res.text).toBeLessThan(500);
      if (status) expect(res.status, res.text).toBe(status);
      if (path) expect(expectError(res, res.status)).toContain(path);
      expect(await snapshot()).toEqual(before);
      expect((await s.req('GET', `/contacts?q=${encodeURIComponent(email)}`, { auth: key })).body.data).toEqual([]);
      // The same request without the bad part goes through: the failure was the bad part.
      const ok = await create({ subject: 'half stored ok', contact: { name: 'Half Stored', email }, tags: ['half-stored-tag'] });
      expect(ok.status, ok.text).toBe(201);
      await s.req(
        'DELETE',
        `/tags/${(await s.req('GET', '/tags', { auth: key })).body.data.find((t: { name: string }) => t.name === 'half-stored-tag').id}`,
        {
          auth: s.admin,
        },
      );
    });

    it('a bulk update with one bad id changes none', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await newConversation(`bulk-half-${i}`)).id);
      const tagsBefore = (await s.req('GET', '/tags', { auth: key })).body.data.map((t: { name: string }) => t.name);
      // The unknown id sorts last, so the others are updated before it fails.
      const missing = await s.req('POST', '/conversations/bulk', {
        auth: key,
        body: {
          ids: [...ids, UNKNOWN_ID],
          update: { priority: 'urgent', addTags: ['bulk-half'], customFields: { note: 'bulk' } },
        },
      });
      expectError(missing, 404, 'not_found');
      const malformed = await s.req('POST', '/conversations/bulk', {
        auth: key,
        body: { ids: [...ids, 'not-a-uuid'], update: { priority: 'urgent', addTags: ['bulk-half'] } },
      });
      expectValidation(malformed, 'ids.3');
      const badField = await s.req('POST', '/conversations/bulk', {
        auth: key,
        body: { ids, update: { priority: 'urgent', addTags: ['bulk-half'], customFields: { seats: 'x' } } },
      });
      expectValidation(badField, 'customFields.seats');
      for (const id of ids) {
        const c = (await s.req('GET', `/conversations/${id}`, { auth: key })).body;
        expect(c.priority).toBe('normal');
        expect(c.tags).toEqual([]);
        expect(c.customFields).toEqual({});
        const audit = (await s.req('GET', `/audit-log?entityType=conversation&entityId=${id}`, { auth: s.admin })).body.data;
        expect(audit.map((a: { action: string }) => a.action)).toEqual(['conversation.created']);
      }
      expect((await s.req('GET', '/tags', { auth: key })).body.data.map((t: { name: string }) => t.name)).toEqual(tagsBefore);
    });
  });

  describe('7. path params', () => {
    it('answers ids that are not UUIDs with 400 naming id', async () => {
      const bad = ['123', 'not-a-uuid', "'%20or%201=1%20--", '%00', 'ffffffff-ffff-4fff-bfff-fffffffffffff', `${UNKNOWN_ID}'`];
      const routes: [string, string, unknown?][] = [
        ['GET', '/conversations/:id'],
        ['PATCH', '/conversations/:id', { priority: 'low' }],
        ['GET', '/conversations/:id/messages'],
        ['POST', '/conversations/:id/messages', { body: 'hi' }],
        ['POST', '/conversations/:id/notes', { body: 'hi' }],
        ['GET', '/conversations/:id/status-history'],
        ['GET', '/contacts/:id'],
        ['PATCH', '/contacts/:id', { name: 'x' }],
        ['GET', '/webhooks/:id'],
        ['PATCH', '/webhooks/:id', { active: false }],
        ['DELETE', '/webhooks/:id'],
        ['GET', '/webhooks/:id/deliveries'],
        ['DELETE', '/tags/:id'],
        ['PATCH', '/statuses/:id', { name: 'x' }],
        ['PATCH', '/custom-fields/:id', { label: 'x' }],
        ['PATCH', '/inboxes/:id', { name: 'x' }],
        ['PATCH', '/users/:id', { name: 'x' }],
        ['DELETE', '/api-keys/:id'],
      ];
      for (const [method, route, body] of routes) {
        for (const id of bad) {
          const res = await s.req(method, route.replace(':id', id), { auth: s.admin, body });
          expectValidation(res, 'id');
        }
        // A well-formed id that does not exist is a 404.
        const missing = await s.req(method, route.replace(':id', UNKNOWN_ID), { auth: s.admin, body });
        expectError(missing, 404, 'not_found');
      }
      const redeliver = await s.req('POST', `/webhook-deliveries/${encodeURIComponent("' or 1=1 --")}/redeliver`, {
        auth: s.admin,
      });
      expectError(redeliver, 404, 'not_found');
    });
  });

  describe('8. random input', () => {
    // Strings with every kind of character: control characters, NUL, lone surrogates, RTL marks, SQL and markup.
    const nasty = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)) }),
      fc.string({ unit: fc.constantFrom('\u0000', '\u0007', '\ud800', '\udc00', 'a', ' ', '<', '%', '\\') }),
      fc.constantFrom(
        '',
        ' ',
        '\u0000',
        'a\u0000b',
        '\ud800',
        '\udfff x',
        '\u202e',
        '%',
        '_',
        '\\',
        "'",
        "'; drop table conversations; --",
        '<script>alert(1)</script>',
        '<a href="javascript:alert(1)">x</a>',
        '__proto__',
        'constructor',
        'NaN',
        '-0',
        '1e400',
        'pro',
        'plan',
        'a'.repeat(70),
      ),
    );
    const anyValue = fc.oneof(
      { weight: 3, arbitrary: nasty },
      fc.anything({ maxDepth: 3 }),
      fc.jsonValue({ maxDepth: 3 }),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(nasty, { maxLength: 5 }),
    );
    // Mostly the right type, so that bad text gets past the schema shape into the domain and the database.
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: arb }, { weight: 1, arbitrary: anyValue });
    const fieldValue = fc.oneof(
      nasty,
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(nasty, { maxLength: 3 }),
    );
    const randomObject = fc.oneof(fc.anything(), fc.object(), fc.jsonValue(), fc.dictionary(nasty, anyValue, { maxKeys: 5 }));
    const attachments = fc.array(
      fc.record(
        {
          name: maybe(nasty),
          contentType: maybe(fc.constantFrom('image/png', 'text/plain')),
          size: maybe(fc.nat()),
          url: maybe(fc.webUrl()),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 2 },
    );
    const messageBody = (withFlags: boolean) =>
      fc.record(
        {
          body: maybe(nasty),
          ...(withFlags ? { private: maybe(fc.boolean()), from: maybe(fc.constantFrom('agent', 'contact')) } : {}),
          clientId: maybe(nasty),
          attachments: maybe(attachments),
        },
        { requiredKeys: [] },
      );

    const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
    /** What a URL can carry of a string: a client must send UTF-8, so an unpaired surrogate becomes U+FFFD. */
    const urlEncode = (v: string) => encodeURIComponent(v.replace(LONE, '\ufffd'));
    /** Arbitrary bytes, percent-encoded: not necessarily UTF-8. */
    const rawBytes = fc
      .uint8Array({ maxLength: 12 })
      .map((b) => [...b].map((x) => `%${x.toString(16).padStart(2, '0')}`).join(''));

    /** Random query strings: real and made-up keys, any values, repeated keys. */
    const queryString = fc
      .array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom(
              'q',
              'tag',
              'customField',
              'status',
              'statusCategory',
              'priority',
              'assignee',
              'team',
              'inbox',
              'contact',
              'sort',
              'order',
              'limit',
              'cursor',
            ),
            nasty,
          ),
          fc.oneof(
            nasty,
            fc.constantFrom('plan:pro', 'seats:3', 'note:x', 'seats:', 'me', 'none', 'priority', 'desc', '-1', '100', 'abc'),
          ),
        ),
        { maxLength: 5 },
      )
      .chain((pairs) =>
        fc
          .array(fc.tuple(fc.constantFrom('q', 'tag', 'customField', 'cursor', 'limit'), rawBytes), { maxLength: 2 })
          .map((raw) => {
            const params = new URLSearchParams();
            for (const [k, v] of pairs) params.append(k, v);
            return [params.toString(), ...raw.map(([k, v]) => `${k}=${v}`)].filter(Boolean).join('&');
          }),
      );

    function expectSane(res: TestResponse, what: string) {
      expect(res.status, `${what} -> ${res.status} ${res.text.slice(0, 500)}`).toBeLessThan(500);
      if (res.status >= 400) {
        expect(typeof res.body?.error?.code, `${what}: ${res.text.slice(0, 500)}`).toBe('string');
        expect(typeof res.body.error.message).toBe('string');
      }
    }
    const show = (v: unknown) => {
      try {
        return JSON.stringify(v)?.slice(0, 300) ?? String(v);
      } catch {
        return String(v);
      }
    };

    let target: { id: string };
    beforeAll(async () => {
      target = await newConversation('fuzz target');
    });

    const conversationBody = (inboxId: () => string) =>
      fc.oneof(
        randomObject,
        fc.record(
          {
            inboxId: maybe(fc.constant(null).map(inboxId)),
            subject: maybe(nasty),
            contact: maybe(
              fc.record(
                {
                  name: maybe(nasty),
                  email: maybe(fc.oneof(fc.emailAddress(), nasty)),
                  phone: maybe(nasty),
                  externalId: maybe(nasty),
                  attributes: maybe(fc.dictionary(nasty, fieldValue, { maxKeys: 3 })),
                },
                { requiredKeys: [] },
              ),
            ),
            priority: maybe(fc.constantFrom('low', 'urgent')),
            tags: maybe(fc.array(nasty, { maxLength: 3 })),
            customFields: maybe(
              fc.dictionary(fc.constantFrom('plan', 'seats', 'note', 'nope', '__proto__'), fieldValue, { maxKeys: 3 }),
            ),
            message: maybe(messageBody(true)),
          },
          { requiredKeys: ['inboxId'] },
        ),
      );
    const contactBody = fc.oneof(
      randomObject,
      fc.record(
        {
          name: maybe(nasty),
          email: maybe(fc.oneof(fc.emailAddress(), nasty)),
          phone: maybe(fc.oneof(fc.constantFrom('+1 555 0100', '(0) 12-34'), nasty)),
          externalId: maybe(nasty),
          attributes: maybe(fc.dictionary(nasty, fieldValue, { maxKeys: 3 })),
        },
        { requiredKeys: [] },
      ),
    );
    const webhookBody = fc.oneof(
      randomObject,
      fc.record(
        {
          url: maybe(
            fc.oneof(
              fc.webUrl(),
              fc.constantFrom('http://127.0.0.1:9/hook', 'http://[::1]:9/', 'file:///etc/passwd', 'http://169.254.169.254/'),
              nasty,
            ),
          ),
          events: maybe(fc.array(fc.oneof(fc.constantFrom('*', 'conversation.created'), nasty), { maxLength: 3 })),
          description: maybe(nasty),
          active: maybe(fc.constant(false)),
        },
        { requiredKeys: [] },
      ),
    );

    /** Sends one generated request; JSON.stringify drops what JSON cannot carry, as any client would. */
    async function send(method: string, path: string, body?: unknown) {
      let raw: string | undefined;
      try {
        raw = body === undefined ? undefined : JSON.stringify(body);
      } catch {
        raw = undefined; // a value JSON cannot encode: nothing a client could send
      }
      const res = await s.req(method, path, raw === undefined ? { auth: key } : { auth: key, raw });
      expectSane(res, `${method} ${path} ${show(body)}`);
      return res;
    }
    const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 150) };

    it('POST /conversations', { timeout: 120_000 }, async () => {
      await fc.assert(
        fc.asyncProperty(
          conversationBody(() => s.inboxId),
          (body) => send('POST', '/conversations', body).then(() => undefined),
        ),
        RUNS,
      );
    });

    it('POST /contacts', { timeout: 120_000 }, async () => {
      await fc.assert(
        fc.asyncProperty(contactBody, (body) => send('POST', '/contacts', body).then(() => undefined)),
        RUNS,
      );
    });

    it('POST /conversations/{id}/messages and /notes', { timeout: 120_000 }, async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(randomObject, messageBody(true)), fc.boolean(), async (body, note) => {
          if (note) await send('POST', `/conversations/${target.id}/notes`, body);
          else await send('POST', `/conversations/${target.id}/messages`, body);
        }),
        RUNS,
      );
    });

    it('POST /webhooks', { timeout: 120_000 }, async () => {
      await fc.assert(
        fc.asyncProperty(webhookBody, async (body) => {
          const res = await send('POST', '/webhooks', body);
          if (res.status === 201) expect((await s.req('DELETE', `/webhooks/${res.body.id}`, { auth: key })).status).toBe(204);
        }),
        RUNS,
      );
    });

    it('GET /conversations with random query strings and ids', { timeout: 120_000 }, async () => {
      await fc.assert(
        fc.asyncProperty(queryString, nasty, rawBytes, async (qs, id, bytes) => {
          await send('GET', `/conversations?${qs}`);
          await send('GET', `/conversations/${urlEncode(id)}`);
          await send('GET', `/conversations/${bytes}/messages`);
        }),
        RUNS,
      );
    });

    it('stays healthy afterwards', async () => {
      const health = await fetch(`${s.url}/healthz`);
      expect(health.status).toBe(200);
      const ready = await fetch(`${s.url}/readyz`);
      expect(ready.status).toBe(200);
      expect((await s.req('GET', '/conversations?limit=5', { auth: key })).status).toBe(200);
      expect((await s.req('GET', `/conversations/${target.id}/messages`, { auth: key })).status).toBe(200);
      expect((await newConversation('after the storm')).subject).toBe('after the storm');
    });
  });
});
