import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

describe(`conversations over HTTP (${BACKEND})`, () => {
  let s: TestServer;
  let key: string;
  let statuses: { id: string; name: string; category: string }[];

  beforeAll(async () => {
    s = await startTestServer();
    key = await s.apiKey(['conversations:read', 'conversations:write', 'contacts:read']);
    await s.req('POST', '/custom-fields', {
      auth: s.admin,
      body: { key: 'plan', label: 'Plan', type: 'single_select', options: ['free', 'pro'] },
    });
    await s.req('POST', '/custom-fields', { auth: s.admin, body: { key: 'seats', label: 'Seats', type: 'number' } });
    await s.req('POST', '/custom-fields', { auth: s.admin, body: { key: 'vip', label: 'VIP', type: 'boolean' } });
    await s.req('POST', '/custom-fields', { auth: s.admin, body: { key: 'renewal', label: 'Renewal', type: 'date' } });
    await s.req('POST', '/custom-fields', {
      auth: s.admin,
      body: { key: 'products', label: 'Products', type: 'multi_select', options: ['chat', 'email', 'voice'] },
    });
    statuses = (await s.req('GET', '/statuses', { auth: key })).body.data;
  });
  afterAll(() => s?.close());

  const create = (body: Record<string, unknown>) =>
    s.req('POST', '/conversations', { auth: key, body: { inboxId: s.inboxId, ...body } });

  it('creates a conversation with contact, tags, custom fields and a first message', async () => {
    const res = await create({
      subject: 'Refund please',
      contact: { name: 'Ann', email: 'ANN@example.com' },
      priority: 'high',
      tags: ['Billing', 'refund'],
      customFields: { plan: 'pro', seats: 3, vip: true, renewal: '2027-01-31', products: ['chat', 'voice'] },
      message: { body: 'I was charged twice' },
    });
    expect(res.status).toBe(201);
    const c = res.body;
    expect(c.number).toBeGreaterThanOrEqual(1000);
    expect(c.subject).toBe('Refund please');
    expect(c.priority).toBe('high');
    expect(c.tags).toEqual(['billing', 'refund']);
    expect(c.customFields).toEqual({ plan: 'pro', seats: 3, vip: true, renewal: '2027-01-31', products: ['chat', 'voice'] });
    expect(c.status.category).toBe('open');
    expect(c.lastSeq).toBe(1);
    expect(c.waitingSince).not.toBeNull();
    const contact = await s.req('GET', `/contacts/${c.contactId}`, { auth: key });
    expect(contact.body.email).toBe('ann@example.com');
    const msgs = await s.req('GET', `/conversations/${c.id}/messages`, { auth: key });
    expect(msgs.body.data).toHaveLength(1);
    expect(msgs.body.data[0]).toMatchObject({ seq: 1, authorKind: 'contact', bodyText: 'I was charged twice', private: false });
  });

  it('numbers messages in order, stores a retried clientId once, and keeps notes private', async () => {
    const c = (await create({ subject: 'Seq test' })).body;
    const first = await s.req('POST', `/conversations/${c.id}/messages`, {
      auth: key,
      body: { body: '<p>Hello <b>there</b></p>', clientId: 'c-1' },
    });
    expect(first.status).toBe(201);
    const retry = await s.req('POST', `/conversations/${c.id}/messages`, {
      auth: key,
      body: { body: '<p>Hello <b>there</b></p>', clientId: 'c-1' },
    });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.body.seq).toBe(first.body.seq);
    const note = await s.req('POST', `/conversations/${c.id}/notes`, { auth: key, body: { body: 'internal: check the ledger' } });
    expect(note.status).toBe(201);
    expect(note.body.private).toBe(true);
    // Concurrent sends to one room get distinct, gap-free seqs.
    const sends = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        s.req('POST', `/conversations/${c.id}/messages`, { auth: key, body: { body: `m${i}` } }),
      ),
    );
    expect(sends.every((r) => r.status === 201)).toBe(true);
    const all = (await s.req('GET', `/conversations/${c.id}/messages`, { auth: key })).body.data;
    expect(all.map((m: { seq: number }) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const publicOnly = (await s.req('GET', `/conversations/${c.id}/messages?includePrivate=false`, { auth: key })).body.data;
    expect(publicOnly.some((m: { private: boolean }) => m.private)).toBe(false);
    const conv = (await s.req('GET', `/conversations/${c.id}`, { auth: key })).body;
    expect(conv.lastSeq).toBe(10);
    expect(conv.firstResponseAt).not.toBeNull();
    // Paging back through history.
    const back = (await s.req('GET', `/conversations/${c.id}/messages?beforeSeq=6&limit=3`, { auth: key })).body.data;
    expect(back.map((m: { seq: number }) => m.seq)).toEqual([3, 4, 5]);
  });

  it('updates fields, keeps status history and audit entries', async () => {
    const c = (await create({ subject: 'History' })).body;
    const pending = statuses.find((x) => x.category === 'pending')!;
    const resolved = statuses.find((x) => x.category === 'resolved')!;
    const u1 = await s.req('PATCH', `/conversations/${c.id}`, {
      auth: key,
      body: { statusId: pending.id, priority: 'urgent', addTags: ['x'] },
    });
    expect(u1.status).toBe(200);
    expect(u1.body.status.id).toBe(pending.id);
    expect(u1.body.priority).toBe('urgent');
    expect(u1.body.tags).toEqual(['x']);
    const u2 = await s.req('PATCH', `/conversations/${c.id}`, {
      auth: s.admin,
      body: { statusId: resolved.id, assigneeId: s.admin.userId },
    });
    expect(u2.body.resolvedAt).not.toBeNull();
    expect(u2.body.assigneeId).toBe(s.admin.userId);
    const hist = (await s.req('GET', `/conversations/${c.id}/status-history`, { auth: key })).body.data;
    expect(hist.map((h: { toStatusId: string }) => h.toStatusId)).toEqual([c.status.id, pending.id, resolved.id]);
    expect(hist[2].fromStatusId).toBe(pending.id);
    expect(hist[2].actor).toBe(`user:${s.admin.userId}`);
    expect(hist[1].actor).toMatch(/^api_key:/);
    const audit = (await s.req('GET', `/audit-log?entityType=conversation&entityId=${c.id}`, { auth: s.admin })).body.data;
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'conversation.updated',
      'conversation.updated',
      'conversation.created',
    ]);
    expect(audit[0].before.status.id).toBe(pending.id);
    expect(audit[0].after.status.id).toBe(resolved.id);
    expect(audit[0].actor).toBe(`user:${s.admin.userId}`);
    // Reopening clears resolvedAt.
    const reopened = await s.req('PATCH', `/conversations/${c.id}`, { auth: key, body: { statusId: c.status.id } });
    expect(reopened.body.resolvedAt).toBeNull();
  });

  it('validates custom fields against their definitions on every write and stores nothing on failure', async () => {
    const before = (await s.req('GET', '/conversations?limit=100', { auth: key })).body.data.length;
    const bad = await create({
      subject: 'bad',
      customFields: { plan: 'gold', seats: 'three', vip: 'yes', renewal: '2027-13-45', nope: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    const paths = bad.body.error.issues.map((i: { path: string }) => i.path).sort();
    expect(paths).toEqual([
      'customFields.nope',
      'customFields.plan',
      'customFields.renewal',
      'customFields.seats',
      'customFields.vip',
    ]);
    const after = (await s.req('GET', '/conversations?limit=100', { auth: key })).body.data.length;
    expect(after).toBe(before);
    const c = (await create({ customFields: { plan: 'free' } })).body;
    const badUpdate = await s.req('PATCH', `/conversations/${c.id}`, {
      auth: key,
      body: { customFields: { products: ['chat', 'fax'] }, priority: 'low' },
    });
    expect(badUpdate.status).toBe(400);
    expect(badUpdate.body.error.issues[0].path).toBe('customFields.products');
    const unchanged = (await s.req('GET', `/conversations/${c.id}`, { auth: key })).body;
    expect(unchanged.priority).toBe('normal');
    const cleared = await s.req('PATCH', `/conversations/${c.id}`, {
      auth: key,
      body: { customFields: { plan: null, seats: 5 } },
    });
    expect(cleared.body.customFields).toEqual({ seats: 5 });
  });

  it('filters by every dimension and pages with cursors without gaps or repeats', async () => {
    const me = s.admin.userId;
    const tagged = (
      await create({
        subject: 'Filter A unique-word-zebra',
        tags: ['filter-a'],
        priority: 'urgent',
        customFields: { plan: 'pro', seats: 42 },
      })
    ).body;
    await s.req('PATCH', `/conversations/${tagged.id}`, { auth: key, body: { assigneeId: me } });
    await create({ subject: 'Filter B', tags: ['filter-b'], priority: 'low', customFields: { vip: true, products: ['email'] } });
    const q = async (qs: string) =>
      (await s.req('GET', `/conversations?${qs}`, { auth: s.admin })).body.data.map((c: { subject: string }) => c.subject);
    expect(await q('tag=filter-a')).toEqual(['Filter A unique-word-zebra']);
    expect(await q('priority=urgent&tag=filter-a')).toEqual(['Filter A unique-word-zebra']);
    expect(await q('customField=plan:pro&tag=filter-a')).toEqual(['Filter A unique-word-zebra']);
    expect(await q('customField=seats:42')).toEqual(['Filter A unique-word-zebra']);
    expect(await q('customField=vip:true&tag=filter-b')).toEqual(['Filter B']);
    expect(await q('customField=vip:true')).toHaveLength(2);
    expect(await q('customField=products:email')).toEqual(['Filter B']);
    expect(await q('assignee=me&tag=filter-a')).toEqual(['Filter A unique-word-zebra']);
    expect(await q(`assignee=${me}&tag=filter-b`)).toEqual([]);
    expect(await q('assignee=none&tag=filter-b')).toEqual(['Filter B']);
    expect(await q('q=zebra')).toEqual(['Filter A unique-word-zebra']);
    expect(await q('statusCategory=open&tag=filter-b')).toEqual(['Filter B']);
    expect(await q(`inbox=${s.inboxId}&tag=filter-b`)).toEqual(['Filter B']);
    expect((await s.req('GET', '/conversations?customField=nope:1', { auth: key })).status).toBe(400);
    expect((await s.req('GET', '/conversations?customField=seats:many', { auth: key })).status).toBe(400);

    for (let i = 0; i < 7; i++)
      await create({ subject: `page-${i}`, tags: ['paging'], priority: (['low', 'normal', 'high'] as const)[i % 3] });
    for (const sort of ['created_at', 'last_activity_at', 'priority', 'waiting_since', 'updated_at']) {
      for (const order of ['asc', 'desc']) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const res: { body: { data: { subject: string }[]; nextCursor: string | null } } = await s.req(
            'GET',
            `/conversations?tag=paging&limit=3&sort=${sort}&order=${order}${cursor ? `&cursor=${cursor}` : ''}`,
            { auth: key },
          );
          seen.push(...res.body.data.map((c) => c.subject));
          cursor = res.body.nextCursor;
        } while (cursor);
        expect(seen.sort(), `${sort} ${order}`).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'page-5', 'page-6']);
      }
    }
    const byPriority = await q('tag=paging&sort=priority&order=desc&limit=100');
    expect(byPriority.slice(0, 2).sort()).toEqual(['page-2', 'page-5']);
    expect((await s.req('GET', '/conversations?cursor=not-a-cursor', { auth: key })).body.error.code).toBe('invalid_cursor');
  });

  it('bulk updates all or nothing', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await create({ subject: `bulk-${i}` })).body.id);
    const closed = statuses.find((x) => x.category === 'closed')!;
    const ok = await s.req('POST', '/conversations/bulk', {
      auth: key,
      body: { ids, update: { statusId: closed.id, addTags: ['bulk'] } },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.data.map((c: { status: { category: string } }) => c.status.category)).toEqual(['closed', 'closed', 'closed']);
    const missing = await s.req('POST', '/conversations/bulk', {
      auth: key,
      body: { ids: [...ids, '00000000-0000-4000-8000-000000000000'], update: { priority: 'urgent' } },
    });
    expect(missing.status).toBe(404);
    for (const id of ids) expect((await s.req('GET', `/conversations/${id}`, { auth: key })).body.priority).toBe('normal');
  });
});
