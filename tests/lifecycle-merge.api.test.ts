import type { RoomEvent } from '@autocrm/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentSocket, call, collect, connected, newVisitor, type TestSocket, visitorSocket } from './helpers/sockets';
import { BACKEND, type Session, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Merge and link conversations: nothing lost, the seq promise kept, both rooms' clients end in the survivor.
describe(`merge and link conversations (${BACKEND})`, () => {
  let s: TestServer;
  let websiteToken: string;
  let agent: Session;
  let otherInbox: string;
  const sockets: TestSocket[] = [];
  const track = (so: TestSocket) => {
    sockets.push(so);
    return so;
  };

  beforeAll(async () => {
    s = await startTestServer();
    websiteToken = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data.find(
      (i: { id: string }) => i.id === s.inboxId,
    ).websiteToken;
    const id = (
      await s.req('POST', '/users', {
        auth: s.admin,
        body: { email: 'merge.agent@test.autocrm.dev', name: 'Merge Agent', role: 'agent', password: 'agent-password-1' },
      })
    ).body.id as string;
    expect((await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [id] } })).status).toBe(200);
    otherInbox = (await s.req('POST', '/inboxes', { auth: s.admin, body: { name: 'Not the agent’s', channel: 'api' } })).body.id;
    agent = await s.login('merge.agent@test.autocrm.dev', 'agent-password-1');
  }, 180_000);
  afterAll(async () => {
    for (const so of sockets) so.disconnect();
    await s?.close();
  });

  const messages = async (id: string) =>
    (await s.req('GET', `/conversations/${id}/messages?limit=200`, { auth: s.admin })).body.data as {
      id: string;
      seq: number;
      bodyText: string;
      authorKind: string;
      private: boolean;
      meta?: { mergedFrom?: { number: number } } | null;
    }[];

  it('moves the duplicate’s messages after a system line, closes it with a pointer and moves both rooms’ clients', async () => {
    const v = await newVisitor(s.url, websiteToken);
    const vs = track(visitorSocket(s.url, websiteToken, v.visitorToken));
    await connected(vs);
    const a = await call(vs, 'conversation:start', { clientId: 'merge-a1', body: 'my order is late' });
    const b = await call(vs, 'conversation:start', { clientId: 'merge-b1', body: 'hello? about my order' });
    const primaryId = a.conversationId as string;
    const secondaryId = b.conversationId as string;
    await call(vs, 'message:send', { conversationId: secondaryId, clientId: 'merge-b2', body: 'order 1234' });
    await call(vs, 'message:send', { conversationId: primaryId, clientId: 'merge-a2', body: 'still waiting' });

    // One agent watches the primary, another socket of theirs watches the secondary; the visitor both.
    const inPrimary = track(agentSocket(s.url, agent));
    const inSecondary = track(agentSocket(s.url, agent));
    await Promise.all([connected(inPrimary), connected(inSecondary)]);
    const primaryEvents = collect(inPrimary, 'message');
    const secondaryEvents = collect(inSecondary, 'message');
    const merged = collect(inSecondary, 'conversation:merged');
    const visitorUpdates = collect(vs, 'conversation:updated');
    const visitorEvents = collect(vs, 'message');
    const joinedPrimary = await call(inPrimary, 'room:join', { conversationId: primaryId, lastSeq: 0 });
    expect((await call(inSecondary, 'room:join', { conversationId: secondaryId, lastSeq: 0 })).ok).toBe(true);
    await call(vs, 'room:join', { conversationId: primaryId, lastSeq: 0 });
    await call(vs, 'room:join', { conversationId: secondaryId, lastSeq: 0 });
    const seenBefore = (joinedPrimary.events as RoomEvent[]).map((e) => e.eventSeq);

    const before = { primary: await messages(primaryId), secondary: await messages(secondaryId) };
    const res = await s.req('POST', `/conversations/${primaryId}/merge`, { auth: agent, body: { secondaryId } });
    expect(res.status).toBe(200);
    expect(res.body.movedMessages).toBe(before.secondary.length);
    expect(res.body.secondary.mergedIntoId).toBe(primaryId);
    expect(['closed', 'resolved']).toContain(res.body.secondary.status.category);
    await s.settle();

    // Nothing lost, seq order kept: the primary's old messages keep their seqs, then the system line,
    // then the duplicate's messages in their order, the same ids, marked where they came from.
    const after = await messages(primaryId);
    expect(after.map((m) => m.seq)).toEqual(after.map((_, i) => i + 1));
    expect(after.slice(0, before.primary.length)).toEqual(before.primary);
    const line = after[before.primary.length]!;
    expect(line.authorKind).toBe('system');
    expect(line.bodyText).toContain(`#${res.body.secondary.number}`);
    const moved = after.slice(before.primary.length + 1);
    expect(moved.map((m) => m.id)).toEqual(before.secondary.map((m) => m.id));
    expect(moved.map((m) => m.bodyText)).toEqual(['hello? about my order', 'order 1234']);
    expect(moved.every((m) => m.meta?.mergedFrom?.number === res.body.secondary.number && !m.private)).toBe(true);
    const sec = await messages(secondaryId);
    expect(sec.map((m) => m.bodyText)).toEqual([`This conversation was merged into #${res.body.primary.number}.`]);

    // The primary's live client got every seq without a gap (no resync needed).
    await waitFor(() => primaryEvents.some((e) => e.eventSeq === res.body.primary.lastSeq));
    const live = [...new Set([...seenBefore, ...primaryEvents.map((e) => e.eventSeq)])].sort((x, y) => x - y);
    expect(live).toEqual(after.map((m) => m.seq));
    // The secondary's clients were told, the visitor's widget is sent on, and both now get the primary live.
    await waitFor(() => merged.length === 1 && visitorUpdates.some((u) => u.continuedIn === primaryId));
    expect(merged[0]).toEqual({ conversationId: secondaryId, mergedInto: { id: primaryId, number: res.body.primary.number } });
    await inPrimary.emitWithAck('message:send', { conversationId: primaryId, clientId: 'agent-after', body: 'On it!' });
    await waitFor(() => secondaryEvents.some((e) => e.message.clientId === 'agent-after'));
    await waitFor(() => visitorEvents.some((e) => e.message.clientId === 'agent-after'));

    // Links both ways, an audit entry, and a message to the old conversation continues in the primary.
    const links = await s.req('GET', `/conversations/${secondaryId}/links`, { auth: agent });
    expect(links.body.data).toEqual([expect.objectContaining({ conversationId: primaryId, kind: 'merged_into' })]);
    const back = await s.req('GET', `/conversations/${primaryId}/links`, { auth: agent });
    expect(back.body.data).toEqual([expect.objectContaining({ conversationId: secondaryId, kind: 'merged_from' })]);
    const audit = await s.req('GET', `/audit-log?entityType=conversation&entityId=${secondaryId}`, { auth: s.admin });
    expect(audit.body.data.map((e: { action: string }) => e.action)).toContain('conversation.merged');
    await call(vs, 'message:send', { conversationId: secondaryId, clientId: 'late-1', body: 'one more thing' });
    await s.settle();
    await waitFor(async () => (await messages(primaryId)).some((m) => m.bodyText === 'one more thing'));

    // A second merge of the same duplicate is refused.
    const again = await s.req('POST', `/conversations/${primaryId}/merge`, { auth: agent, body: { secondaryId } });
    expect(again.status).toBe(409);
  });

  it('asks for confirmation across contacts (the moved messages become notes) and never crosses an inbox the agent cannot see', async () => {
    const create = async (inboxId: string, body: string) =>
      (
        await s.req('POST', '/conversations', {
          auth: s.admin,
          body: { inboxId, contact: {}, message: { body } },
        })
      ).body.id as string;
    const primaryId = await create(s.inboxId, 'first customer');
    const secondaryId = await create(s.inboxId, 'second customer, private matter');
    const hiddenId = await create(otherInbox, 'elsewhere');

    const unconfirmed = await s.req('POST', `/conversations/${primaryId}/merge`, { auth: agent, body: { secondaryId } });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body.error.message).toContain('different contacts');
    expect((await messages(secondaryId)).length).toBe(1);

    const hidden = await s.req('POST', `/conversations/${primaryId}/merge`, {
      auth: agent,
      body: { secondaryId: hiddenId, confirmDifferentContact: true },
    });
    expect(hidden.status).toBe(404);
    const hiddenPrimary = await s.req('POST', `/conversations/${hiddenId}/merge`, {
      auth: agent,
      body: { secondaryId, confirmDifferentContact: true },
    });
    expect(hiddenPrimary.status).toBe(404);
    expect((await messages(hiddenId)).length).toBe(1);

    const ok = await s.req('POST', `/conversations/${primaryId}/merge`, {
      auth: agent,
      body: { secondaryId, confirmDifferentContact: true },
    });
    expect(ok.status).toBe(200);
    const moved = (await messages(primaryId)).find((m) => m.bodyText === 'second customer, private matter');
    expect(moved?.private).toBe(true);
  });

  it('links related conversations on both sides and unlinks them', async () => {
    const mk = async () =>
      (await s.req('POST', '/conversations', { auth: s.admin, body: { inboxId: s.inboxId, contact: {} } })).body.id as string;
    const one = await mk();
    const two = await mk();
    const hidden = (await s.req('POST', '/conversations', { auth: s.admin, body: { inboxId: otherInbox, contact: {} } })).body
      .id as string;
    const linked = await s.req('POST', `/conversations/${one}/links`, { auth: agent, body: { linkedId: two } });
    expect(linked.status).toBe(200);
    expect(linked.body.data).toEqual([expect.objectContaining({ conversationId: two, kind: 'related' })]);
    const other = await s.req('GET', `/conversations/${two}/links`, { auth: agent });
    expect(other.body.data).toEqual([expect.objectContaining({ conversationId: one, kind: 'related' })]);
    expect((await s.req('POST', `/conversations/${one}/links`, { auth: agent, body: { linkedId: hidden } })).status).toBe(404);

    const unlinked = await s.req('DELETE', `/conversations/${two}/links/${one}`, { auth: agent });
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.data).toEqual([]);
    expect((await s.req('GET', `/conversations/${one}/links`, { auth: agent })).body.data).toEqual([]);
    expect((await s.req('DELETE', `/conversations/${two}/links/${one}`, { auth: agent })).status).toBe(404);
  });
});
