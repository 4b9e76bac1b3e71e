import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../server/src/domain/routing/clock';
import { uploadStoreFor } from '../server/src/storage/uploads/select-store';
import { type S3StandIn, startS3StandIn } from './helpers/s3-server';
import { newVisitor } from './helpers/sockets';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

// Personal data and retention, on the local disk and on an S3 bucket: export gives everything about a
// contact; erasure leaves no trace of them in any table (searched row by row across the database) or in
// the upload store; retention and orphan pruning run as jobs on a clock the test moves.

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const HOUR = 3_600_000;

describe.each(['local', 's3'] as const)(`personal data and retention (${BACKEND}, %s storage)`, (storage) => {
  let s: TestServer;
  let s3: S3StandIn | undefined;
  let dataDir: string;
  let clock: ManualClock;
  // An API key, not a session: the jobs' clock moves weeks ahead and prune-sessions would end a session.
  let key: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'autocrm-privacy-'));
    if (storage === 's3') s3 = await startS3StandIn();
    clock = new ManualClock(new Date());
    s = await startTestServer({ jobsClock: clock, env: { JOBS_POLL_MS: '3600000', DATA_DIR: dataDir, ...s3?.env() } });
    key = await s.apiKey(['admin', 'conversations:read', 'conversations:write', 'contacts:read', 'contacts:write']);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await s3?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const store = () => uploadStoreFor(s.deps.config);
  const stored = async (id: string) => Boolean(await store().get(id));
  const upload = async () => {
    const form = new FormData();
    form.set('file', new File([PNG], 'passport.png', { type: 'image/png' }));
    const res = await fetch(`${s.url}/api/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { url: string; name: string; contentType: string; size: number };
    return { ...body, id: /\/widget-uploads\/([^/]+)\//.exec(body.url)![1]! };
  };
  /** A contact with a conversation (a message with a file, a note) and a widget identity. */
  const person = async () => {
    const tag = randomBytes(5).toString('hex');
    const who = { name: `Ada Q${tag}`, email: `ada.${tag}@example.org`, phone: `+4930${parseInt(tag, 16) % 10_000_000}` };
    const file = await upload();
    const conv = await s.req('POST', '/conversations', {
      auth: key,
      body: { inboxId: s.inboxId, subject: `Refund for ${who.name}`, contact: who, message: { body: 'Hello' } },
    });
    expect(conv.status, conv.text).toBe(201);
    const withFile = await s.req('POST', `/conversations/${conv.body.id}/messages`, {
      auth: key,
      body: {
        body: `My secret phrase is kumquat-${tag}`,
        from: 'contact',
        attachments: [{ url: file.url, name: file.name, contentType: file.contentType, size: file.size }],
      },
    });
    expect(withFile.status, withFile.text).toBe(201);
    const note = await s.req('POST', `/conversations/${conv.body.id}/notes`, {
      auth: key,
      body: { body: `Called ${who.name} back` },
    });
    expect(note.status).toBe(201);
    // An agent's note about the person (contact_notes), in their words: erasure takes it too.
    const about = await s.req('POST', `/contacts/${conv.body.contactId}/notes`, {
      auth: key,
      body: { body: `${who.name} prefers calls; code word kumquat-${tag}` },
    });
    expect(about.status, about.text).toBe(201);
    return { who, tag, file, conversationId: conv.body.id as string, contactId: conv.body.contactId as string };
  };

  /** Rows in any table of the database whose text contains the needle (bytea compared as hex too). */
  async function tablesMentioning(needle: string): Promise<string[]> {
    const tables = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(
      s.deps.db,
    );
    const hex = Buffer.from(needle).toString('hex');
    const hits: string[] = [];
    for (const { table_name } of tables.rows) {
      const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table_name)} t
        WHERE t::text ILIKE ${`%${needle}%`} OR t::text ILIKE ${`%${hex}%`}`.execute(s.deps.db);
      if (r.rows[0]!.n > 0) hits.push(table_name);
    }
    return hits;
  }

  it('exports everything about a contact, with their files, and audits it', async () => {
    const p = await person();
    const res = await s.req('GET', `/admin/contacts/${p.contactId}/export`, { auth: key });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    expect(res.body.contact).toMatchObject({ id: p.contactId, email: p.who.email, name: p.who.name });
    const [conv] = res.body.conversations;
    expect(conv.subject).toBe(`Refund for ${p.who.name}`);
    expect(conv.messages.map((m: { text: string }) => m.text)).toEqual(['Hello', `My secret phrase is kumquat-${p.tag}`]);
    expect(res.body.files).toHaveLength(1);
    expect(Buffer.from(res.body.files[0].base64, 'base64').equals(PNG)).toBe(true);
    const withNotes = await s.req('GET', `/admin/contacts/${p.contactId}/export?includeNotes=true`, { auth: key });
    expect(withNotes.body.conversations[0].messages.some((m: { note: boolean }) => m.note)).toBe(true);
    expect(withNotes.body.contactNotes.map((n: { text: string }) => n.text)).toEqual([
      `${p.who.name} prefers calls; code word kumquat-${p.tag}`,
    ]);
    expect(res.body.contactNotes).toBeUndefined();
    const audit = await s.deps.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', p.contactId)
      .where('action', '=', 'contact.exported')
      .execute();
    expect(audit).toHaveLength(2);
    // Admins only.
    const agentKey = await s.apiKey(['conversations:read', 'contacts:read']);
    expect((await s.req('GET', `/admin/contacts/${p.contactId}/export`, { auth: agentKey })).status).toBe(403);
  });

  it('erases a contact: no trace in any table or in the upload store, counts kept, audited without the data', async () => {
    const p = await person();
    const websiteToken = (await s.req('GET', '/inboxes', { auth: key })).body.data.find(
      (i: { id: string }) => i.id === s.inboxId,
    ).websiteToken;
    await newVisitor(s.url, websiteToken);
    await s.settle();
    // Before: the person is in several tables (contacts, messages, conversations, outbox, audit...).
    for (const needle of [p.who.email, p.who.name, `kumquat-${p.tag}`])
      expect((await tablesMentioning(needle)).length).toBeGreaterThan(1);
    expect(await stored(p.file.id)).toBe(true);

    const res = await s.req('POST', `/admin/contacts/${p.contactId}/erase`, { auth: key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ contactId: p.contactId, conversations: 1, messages: 3, attachments: 1, contactNotes: 1 });

    for (const needle of [p.who.email, p.who.name, p.who.phone, `kumquat-${p.tag}`])
      expect(await tablesMentioning(needle), needle).toEqual([]);
    expect(await stored(p.file.id)).toBe(false);
    expect(await stored(`${p.file.id}.json`)).toBe(false);
    expect((await fetch(p.file.url)).status).toBe(404);
    // Aggregates stay: the conversation and its three messages still count.
    const conv = await s.deps.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', p.conversationId)
      .executeTakeFirstOrThrow();
    expect(conv.redacted_at).not.toBeNull();
    const count = await s.deps.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('conversation_id', '=', p.conversationId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
    // The tombstone: the contact's id is there, erased, and nothing identifying is.
    const contact = await s.deps.db.selectFrom('contacts').selectAll().where('id', '=', p.contactId).executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ name: null, email: null, phone: null, external_id: null });
    expect(contact.erased_at).not.toBeNull();
    // A mail or API call with the same address later makes a new contact; the tombstone is never reused.
    const again = await s.req('POST', '/conversations', {
      auth: key,
      body: { inboxId: s.inboxId, contact: { email: p.who.email }, message: { body: 'hello again' } },
    });
    expect(again.status).toBe(201);
    expect(again.body.contactId).not.toBe(p.contactId);
    // The audit keeps that an erasure happened (counts only); erasing again is harmless.
    const erased = await s.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'contact.erased')
      .where('entity_id', '=', p.contactId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(erased.after)).not.toContain(p.who.email);
    expect((await s.req('POST', `/admin/contacts/${p.contactId}/erase`, { auth: key })).status).toBe(200);
    expect((await s.req('POST', `/admin/contacts/${crypto.randomUUID()}/erase`, { auth: key })).status).toBe(404);
  });

  it("erasure reaches the portal, push, SMS copies, agents' notifications and the visit details; an SMS opt-out stays", async () => {
    const p = await person();
    const db = s.deps.db;
    // Rows the portal, push, SMS and notification paths would write for this person, made by hand here
    // (each path has its own suite); every one carries a value to search for afterwards.
    const marks = {
      visit: `https://shop.example/visit-${p.tag}`,
      portalSession: `portal-agent-${p.tag}`,
      portalPassword: `portal-hash-${p.tag}`,
      push: `https://push.example/endpoint-${p.tag}`,
      sms: `sms-text-kumquat-${p.tag}`,
      notification: `notified-${p.tag}`,
    };
    await db
      .updateTable('contacts')
      .set({
        visitor_context: JSON.stringify({ url: marks.visit, browser: 'Firefox', os: 'Linux', seenAt: new Date().toISOString() }),
      })
      .where('id', '=', p.contactId)
      .execute();
    await db
      .insertInto('portal_links')
      .values({ contact_id: p.contactId, email: p.who.email, token_hash: `link-${p.tag}` })
      .execute();
    await db
      .insertInto('portal_sessions')
      .values({
        contact_id: p.contactId,
        token_hash: `session-${p.tag}`,
        via: 'link',
        user_agent: marks.portalSession,
        ip: '203.0.113.9',
        expires_at: new Date(Date.now() + HOUR),
      })
      .execute();
    await db.insertInto('portal_passwords').values({ contact_id: p.contactId, password_hash: marks.portalPassword }).execute();
    await db
      .insertInto('push_subscriptions')
      .values({ contact_id: p.contactId, endpoint: marks.push, p256dh: 'k', auth: 'a' })
      .execute();
    await db.insertInto('contact_notification_prefs').values({ contact_id: p.contactId }).execute();
    await db
      .insertInto('channel_messages')
      .values({
        inbox_id: s.inboxId,
        conversation_id: p.conversationId,
        provider: 'twilio',
        direction: 'in',
        external_id: `SM${p.tag}`,
        from_address: p.who.phone,
        to_address: '+15550000001',
        body: marks.sms,
        status: 'received',
      })
      .execute();
    await db
      .insertInto('notifications')
      .values({
        user_id: s.admin.userId,
        kind: 'message',
        conversation_id: p.conversationId,
        title: `New message from ${p.who.name}`,
        body: marks.notification,
      })
      .execute();
    await db.insertInto('channel_opt_outs').values({ inbox_id: s.inboxId, address: p.who.phone }).execute();
    for (const mark of Object.values(marks)) expect(await tablesMentioning(mark), mark).not.toEqual([]);

    expect((await s.req('POST', `/admin/contacts/${p.contactId}/erase`, { auth: key })).status).toBe(200);
    for (const needle of [p.who.email, p.who.name, `kumquat-${p.tag}`, ...Object.values(marks)])
      expect(await tablesMentioning(needle), needle).toEqual([]);
    // The one place the number stays: the opt-out list, which keeps us from texting it again.
    expect(await tablesMentioning(p.who.phone)).toEqual(['channel_opt_outs']);
    // The SMS copy keeps its shape for delivery counts, without the text or the number.
    const sms = await db
      .selectFrom('channel_messages')
      .selectAll()
      .where('conversation_id', '=', p.conversationId)
      .executeTakeFirstOrThrow();
    expect(sms).toMatchObject({ provider: 'twilio', direction: 'in', status: 'received', body: '', from_address: '' });
    for (const table of [
      'portal_links',
      'portal_sessions',
      'portal_passwords',
      'push_subscriptions',
      'contact_notification_prefs',
    ] as const)
      expect(await db.selectFrom(table).select('contact_id').where('contact_id', '=', p.contactId).execute(), table).toEqual([]);
  });

  it('applies the retention policy in batches as a job, idempotently, with counts on the jobs list', async () => {
    const old = await person();
    const resolved = (await s.req('GET', '/statuses', { auth: key })).body.data.find(
      (st: { category: string }) => st.category === 'resolved',
    );
    expect(
      (await s.req('PATCH', `/conversations/${old.conversationId}`, { auth: key, body: { statusId: resolved.id } })).status,
    ).toBe(200);
    const open = await person();
    const policy = {
      conversations: { afterDays: 30, action: 'anonymize' },
      attachmentsAfterDays: null,
      auditLogAfterDays: 365,
      orphanUploadsAfterHours: 24,
    };
    const put = await s.req('PUT', '/admin/retention', { auth: key, body: policy });
    expect(put.status).toBe(200);
    expect((await s.req('GET', '/admin/retention', { auth: key })).body).toEqual(policy);
    expect((await s.req('PUT', '/admin/retention', { auth: key, body: { ...policy, auditLogAfterDays: 0 } })).status).toBe(400);

    // Ten days on: nothing is old enough.
    clock.set(new Date(Date.now() + 10 * 24 * HOUR));
    let job = (await s.req('POST', '/admin/jobs/apply-retention/run', { auth: key })).body;
    expect(job.lastResult).toMatchObject({ conversationsAnonymized: 0 });
    // Forty days on: the resolved conversation is anonymized, its file deleted; the open one is untouched.
    clock.set(new Date(Date.now() + 40 * 24 * HOUR));
    job = (await s.req('POST', '/admin/jobs/apply-retention/run', { auth: key })).body;
    expect(job.lastStatus).toBe('ok');
    expect(job.lastResult.conversationsAnonymized).toBeGreaterThanOrEqual(1);
    expect(await stored(old.file.id)).toBe(false);
    expect(await stored(open.file.id)).toBe(true);
    const oldMsgs = await s.deps.db
      .selectFrom('messages')
      .select('body_text')
      .where('conversation_id', '=', old.conversationId)
      .execute();
    expect(oldMsgs.every((m) => m.body_text === '')).toBe(true);
    const openMsgs = await s.deps.db
      .selectFrom('messages')
      .select('body_text')
      .where('conversation_id', '=', open.conversationId)
      .execute();
    expect(openMsgs.some((m) => m.body_text.includes(`kumquat-${open.tag}`))).toBe(true);
    // Again (a minute later: a run is once per due time): nothing left to do.
    clock.advanceMinutes(1);
    job = (await s.req('POST', '/admin/jobs/apply-retention/run', { auth: key })).body;
    expect(job.lastResult).toMatchObject({ conversationsAnonymized: 0, attachmentsDeleted: 0 });

    // Delete mode and attachment age: the conversation goes, and the open one's file too (past 20 days).
    await s.req('PUT', '/admin/retention', {
      auth: key,
      body: { ...policy, conversations: { afterDays: 30, action: 'delete' }, attachmentsAfterDays: 20 },
    });
    clock.advanceMinutes(1);
    job = (await s.req('POST', '/admin/jobs/apply-retention/run', { auth: key })).body;
    expect(job.lastResult.conversationsDeleted).toBeGreaterThanOrEqual(1);
    expect(job.lastResult.attachmentsDeleted).toBeGreaterThanOrEqual(1);
    expect(
      await s.deps.db.selectFrom('conversations').select('id').where('id', '=', old.conversationId).executeTakeFirst(),
    ).toBeUndefined();
    expect(await stored(open.file.id)).toBe(false);
    const listed = (await s.req('GET', '/admin/jobs', { auth: key })).body.data.find(
      (j: { name: string }) => j.name === 'apply-retention',
    );
    expect(listed.recentRuns.length).toBeGreaterThanOrEqual(4);
  });

  it('prunes uploads never attached after the policy hours, and keeps attached ones', async () => {
    await s.req('PUT', '/admin/retention', {
      auth: key,
      body: {
        conversations: { afterDays: null, action: 'anonymize' },
        attachmentsAfterDays: null,
        auditLogAfterDays: null,
        orphanUploadsAfterHours: 24,
      },
    });
    const orphan = await upload();
    const kept = await person();
    // A file sent without being bound to its conversation (the first message of a conversation made
    // through the API; a mail's attachments) is still in use: the job asks the messages too.
    const unbound = await upload();
    const viaCreate = await s.req('POST', '/conversations', {
      auth: key,
      body: {
        inboxId: s.inboxId,
        contact: { email: `unbound.${unbound.id.slice(0, 8).toLowerCase()}@example.org` },
        message: {
          body: 'see file',
          attachments: [{ url: unbound.url, name: unbound.name, contentType: unbound.contentType, size: unbound.size }],
        },
      },
    });
    expect(viaCreate.status, viaCreate.text).toBe(201);
    // A macro's file belongs to no conversation and no message, and is in use for as long as the macro.
    const macroFile = await upload();
    const macro = await s.req('POST', '/macros', {
      auth: key,
      body: {
        name: `Price list ${macroFile.id.slice(0, 6)}`,
        body: '<p>Our prices</p>',
        visibility: 'shared',
        attachments: [{ url: macroFile.url, name: macroFile.name, contentType: macroFile.contentType, size: macroFile.size }],
      },
    });
    expect(macro.status, macro.text).toBe(201);
    clock.set(new Date(Date.now() + 2 * HOUR));
    let job = (await s.req('POST', '/admin/jobs/prune-orphan-uploads/run', { auth: key })).body;
    expect(job.lastStatus).toBe('ok');
    expect(await stored(orphan.id)).toBe(true);
    clock.set(new Date(Date.now() + 25 * HOUR));
    job = (await s.req('POST', '/admin/jobs/prune-orphan-uploads/run', { auth: key })).body;
    expect(job.lastResult.deleted).toBeGreaterThanOrEqual(1);
    expect(await stored(orphan.id)).toBe(false);
    expect(await stored(`${orphan.id}.json`)).toBe(false);
    expect(await stored(kept.file.id)).toBe(true);
    expect(await stored(unbound.id)).toBe(true);
    expect(await stored(macroFile.id)).toBe(true);
    if (storage === 'local') expect(existsSync(path.join(dataDir, 'attachments', kept.file.id))).toBe(true);
    else expect(s3!.objects.has(kept.file.id)).toBe(true);
  });
});
