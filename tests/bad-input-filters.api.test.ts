import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationHelpers, expectError, expectValidation, startBadInputServer, UNKNOWN_ID } from './helpers/bad-input';
import { BACKEND, type TestServer } from './helpers/test-server';

// Bad input, part 3: hostile filters, nothing half-stored, path params.
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
});
