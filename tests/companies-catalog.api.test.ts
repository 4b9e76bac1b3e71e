import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../server/src/domain/routing/clock';
import { uploadStoreFor } from '../server/src/storage/uploads/select-store';
import { newVisitor } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

// Issue 19's remaining admin pieces through the API: companies (by email domain and by hand, their
// contacts and conversations), deleting a status with a replacement, custom fields on contacts, the
// tag.merged event, per-inbox retention with archiving on a moved clock, and what erasure now also
// clears (knowledge-gap questions in the person's words, files they uploaded and never sent).

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const DAY = 24 * 3_600_000;

describe(`companies, statuses, contact fields, retention per inbox (${BACKEND})`, () => {
  let s: TestServer;
  let clock: ManualClock;
  let key: string;
  let agent: Awaited<ReturnType<TestServer['login']>>;
  beforeAll(async () => {
    clock = new ManualClock(new Date());
    s = await startTestServer({ jobsClock: clock, env: { JOBS_POLL_MS: '3600000' } });
    key = await s.apiKey(['admin', 'conversations:read', 'conversations:write', 'contacts:read', 'contacts:write']);
    const made = await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'agent.co@example.com', name: 'Cora Agent', role: 'agent', password: 'agent-password-1' },
    });
    expect(made.status).toBe(201);
    agent = await s.login('agent.co@example.com', 'agent-password-1');
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  const conversationFor = async (email: string, inboxId = s.inboxId) => {
    const res = await s.req('POST', '/conversations', {
      auth: key,
      body: { inboxId, subject: `From ${email}`, contact: { email }, message: { body: 'Hello' } },
    });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; contactId: string };
  };

  it('companies take in contacts by email domain, or by hand; list their contacts and conversations', async () => {
    const early = await s.req('POST', '/contacts', { auth: key, body: { email: 'early@acme.test', name: 'Early' } });
    expect(early.body.companyId).toBeNull();
    const bad = await s.req('POST', '/companies', { auth: key, body: { name: 'Acme', domain: 'not a domain' } });
    expect(bad.status).toBe(400);
    const acme = await s.req('POST', '/companies', { auth: key, body: { name: 'Acme', domain: 'ACME.test' } });
    expect(acme.status, acme.text).toBe(201);
    // The contact already at the domain joined when the domain was set.
    expect(acme.body).toMatchObject({ name: 'Acme', domain: 'acme.test', contacts: 1 });
    expect((await s.req('POST', '/companies', { auth: key, body: { name: 'Acme 2', domain: 'acme.test' } })).status).toBe(409);

    // A new contact at the domain joins it; one at another domain does not; one set by hand does.
    const conv = await conversationFor('buyer@acme.test');
    const buyer = await s.req('GET', `/contacts/${conv.contactId}`, { auth: key });
    expect(buyer.body).toMatchObject({ companyId: acme.body.id, companyName: 'Acme' });
    const other = await s.req('POST', '/contacts', { auth: key, body: { email: 'someone@other.test' } });
    expect(other.body.companyId).toBeNull();
    const byHand = await s.req('PATCH', `/contacts/${other.body.id}`, { auth: key, body: { companyId: acme.body.id } });
    expect(byHand.status, byHand.text).toBe(200);
    expect(byHand.body.companyId).toBe(acme.body.id);
    const optOut = await s.req('POST', '/contacts', { auth: key, body: { email: 'solo@acme.test', companyId: null } });
    expect(optOut.body.companyId).toBeNull();
    expect(
      (await s.req('PATCH', `/contacts/${other.body.id}`, { auth: key, body: { companyId: crypto.randomUUID() } })).status,
    ).toBe(400);

    const contacts = await s.req('GET', `/companies/${acme.body.id}/contacts`, { auth: key });
    expect(contacts.body.data.map((c: { email: string }) => c.email).sort()).toEqual([
      'buyer@acme.test',
      'early@acme.test',
      'someone@other.test',
    ]);
    const filtered = await s.req('GET', `/contacts?companyId=${acme.body.id}`, { auth: key });
    expect(filtered.body.data).toHaveLength(3);
    const convs = await s.req('GET', `/companies/${acme.body.id}/conversations`, { auth: key });
    expect(convs.status, convs.text).toBe(200);
    expect(convs.body.data.map((c: { id: string }) => c.id)).toEqual([conv.id]);
    expect((await s.req('GET', `/conversations?company=${acme.body.id}`, { auth: key })).body.data).toHaveLength(1);

    const list = await s.req('GET', '/companies?q=acm', { auth: agent });
    expect(list.body.data).toEqual([expect.objectContaining({ id: acme.body.id, contacts: 3 })]);
    // An agent reads companies but an agent without the inbox sees none of its contacts with conversations.
    const agentView = await s.req('GET', `/companies/${acme.body.id}/contacts`, { auth: agent });
    expect(agentView.body.data.map((c: { email: string }) => c.email)).not.toContain('buyer@acme.test');

    const renamed = await s.req('PATCH', `/companies/${acme.body.id}`, {
      auth: key,
      body: { name: 'Acme Ltd', notes: 'Key account' },
    });
    expect(renamed.body).toMatchObject({ name: 'Acme Ltd', notes: 'Key account' });
    expect((await s.req('DELETE', `/companies/${acme.body.id}`, { auth: key })).status).toBe(204);
    expect((await s.req('GET', `/contacts/${conv.contactId}`, { auth: key })).body.companyId).toBeNull();
    const audit = await s.req('GET', `/audit-log?entityType=company&entityId=${acme.body.id}`, { auth: key });
    expect(audit.body.data.map((e: { action: string }) => e.action).sort()).toEqual([
      'company.created',
      'company.deleted',
      'company.updated',
    ]);
  });

  it('deletes a status: its conversations move to the replacement; the default needs a new default', async () => {
    const statuses = async () =>
      (await s.req('GET', '/statuses', { auth: key })).body.data as {
        id: string;
        name: string;
        category: string;
        isDefault: boolean;
      }[];
    const waiting = await s.req('POST', '/statuses', { auth: key, body: { name: 'Waiting on legal', category: 'open' } });
    const resolved = (await statuses()).find((x) => x.category === 'resolved')!;
    const def = (await statuses()).find((x) => x.isDefault)!;
    const conv = await conversationFor(`st-${randomBytes(3).toString('hex')}@example.org`);
    expect((await s.req('PATCH', `/conversations/${conv.id}`, { auth: key, body: { statusId: waiting.body.id } })).status).toBe(
      200,
    );

    expect(
      (await s.req('POST', `/statuses/${waiting.body.id}/delete`, { auth: agent, body: { replacementId: def.id } })).status,
    ).toBe(403);
    const wrongCategory = await s.req('POST', `/statuses/${waiting.body.id}/delete`, {
      auth: key,
      body: { replacementId: resolved.id },
    });
    expect(wrongCategory.status).toBe(400);
    expect(wrongCategory.body.error.issues[0].path).toBe('replacementId');
    const gone = await s.req('POST', `/statuses/${waiting.body.id}/delete`, { auth: key, body: { replacementId: def.id } });
    expect(gone.status, gone.text).toBe(200);
    expect(gone.body).toMatchObject({ movedConversations: 1, replacementId: def.id, defaultId: def.id });
    expect((await statuses()).some((x) => x.id === waiting.body.id)).toBe(false);
    expect((await s.req('GET', `/conversations/${conv.id}`, { auth: key })).body.status.id).toBe(def.id);
    const history = await s.req('GET', `/conversations/${conv.id}/status-history`, { auth: key });
    if (history.status === 200) {
      expect(JSON.stringify(history.body)).not.toContain(waiting.body.id);
    }

    // The default status: refused without a new default, then gone with one (the replacement may be it).
    const next = await s.req('POST', '/statuses', { auth: key, body: { name: 'Fresh', category: 'open' } });
    const refused = await s.req('POST', `/statuses/${def.id}/delete`, { auth: key, body: { replacementId: next.body.id } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues[0].path).toBe('newDefaultId');
    const swapped = await s.req('POST', `/statuses/${def.id}/delete`, {
      auth: key,
      body: { replacementId: next.body.id, newDefaultId: next.body.id },
    });
    expect(swapped.status, swapped.text).toBe(200);
    expect((await statuses()).find((x) => x.isDefault)?.id).toBe(next.body.id);
    expect((await s.req('GET', `/conversations/${conv.id}`, { auth: key })).body.status.id).toBe(next.body.id);
    // New conversations start in the new default.
    const fresh = await conversationFor(`st2-${randomBytes(3).toString('hex')}@example.org`);
    expect((await s.req('GET', `/conversations/${fresh.id}`, { auth: key })).body.status.id).toBe(next.body.id);
  });

  it('custom fields for contacts: typed, kept apart from conversation fields, on the contact', async () => {
    const plan = await s.req('POST', '/custom-fields', {
      auth: key,
      body: { key: 'plan', label: 'Plan', type: 'single_select', options: ['free', 'pro'], entity: 'contact', required: true },
    });
    expect(plan.status, plan.text).toBe(201);
    expect(plan.body.entity).toBe('contact');
    // The conversation list of fields (the default) does not show it; `entity=contact` and `all` do.
    expect((await s.req('GET', '/custom-fields', { auth: key })).body.data.map((f: { key: string }) => f.key)).not.toContain(
      'plan',
    );
    expect(
      (await s.req('GET', '/custom-fields?entity=contact', { auth: key })).body.data.map((f: { key: string }) => f.key),
    ).toEqual(['plan']);
    // A required contact field does not make conversations need it, and a conversation cannot carry it.
    const conv = await conversationFor(`cf-${randomBytes(3).toString('hex')}@example.org`);
    const onConv = await s.req('PATCH', `/conversations/${conv.id}`, { auth: key, body: { customFields: { plan: 'pro' } } });
    expect(onConv.status).toBe(400);

    const wrong = await s.req('PATCH', `/contacts/${conv.contactId}`, { auth: key, body: { customFields: { plan: 'gold' } } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.issues[0].path).toBe('customFields.plan');
    const set = await s.req('PATCH', `/contacts/${conv.contactId}`, { auth: key, body: { customFields: { plan: 'pro' } } });
    expect(set.status, set.text).toBe(200);
    expect(set.body.customFields).toEqual({ plan: 'pro' });
    const created = await s.req('POST', '/contacts', {
      auth: key,
      body: { email: 'cf@example.org', customFields: { plan: 'free' } },
    });
    expect(created.body.customFields).toEqual({ plan: 'free' });
    // Import carries them too (all or nothing: a bad value names its row).
    const imported = await s.req('POST', '/contacts/import', {
      auth: key,
      body: { rows: [{ email: 'imp1@example.org', customFields: { plan: 'pro' } }] },
    });
    expect(imported.status, imported.text).toBe(200);
    expect((await s.req('GET', `/contacts/${imported.body.ids[0]}`, { auth: key })).body.customFields).toEqual({ plan: 'pro' });
    // A company named in the import is found by name (any case) or created once for the whole file.
    const byName = await s.req('POST', '/contacts/import', {
      auth: key,
      body: {
        rows: [
          { email: 'imp2@initech.test', companyName: 'Initech' },
          { email: 'imp3@initech.test', companyName: 'INITECH' },
        ],
      },
    });
    expect(byName.status, byName.text).toBe(200);
    const [a, b] = await Promise.all(byName.body.ids.map((id: string) => s.req('GET', `/contacts/${id}`, { auth: key })));
    expect(a!.body.companyName).toBe('Initech');
    expect(b!.body.companyId).toBe(a!.body.companyId);
  });

  it('tag merge raises tag.merged for listeners and webhooks', async () => {
    await s.req('POST', '/conversations', { auth: key, body: { inboxId: s.inboxId, tags: ['vip-old', 'vip'] } });
    const tags = (await s.req('GET', '/tags', { auth: key })).body.data as { id: string; name: string }[];
    const from = tags.find((t) => t.name === 'vip-old')!;
    const into = tags.find((t) => t.name === 'vip')!;
    expect((await s.req('POST', `/tags/${from.id}/merge`, { auth: key, body: { into: into.id } })).status).toBe(200);
    const events = await s.deps.db.selectFrom('outbox').select(['type', 'payload']).where('type', '=', 'tag.merged').execute();
    expect(events).toHaveLength(1);
    const payload = typeof events[0]!.payload === 'string' ? JSON.parse(events[0]!.payload) : events[0]!.payload;
    expect(payload).toMatchObject({ tag: { id: into.id, name: 'vip' }, mergedTagId: from.id, movedConversations: 1 });
  });

  it('archives per inbox on a moved clock: out of the lists, found with archived=true, reopening brings it back', async () => {
    const quiet = await s.req('POST', '/inboxes', { auth: key, body: { name: 'Quiet inbox', channel: 'api' } });
    expect(quiet.status, quiet.text).toBe(201);
    const resolvedId = (await s.req('GET', '/statuses', { auth: key })).body.data.find(
      (x: { category: string }) => x.category === 'resolved',
    ).id;
    const inMain = await conversationFor(`ar-main-${randomBytes(3).toString('hex')}@example.org`);
    const inQuiet = await conversationFor(`ar-quiet-${randomBytes(3).toString('hex')}@example.org`, quiet.body.id);
    for (const c of [inMain, inQuiet]) {
      expect((await s.req('PATCH', `/conversations/${c.id}`, { auth: key, body: { statusId: resolvedId } })).status).toBe(200);
    }
    // The workspace archives after 30 days; the quiet inbox after 5, and deletes after 60 there.
    const policy = (await s.req('GET', '/admin/retention', { auth: key })).body;
    expect((await s.req('PUT', '/admin/retention', { auth: key, body: { ...policy, archiveAfterDays: 30 } })).status).toBe(200);
    expect(
      (await s.req('PUT', `/admin/inboxes/${quiet.body.id}/retention`, { auth: key, body: { archiveAfterDays: 0 } })).status,
    ).toBe(400);
    const put = await s.req('PUT', `/admin/inboxes/${quiet.body.id}/retention`, {
      auth: key,
      body: { archiveAfterDays: 5, conversations: { afterDays: 60, action: 'delete' } },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body.effective).toMatchObject({ archiveAfterDays: 5, conversations: { afterDays: 60, action: 'delete' } });
    expect((await s.req('GET', `/admin/inboxes/${s.inboxId}/retention`, { auth: key })).body.effective.archiveAfterDays).toBe(30);

    const listed = async (query: string) =>
      ((await s.req('GET', `/conversations?limit=100${query}`, { auth: key })).body.data as { id: string }[]).map((c) => c.id);
    clock.set(new Date(Date.now() + 10 * DAY));
    let job = (await s.req('POST', '/admin/jobs/apply-retention/run', { auth: key })).body;
    expect(job.lastStatus, JSON.stringify(job)).toBe('ok');
    expect(job.lastResult.conversationsArchived).toBe(1);
    expect(await listed('')).toContain(inMain.id);
    expect(await listed('')).not.toContain(inQuiet.id);
    expect(await listed('&archived=true')).toEqual([inQuiet.id]);
    expect(await listed('&archived=all')).toContain(inQuiet.id);
    // Still viewable, and searchable when asked.
    const view = await s.req('GET', `/conversations/${inQuiet.id}`, { auth: key });
    expect(view.status).toBe(200);
    expect(view.body.archivedAt).toBeTruthy();
    expect(await listed(`&q=ar-quiet&archived=true`)).toEqual([inQuiet.id]);
    expect(await listed(`&q=ar-quiet`)).toEqual([]);

    // Forty days: the main inbox's one is archived too; the quiet one not yet deleted.
    clock.set(new Date(Date.now() + 40 * DAY));
    job = (await s.req('POST', '/admin/jobs/apply-retention/run', { auth: key })).body;
    expect(job.lastResult).toMatchObject({ conversationsArchived: 1, conversationsDeleted: 0 });
    expect(await listed('')).not.toContain(inMain.id);

    // Reopened: back in the lists.
    const openId = (await s.req('GET', '/statuses', { auth: key })).body.data.find((x: { isDefault: boolean }) => x.isDefault).id;
    expect((await s.req('PATCH', `/conversations/${inMain.id}`, { auth: key, body: { statusId: openId } })).status).toBe(200);
    expect(await listed('')).toContain(inMain.id);

    // Seventy days: deleted in the quiet inbox only (the workspace deletes nothing).
    clock.set(new Date(Date.now() + 70 * DAY));
    job = (await s.req('POST', '/admin/jobs/apply-retention/run', { auth: key })).body;
    expect(job.lastResult.conversationsDeleted).toBe(1);
    expect((await s.req('GET', `/conversations/${inQuiet.id}`, { auth: key })).status).toBe(404);
    expect((await s.req('GET', `/conversations/${inMain.id}`, { auth: key })).status).toBe(200);
    await s.req('PUT', '/admin/retention', { auth: key, body: policy });
  });

  it("erasure rewords or deletes knowledge-gap questions in the person's words and deletes their unsent uploads", async () => {
    const token = (await s.req('GET', '/inboxes', { auth: key })).body.data.find((i: { id: string }) => i.id === s.inboxId)
      .websiteToken as string;
    const visitor = await newVisitor(s.url, token);
    const up = await fetch(`${s.url}/widget-uploads`, {
      method: 'POST',
      headers: {
        'x-website-token': token,
        'x-visitor-token': visitor.visitorToken,
        'content-type': 'image/png',
        'x-file-name': 'never-sent.png',
      },
      body: PNG,
    });
    expect(up.status, await up.clone().text()).toBe(201);
    const uploadId = /\/widget-uploads\/([^/]+)\//.exec(((await up.json()) as { url: string }).url)![1]!;
    const store = uploadStoreFor(s.deps.config);
    expect(await store.get(uploadId)).toBeTruthy();

    const tag = randomBytes(4).toString('hex');
    const theirs = await conversationFor(`gap-${tag}@example.org`);
    const someoneElse = await conversationFor(`gap-other-${tag}@example.org`);
    await s.deps.db.updateTable('conversations').set({ contact_id: visitor.contactId }).where('id', '=', theirs.id).execute();
    const db = s.deps.db;
    const lonely = await db
      .insertInto('kb_gaps')
      .values({
        question: `where is parcel ${tag}`,
        normalized: `where is parcel ${tag}`,
        language: 'en',
        last_asked_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const shared = await db
      .insertInto('kb_gaps')
      .values({
        question: `how to pay ${tag} visa`,
        normalized: `how to pay ${tag} visa`,
        language: 'en',
        last_asked_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('kb_gap_examples')
      .values([
        { gap_id: lonely.id, conversation_id: theirs.id, question: `where is parcel ${tag}` },
        { gap_id: shared.id, conversation_id: theirs.id, question: `how to pay ${tag} visa` },
        { gap_id: shared.id, conversation_id: someoneElse.id, question: `How can I pay by card?` },
      ])
      .execute();

    const erased = await s.req('POST', `/admin/contacts/${visitor.contactId}/erase`, { auth: key });
    expect(erased.status, erased.text).toBe(200);
    expect(erased.body).toMatchObject({ knowledgeGaps: 2, unsentUploads: 1 });
    expect(await db.selectFrom('kb_gaps').select('id').where('id', '=', lonely.id).executeTakeFirst()).toBeUndefined();
    const kept = await db.selectFrom('kb_gaps').select(['question', 'normalized']).where('id', '=', shared.id).executeTakeFirst();
    expect(kept).toEqual({ question: 'How can I pay by card?', normalized: 'how can i pay by card' });
    const anyLeft = await db.selectFrom('kb_gaps').select('question').execute();
    expect(JSON.stringify(anyLeft)).not.toContain(tag);
    expect(await store.get(uploadId)).toBeUndefined();
    expect(await store.get(`${uploadId}.json`)).toBeUndefined();
  });
});
