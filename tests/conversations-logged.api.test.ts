import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, type Session, startTestServer, type TestServer } from './helpers/test-server';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

// An agent logs a phone call or a walk-in as a conversation (its own channel, the summary as a note),
// and /conversations/start takes files with the first message (an agent's uploads or a macro's copies).
describe(`logged calls and visits, files on started conversations (${BACKEND})`, () => {
  let s: TestServer;
  let agent: Session;

  beforeAll(async () => {
    s = await startTestServer();
    const id = (
      await s.req('POST', '/users', {
        auth: s.admin,
        body: { email: 'caller@test.autocrm.dev', name: 'Cal Caller', role: 'agent', password: 'agent-password-1' },
      })
    ).body.id;
    await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [id] } });
    agent = await s.login('caller@test.autocrm.dev', 'agent-password-1');
  }, 180_000);
  afterAll(async () => {
    await s?.close();
  });

  const upload = async (session: Session, name: string) => {
    const form = new FormData();
    form.append('file', new File([new Uint8Array(PNG)], name, { type: 'image/png' }));
    const res = await fetch(`${s.url}/api/v1/uploads`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      body: form,
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { url: string; name: string; contentType: string; size: number };
  };

  it('logs a phone call with a new contact: channel phone, the summary an internal note, assigned to the agent, listed', async () => {
    const res = await s.req('POST', '/conversations/start', {
      auth: agent,
      body: {
        inboxId: s.inboxId,
        loggedVia: 'phone',
        contact: { name: 'Pat Phone', phone: '+4915112345678' },
        subject: 'Called about the invoice',
        body: '<p>Customer called: invoice 42 was charged twice. Promised a refund by Friday.</p>',
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ channel: 'phone', assigneeId: agent.userId, owner: 'human' });
    const msgs = (await s.req('GET', `/conversations/${res.body.id}/messages?includePrivate=true`, { auth: agent })).body.data;
    expect(msgs.map((m: { authorKind: string; private: boolean }) => [m.authorKind, m.private])).toEqual([['agent', true]]);
    expect(msgs[0].bodyText).toContain('charged twice');
    // The list shows it with its channel; the room (GET one) too.
    const list = (await s.req('GET', '/conversations?limit=50', { auth: agent })).body.data as { id: string; channel: string }[];
    expect(list.find((c) => c.id === res.body.id)?.channel).toBe('phone');
    expect((await s.req('GET', `/conversations/${res.body.id}`, { auth: agent })).body.channel).toBe('phone');

    // A walk-in with an existing contact.
    const walk = await s.req('POST', '/conversations/start', {
      auth: agent,
      body: {
        inboxId: s.inboxId,
        loggedVia: 'walk_in',
        contactId: res.body.contactId,
        body: 'Came by the shop to return a kettle.',
      },
    });
    expect(walk.status, walk.text).toBe(201);
    expect(walk.body.channel).toBe('walk_in');
    expect(walk.body.contactId).toBe(res.body.contactId);
    // A conversation started without loggedVia keeps the inbox's channel.
    const bad = await s.req('POST', '/conversations/start', {
      auth: agent,
      body: { inboxId: s.inboxId, loggedVia: 'fax', contact: { name: 'x' }, body: 'x' },
    });
    expect(bad.status).toBe(400);
  });

  it('sends files with the first message of a started conversation; others’ or used files are refused', async () => {
    const mine = await upload(agent, 'receipt.png');
    const theirs = await upload(s.admin, 'not-yours.png');
    const refused = await s.req('POST', '/conversations/start', {
      auth: agent,
      body: { inboxId: s.inboxId, loggedVia: 'phone', contact: { name: 'F' }, body: 'x', attachments: [theirs] },
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('attachments.0');

    const res = await s.req('POST', '/conversations/start', {
      auth: agent,
      body: {
        inboxId: s.inboxId,
        loggedVia: 'walk_in',
        contact: { name: 'Rita Receipt' },
        body: 'Brought the receipt.',
        attachments: [mine],
      },
    });
    expect(res.status, res.text).toBe(201);
    const msgs = (await s.req('GET', `/conversations/${res.body.id}/messages?includePrivate=true`, { auth: agent })).body.data;
    expect(msgs[0].attachments).toHaveLength(1);
    expect(msgs[0].attachments[0]).toMatchObject({ name: 'receipt.png', contentType: 'image/png' });
    // The file now belongs to that conversation: it cannot start another one.
    const again = await s.req('POST', '/conversations/start', {
      auth: agent,
      body: { inboxId: s.inboxId, loggedVia: 'walk_in', contact: { name: 'Again' }, body: 'x', attachments: [mine] },
    });
    expect(again.status).toBe(400);
  });
});
