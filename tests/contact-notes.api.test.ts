import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

// Internal notes about a contact: written by an agent (who and when kept), newest first, audited; bad
// input stores nothing; only the author or an admin deletes one; an agent outside the contact's inboxes
// neither reads nor writes them; merging two contacts keeps the duplicate's notes on the survivor.
// (Erasure deleting them: tests/privacy.api.test.ts searches every table after an erasure.)

let s: TestServer;
let agent: Awaited<ReturnType<TestServer['login']>>;
let outsider: Awaited<ReturnType<TestServer['login']>>;

const contactIn = async (inboxId: string, name: string) => {
  const res = await s.req('POST', '/conversations', {
    auth: s.admin,
    body: { inboxId, contact: { name }, message: { body: 'Hello' } },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.contactId as string;
};

describe(`contact notes (${BACKEND})`, () => {
  beforeAll(async () => {
    s = await startTestServer();
    for (const [email, name] of [
      ['nina@test.autocrm.dev', 'Nina Notes'],
      ['otto@test.autocrm.dev', 'Otto Outside'],
    ] as const) {
      const u = await s.req('POST', '/users', {
        auth: s.admin,
        body: { email, name, role: 'agent', password: 'pw-notes-123456' },
      });
      expect(u.status, u.text).toBe(201);
      if (email.startsWith('nina'))
        expect((await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [u.body.id] } })).status).toBe(
          200,
        );
    }
    agent = await s.login('nina@test.autocrm.dev', 'pw-notes-123456');
    outsider = await s.login('otto@test.autocrm.dev', 'pw-notes-123456');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('keeps who wrote a note and when, lists newest first, audits it, and refuses bad input without storing', async () => {
    const contactId = await contactIn(s.inboxId, 'Clara Customer');
    const first = await s.req('POST', `/contacts/${contactId}/notes`, { auth: agent, body: { body: '  Prefers phone calls  ' } });
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({
      contactId,
      body: 'Prefers phone calls',
      author: { id: agent.userId, name: 'Nina Notes' },
    });
    expect(Date.now() - Date.parse(first.body.createdAt)).toBeLessThan(60_000);
    const second = await s.req('POST', `/contacts/${contactId}/notes`, { auth: s.admin, body: { body: 'VIP since 2021' } });
    expect(second.status).toBe(201);

    const list = await s.req('GET', `/contacts/${contactId}/notes`, { auth: agent });
    expect(list.status).toBe(200);
    expect(list.body.data.map((n: { body: string }) => n.body)).toEqual(['VIP since 2021', 'Prefers phone calls']);

    for (const body of [{ body: '   ' }, { body: 'x'.repeat(5001) }, { text: 'wrong field' }, {}]) {
      const bad = await s.req('POST', `/contacts/${contactId}/notes`, { auth: agent, body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error.code).toBe('validation_failed');
    }
    expect((await s.req('GET', `/contacts/${contactId}/notes`, { auth: agent })).body.data).toHaveLength(2);

    const audit = await s.deps.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('entity_id', '=', contactId)
      .where('action', 'like', 'contact.note%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['contact.note_added', 'contact.note_added']);
    expect(audit[0]!.actor).toBe(`user:${agent.userId}`);
  });

  it('lets only the author or an admin delete a note, and hides notes from agents outside the contact’s inboxes', async () => {
    const contactId = await contactIn(s.inboxId, 'Dora Delete');
    const byAdmin = await s.req('POST', `/contacts/${contactId}/notes`, { auth: s.admin, body: { body: 'Admin wrote this' } });
    const byAgent = await s.req('POST', `/contacts/${contactId}/notes`, { auth: agent, body: { body: 'Agent wrote this' } });
    const del = (id: string, auth: typeof agent) => s.req('DELETE', `/contacts/${contactId}/notes/${id}`, { auth });
    expect((await del(byAdmin.body.id, agent)).status).toBe(403);
    expect((await del(byAgent.body.id, agent)).status).toBe(204);
    expect((await del(byAgent.body.id, agent)).status).toBe(404);
    expect((await del(byAdmin.body.id, s.admin)).status).toBe(204);
    expect((await s.req('GET', `/contacts/${contactId}/notes`, { auth: agent })).body.data).toEqual([]);

    const hidden = await contactIn(
      (await s.req('POST', '/inboxes', { auth: s.admin, body: { name: 'VIP', channel: 'web' } })).body.id,
      'Hilda Hidden',
    );
    await s.req('POST', `/contacts/${hidden}/notes`, { auth: s.admin, body: { body: 'Secret VIP note' } });
    expect((await s.req('GET', `/contacts/${hidden}/notes`, { auth: outsider })).status).toBe(404);
    expect((await s.req('POST', `/contacts/${hidden}/notes`, { auth: outsider, body: { body: 'x' } })).status).toBe(404);
    expect((await s.req('GET', `/contacts/${hidden}/notes`, { auth: agent })).status).toBe(404);
  });

  it('moves the duplicate’s notes to the survivor when two contacts merge', async () => {
    const survivor = await contactIn(s.inboxId, 'Mia Merge');
    const duplicate = await contactIn(s.inboxId, 'Mia M.');
    await s.req('POST', `/contacts/${survivor}/notes`, { auth: agent, body: { body: 'On the survivor' } });
    await s.req('POST', `/contacts/${duplicate}/notes`, { auth: agent, body: { body: 'On the duplicate' } });
    const merged = await s.req('POST', `/contacts/${survivor}/merge`, { auth: s.admin, body: { duplicateId: duplicate } });
    expect(merged.status, merged.text).toBe(200);
    const notes = (await s.req('GET', `/contacts/${survivor}/notes`, { auth: agent })).body.data.map(
      (n: { body: string }) => n.body,
    );
    expect(notes.sort()).toEqual(['On the duplicate', 'On the survivor']);
  });
});
