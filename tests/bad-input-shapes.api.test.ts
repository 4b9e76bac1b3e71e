import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationHelpers, expectError, expectValidation, startBadInputServer } from './helpers/bad-input';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

// Bad input, part 1: body format, types and shapes, size limits.
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

  const { create, newConversation, countConversations } = conversationHelpers(() => ({ s, key }));

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
});
