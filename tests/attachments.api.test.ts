import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connected, newVisitor, type TestSocket, visitorSocket } from './helpers/sockets';
import { startTestServer, type TestServer } from './helpers/test-server';

// Attachments: content checked against the declared type, long random ids, and only one's own
// uploads attachable, each to one conversation.

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0'), Buffer.alloc(200)]);
EXE.writeUInt32LE(64, 60);
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(120)]);
const HTML = Buffer.from('<!doctype html><html><script>alert(document.cookie)</script></html>');

describe('attachments', () => {
  let s: TestServer;
  let websiteToken: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    s = await startTestServer();
    websiteToken = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data.find(
      (i: { id: string }) => i.id === s.inboxId,
    ).websiteToken;
  });
  afterAll(async () => {
    for (const so of sockets) so.close();
    await s?.close();
  });

  const visitor = async () => {
    const v = await newVisitor(s.url, websiteToken);
    const sock = visitorSocket(s.url, websiteToken, v.visitorToken);
    sockets.push(sock);
    await connected(sock);
    const upload = (contentType: string, body: Buffer, name = 'file') =>
      fetch(`${s.url}/widget-uploads`, {
        method: 'POST',
        headers: {
          'content-type': contentType,
          'x-file-name': name,
          'x-website-token': websiteToken,
          'x-visitor-token': v.visitorToken,
        },
        body: new Uint8Array(body),
      });
    return { sock, upload };
  };
  const agentUpload = (type: string, body: Buffer, name: string) => {
    const form = new FormData();
    form.append('file', new File([new Uint8Array(body)], name, { type }));
    return fetch(`${s.url}/api/v1/uploads`, {
      method: 'POST',
      headers: { cookie: s.admin.cookie, 'x-csrf-token': s.admin.csrfToken },
      body: form,
    });
  };

  it('refuses content that is not its declared type on both upload paths', async () => {
    const { upload } = await visitor();
    for (const [type, body] of [
      ['image/png', HTML],
      ['image/jpeg', EXE],
      ['application/zip', ELF],
      ['application/pdf', PNG],
      ['text/plain', EXE],
      ['text/plain', PNG],
    ] as const) {
      const res = await upload(type, body);
      expect(res.status, `${type}`).toBe(415);
      const agent = await agentUpload(type, body, 'x.bin');
      expect(agent.status, `agent ${type}`).toBe(415);
    }
    const ok = await upload('image/png', PNG, 'dot.png');
    expect(ok.status).toBe(201);
    const text = await upload('text/plain', Buffer.from('order 1234, thank you ✓'), 'note.txt');
    expect(text.status).toBe(201);
    // At least 128 random bits in the id (43 base64url characters = 256 bits).
    const id = /\/widget-uploads\/([^/]+)\//.exec(((await ok.json()) as { url: string }).url)?.[1] ?? '';
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await agentUpload('image/png', PNG, 'shot.png')).status).toBe(201);
  });

  it('accepts only the sender own uploads, each bound to one conversation', async () => {
    const ann = await visitor();
    const ben = await visitor();
    const annConv = await call(ann.sock, 'conversation:start', { clientId: 'a0', body: 'hi from Ann' });
    const annConv2 = await call(ann.sock, 'conversation:start', { clientId: 'a1', body: 'second topic' });
    const benConv = await call(ben.sock, 'conversation:start', { clientId: 'b0', body: 'hi from Ben' });
    const annFile = (await (await ann.upload('image/png', PNG, 'ann.png')).json()) as {
      url: string;
      name: string;
      contentType: string;
      size: number;
    };
    const send = (who: { sock: TestSocket }, conversationId: string, clientId: string, attachment: typeof annFile) =>
      call(who.sock, 'message:send', { conversationId, clientId, body: 'file', attachments: [attachment] });

    // Ben cannot attach Ann's upload by its URL, nor a file from another site.
    const stolen = await send(ben, benConv.conversationId, 'b1', annFile);
    expect(stolen).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const outside = await send(ben, benConv.conversationId, 'b2', { ...annFile, url: 'https://evil.example/x.png' });
    expect(outside).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const forged = await send(ben, benConv.conversationId, 'b3', {
      ...annFile,
      url: annFile.url.replace(/\/widget-uploads\/[^/]+\//, `/widget-uploads/${'A'.repeat(43)}/`),
    });
    expect(forged.ok).toBe(false);

    // Ann attaches it to her conversation; it cannot then move to another one.
    expect((await send(ann, annConv.conversationId, 'a2', annFile)).ok).toBe(true);
    expect((await send(ann, annConv.conversationId, 'a3', annFile)).ok).toBe(true);
    const moved = await send(ann, annConv2.conversationId, 'a4', annFile);
    expect(moved).toMatchObject({ ok: false, error: { code: 'validation_failed' } });

    // Over the API, an agent cannot attach a visitor's upload either.
    const api = await s.req('POST', `/conversations/${benConv.conversationId}/messages`, {
      auth: s.admin,
      body: { body: 'see file', attachments: [annFile] },
    });
    expect(api.status).toBe(400);
  });
});
