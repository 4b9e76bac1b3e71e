import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, type Session, startTestServer, type TestServer } from './helpers/test-server';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

// A macro carries files: applied, each agent gets their own copy to send with the reply, in any conversation.
describe(`macro attachments (${BACKEND})`, () => {
  let s: TestServer;
  let agent: Session;

  beforeAll(async () => {
    s = await startTestServer();
    const id = (
      await s.req('POST', '/users', {
        auth: s.admin,
        body: { email: 'files.agent@test.autocrm.dev', name: 'Files Agent', role: 'agent', password: 'agent-password-1' },
      })
    ).body.id;
    await s.req('PATCH', `/inboxes/${s.inboxId}`, { auth: s.admin, body: { members: [id] } });
    agent = await s.login('files.agent@test.autocrm.dev', 'agent-password-1');
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

  it('stores the files with the macro, copies them on apply, and the reply carries them in two conversations', async () => {
    const file = await upload(s.admin, 'pricing.png');
    // Someone else's upload cannot be put in a macro.
    const theirs = await upload(agent, 'theirs.png');
    const refused = await s.req('POST', '/macros', {
      auth: s.admin,
      body: { name: 'Not mine', body: '<p>x</p>', visibility: 'shared', attachments: [theirs] },
    });
    expect(refused.status).toBe(400);

    const macro = await s.req('POST', '/macros', {
      auth: s.admin,
      body: { name: 'Price list', body: '<p>Here is our price list.</p>', visibility: 'shared', attachments: [file] },
    });
    expect(macro.status).toBe(201);
    expect(macro.body.attachments).toEqual([{ ...file, size: PNG.length }]);
    // Saving the macro again keeps its file (it is the macro's now, whoever edits it).
    const kept = await s.req('PUT', `/macros/${macro.body.id}`, {
      auth: s.admin,
      body: {
        name: 'Price list',
        body: '<p>Here is our price list!</p>',
        visibility: 'shared',
        attachments: macro.body.attachments,
      },
    });
    expect(kept.status).toBe(200);
    expect(kept.body.attachments).toHaveLength(1);

    for (const subject of ['first', 'second']) {
      const conv = await s.req('POST', '/conversations', {
        auth: s.admin,
        body: { inboxId: s.inboxId, contact: {}, subject, message: { body: 'prices?' } },
      });
      const applied = await s.req('POST', `/conversations/${conv.body.id}/macros/${macro.body.id}/apply`, {
        auth: agent,
        body: {},
      });
      expect(applied.status).toBe(200);
      expect(applied.body.attachments).toHaveLength(1);
      const copy = applied.body.attachments[0];
      expect(copy).toMatchObject({ name: 'pricing.png', contentType: 'image/png', size: PNG.length });
      expect(copy.url).not.toBe(file.url);
      const sent = await s.req('POST', `/conversations/${conv.body.id}/messages`, {
        auth: agent,
        body: { body: applied.body.bodyHtml, attachments: applied.body.attachments },
      });
      expect(sent.status).toBe(201);
      // The same file; links are signed each time they are shown, so only the signature may differ.
      const unsigned = (a: { url: string }) => ({ ...a, url: new URL(a.url).pathname });
      expect(sent.body.attachments.map(unsigned)).toEqual([unsigned(copy)]);
      const bytes = Buffer.from(await (await fetch(copy.url)).arrayBuffer());
      expect(bytes.equals(PNG)).toBe(true);
    }
  });
});
