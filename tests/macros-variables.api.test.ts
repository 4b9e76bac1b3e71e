import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

// Macros as one server list: variables with explicit missing values, a separate internal-note part,
// shortcuts, and every use counted.
describe(`macro variables, notes and uses (${BACKEND})`, () => {
  let s: TestServer;
  const ok = <T = any>(res: { status: number; body: T; text: string }, status = 200): T => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
    return res.body;
  };

  beforeAll(async () => {
    s = await startTestServer();
    ok(await s.req('POST', '/custom-fields', { auth: s.admin, body: { key: 'plan', label: 'Plan', type: 'text' } }), 201);
  }, 180_000);
  afterAll(async () => {
    await s?.close();
  });

  it('fills contact, conversation, agent and custom-field variables, reports missing ones, posts the note part as a note, counts the use', async () => {
    const macro = ok(
      await s.req('POST', '/macros', {
        auth: s.admin,
        body: {
          name: 'Escalate',
          shortcut: 'esc',
          visibility: 'shared',
          body: '<p>Hi {{contact.first_name | fallback: "there"}}, about #{{conversation.number}} on {{conversation.plan}}: {{agent.first_name}} here. {{contact.company}}</p>',
          note: '<p>Escalated by {{agent.name}} for {{contact.email}}</p>',
          actions: [{ type: 'set_priority', priority: 'high' }],
        },
      }),
      201,
    );
    expect(macro).toMatchObject({ shortcut: 'esc', useCount: 0 });
    expect(macro.noteHtml).toContain('Escalated by');

    const conv = ok(
      await s.req('POST', '/conversations', {
        auth: s.admin,
        body: {
          inboxId: s.inboxId,
          contact: { name: 'Maria Lopez', email: 'maria@example.com' },
          customFields: { plan: 'pro' },
        },
      }),
      201,
    );
    const applied = ok(await s.req('POST', `/conversations/${conv.id}/macros/${macro.id}/apply`, { auth: s.admin, body: {} }));
    expect(applied.bodyHtml).toContain(`Hi Maria, about #${conv.number} on pro:`);
    expect(applied.bodyHtml).not.toContain('{{');
    expect(applied.bodyHtml).not.toContain('Escalated');
    expect(applied.missing).toEqual(['contact.company']);
    expect(applied.note).toMatchObject({
      private: true,
      authorKind: 'agent',
      bodyText: 'Escalated by Admin for maria@example.com',
    });
    expect(applied.conversation.priority).toBe('high');
    const msgs = ok(await s.req('GET', `/conversations/${conv.id}/messages`, { auth: s.admin })).data;
    expect(msgs.filter((m: { private: boolean }) => m.private)).toHaveLength(1);
    expect(msgs.filter((m: { private: boolean }) => !m.private)).toHaveLength(0);

    // A contact without a name gets the fallback, not an empty greeting.
    const anon = ok(await s.req('POST', '/conversations', { auth: s.admin, body: { inboxId: s.inboxId, contact: {} } }), 201);
    const second = ok(await s.req('POST', `/conversations/${anon.id}/macros/${macro.id}/apply`, { auth: s.admin, body: {} }));
    expect(second.bodyHtml).toContain('Hi there,');
    expect(second.missing).toEqual(expect.arrayContaining(['contact.company', 'conversation.plan', 'contact.email']));

    const listed = ok(await s.req('GET', '/macros', { auth: s.admin })).data.find((m: { id: string }) => m.id === macro.id);
    expect(listed.useCount).toBe(2);
    const uses = ok(await s.req('GET', `/macros/${macro.id}/uses`, { auth: s.admin })).data;
    expect(uses.map((u: { conversationId: string }) => u.conversationId).sort()).toEqual([conv.id, anon.id].sort());
    expect(uses.every((u: { userId: string }) => u.userId === s.admin.userId)).toBe(true);
  });

  it('rejects unknown variables and a shortcut already taken, storing nothing', async () => {
    const before = ok(await s.req('GET', '/macros', { auth: s.admin })).data.length;
    const typo = await s.req('POST', '/macros', {
      auth: s.admin,
      body: { name: 'Typo', visibility: 'shared', body: '<p>Hi {{contcat.name}}</p>' },
    });
    expect(typo.status).toBe(400);
    expect(typo.body.error.issues[0]).toMatchObject({ path: 'body' });
    ok(
      await s.req('POST', '/macros', { auth: s.admin, body: { name: 'One', visibility: 'shared', shortcut: 'dup', body: 'x' } }),
      201,
    );
    const dup = await s.req('POST', '/macros', {
      auth: s.admin,
      body: { name: 'Two', visibility: 'shared', shortcut: 'dup', body: 'y' },
    });
    expect(dup.status).toBe(400);
    expect(dup.body.error.issues[0]).toMatchObject({ path: 'shortcut' });
    const bad = await s.req('POST', '/macros', { auth: s.admin, body: { name: 'Bad', shortcut: 'Has Space', body: 'z' } });
    expect(bad.status).toBe(400);
    expect(ok(await s.req('GET', '/macros', { auth: s.admin })).data.length).toBe(before + 1);
  });
});
