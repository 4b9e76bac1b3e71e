import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationHelpers, startBadInputServer } from './helpers/bad-input';
import { BACKEND, type TestResponse, type TestServer } from './helpers/test-server';

// Bad input, part 4: random input (fast-check) against the main write and read routes.
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

  const { newConversation } = conversationHelpers(() => ({ s, key }));

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
