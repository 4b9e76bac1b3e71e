import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectDraft, destroyDrafts } from './helpers/collab';
import { agentSocket, collect, connected } from './helpers/sockets';
import { freshPostgresDatabase, type Session, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Shared reply drafts over /collab (Hocuspocus + Yjs): real providers against the real server.

interface Agent {
  id: string;
  session: Session;
}

async function createAgent(s: TestServer, name: string): Promise<Agent> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@test.autocrm.dev`;
  const password = `pw-${name}-123456`;
  const res = await s.req('POST', '/users', { auth: s.admin, body: { email, name, role: 'agent', password } });
  if (res.status !== 201) throw new Error(res.text);
  return { id: res.body.id, session: await s.login(email, password) };
}

async function newConversation(s: TestServer, subject: string) {
  const res = await s.req('POST', '/conversations', {
    auth: s.admin,
    body: { inboxId: s.inboxId, subject, contact: { name: 'Carla' }, message: { body: `About ${subject}` } },
  });
  if (res.status !== 201) throw new Error(res.text);
  return res.body.id as string;
}

describe('collaborative drafts', () => {
  let s: TestServer;
  let ada: Agent;
  let bob: Agent;
  let otto: Agent;

  beforeAll(async () => {
    s = await startTestServer();
    ada = await createAgent(s, 'Ada Draft');
    bob = await createAgent(s, 'Bob Draft');
    otto = await createAgent(s, 'Otto Draft');
    const members = await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [ada.id, bob.id] } });
    expect(members.status).toBe(200);
  });
  afterAll(async () => {
    destroyDrafts();
    await s?.close();
  });

  it('two agents editing the same draft converge', async () => {
    const id = await newConversation(s, 'Converge');
    const a = connectDraft(s.url, `draft:${id}`, ada.session.cookie);
    const b = connectDraft(s.url, `draft:${id}`, bob.session.cookie);
    await waitFor(() => a.events.synced && b.events.synced);
    a.text.insert(0, 'Hello from Ada. ');
    await waitFor(() => b.text.toString() === 'Hello from Ada. ');
    b.text.insert(b.text.length, 'And Bob.');
    await waitFor(() => a.text.toString() === 'Hello from Ada. And Bob.');
    // Concurrent edits merge the same way on both sides.
    a.text.insert(0, '[A]');
    b.text.insert(0, '[B]');
    await waitFor(() => a.text.toString() === b.text.toString() && a.text.toString().length === 30);
    destroyDrafts();
  });

  it('refuses a connection without a session, from another origin, or to a room the agent cannot see', async () => {
    const id = await newConversation(s, 'Refuse');
    const anon = connectDraft(s.url, `draft:${id}`, undefined);
    await waitFor(() => anon.events.closes > 0);
    expect(anon.events.synced).toBe(false);

    const cross = connectDraft(s.url, `draft:${id}`, ada.session.cookie, 'https://evil.example');
    await waitFor(() => cross.events.closes > 0);
    expect(cross.events.synced).toBe(false);

    const outsider = connectDraft(s.url, `draft:${id}`, otto.session.cookie);
    await waitFor(() => outsider.events.authFailed);
    expect(outsider.events.synced).toBe(false);

    const bogus = connectDraft(s.url, 'draft:not-a-conversation', ada.session.cookie);
    await waitFor(() => bogus.events.authFailed);

    // A member's writes never reach the refused outsider.
    const member = connectDraft(s.url, `draft:${id}`, ada.session.cookie);
    await waitFor(() => member.events.synced);
    member.text.insert(0, 'secret draft');
    await new Promise((r) => setTimeout(r, 200));
    expect(outsider.text.toString()).toBe('');
    destroyDrafts();
  });
});

describe('@mentions', () => {
  let s: TestServer;
  afterAll(async () => {
    await s?.close();
  });

  it('notify the mentioned agents who can see the room, in a note or a reply', async () => {
    s = await startTestServer();
    const ada = await createAgent(s, 'Ada Mention');
    const bob = await createAgent(s, 'Bob Mention');
    const otto = await createAgent(s, 'Otto Mention');
    expect((await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [ada.id, bob.id] } })).status).toBe(
      200,
    );
    const id = await newConversation(s, 'Mentions');
    const bobSocket = agentSocket(s.url, bob.session);
    const ottoSocket = agentSocket(s.url, otto.session);
    const adaSocket = agentSocket(s.url, ada.session);
    try {
      await Promise.all([connected(bobSocket), connected(ottoSocket), connected(adaSocket)]);
      const bobSeen = collect(bobSocket, 'notification');
      const ottoSeen = collect(ottoSocket, 'notification');
      const adaSeen = collect(adaSocket, 'notification');
      const mention = (u: Agent, label: string) =>
        `<span data-type="mention" class="mention" data-id="${u.id}" data-label="${label}">@${label}</span>`;
      const res = await s.req('POST', `/conversations/${id}/messages`, {
        auth: ada.session,
        body: {
          body: `<p>${mention(bob, 'Bob')} and ${mention(otto, 'Otto')} and ${mention(ada, 'Ada')}, look at this</p>`,
          private: true,
        },
      });
      expect(res.status).toBe(201);
      expect(res.body.bodyHtml).toContain(`data-id="${bob.id}"`);
      // Only mentions count here: routing may assign the new room to Bob meanwhile (an "assigned" notification).
      const mentions = (seen: typeof bobSeen) => seen.filter((n) => n.kind === 'mention');
      await waitFor(() => mentions(bobSeen).length === 1);
      expect(mentions(bobSeen)[0]).toMatchObject({ kind: 'mention', conversationId: id, private: true, byId: ada.id });
      expect(mentions(bobSeen)[0]!.title).toContain('Ada Mention mentioned you');
      await s.settle();
      // Otto cannot see this inbox, and Ada does not notify herself.
      expect(mentions(ottoSeen)).toHaveLength(0);
      expect(mentions(adaSeen)).toHaveLength(0);
    } finally {
      for (const so of [bobSocket, ottoSocket, adaSocket]) so.close();
    }
  });
});

describe('collaborative drafts are stored', () => {
  it('a draft survives a server restart', async () => {
    let dir: string | undefined;
    let pg: Awaited<ReturnType<typeof freshPostgresDatabase>> | undefined;
    const opts: Parameters<typeof startTestServer>[0] = {};
    if (process.env.DATABASE_URL) {
      pg = await freshPostgresDatabase(process.env.DATABASE_URL);
      opts.databaseUrl = pg.url;
    } else {
      dir = await mkdtemp(path.join(tmpdir(), 'autocrm-collab-'));
      opts.dataDir = dir;
    }
    try {
      let s = await startTestServer(opts);
      const id = await newConversation(s, 'Restart');
      const a = connectDraft(s.url, `draft:${id}`, s.admin.cookie);
      await waitFor(() => a.events.synced);
      a.text.insert(0, 'Draft that outlives the process');
      await waitFor(async () => {
        const row = await s.deps.db.selectFrom('drafts').select('state').where('conversation_id', '=', id).executeTakeFirst();
        if (!row) return false;
        const d = new Y.Doc();
        Y.applyUpdate(d, new Uint8Array(row.state));
        return d.getText('body').toString() === 'Draft that outlives the process';
      });
      destroyDrafts();
      await s.close();

      s = await startTestServer(opts);
      try {
        const b = connectDraft(s.url, `draft:${id}`, s.admin.cookie);
        await waitFor(() => b.events.synced && b.text.toString() === 'Draft that outlives the process');
        destroyDrafts();
      } finally {
        await s.close();
      }
    } finally {
      destroyDrafts();
      if (dir) await rm(dir, { recursive: true, force: true });
      await pg?.drop();
    }
  }, 60_000);
});

describe.runIf(process.env.DATABASE_URL && process.env.REDIS_URL)('collaborative drafts across processes', () => {
  it('agents connected to two server processes co-edit one draft (Redis)', async () => {
    const pg = await freshPostgresDatabase(process.env.DATABASE_URL!);
    const env = { REDIS_URL: process.env.REDIS_URL!, REDIS_PREFIX: `tc${Date.now().toString(36)}` };
    const one = await startTestServer({ databaseUrl: pg.url, env });
    const two = await startTestServer({ databaseUrl: pg.url, env });
    try {
      const id = await newConversation(one, 'Two processes');
      const a = connectDraft(one.url, `draft:${id}`, one.admin.cookie);
      const b = connectDraft(two.url, `draft:${id}`, two.admin.cookie);
      await waitFor(() => a.events.synced && b.events.synced);
      a.text.insert(0, 'typed on process one');
      await waitFor(() => b.text.toString() === 'typed on process one');
      b.text.insert(b.text.length, ', and on two');
      await waitFor(() => a.text.toString() === 'typed on process one, and on two');
    } finally {
      destroyDrafts();
      await one.close();
      await two.close();
      await pg.drop();
    }
  }, 60_000);
});
