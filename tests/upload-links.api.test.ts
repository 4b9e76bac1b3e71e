import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadUploadLinkSecret, UploadLinks } from '../server/src/domain/widget/upload-links';
import { call, connected, newVisitor, visitorSocket } from './helpers/sockets';
import { startTestServer, type TestServer } from './helpers/test-server';

// Download links of uploads are signed (HMAC over id and expiry) and expire; rooms sign them afresh
// when they load; with UPLOADS_ORIGIN files are served only from that origin.

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

interface Uploaded {
  url: string;
  name: string;
  contentType: string;
  size: number;
}

async function agentUpload(s: TestServer, name = 'shot.png'): Promise<Uploaded> {
  const form = new FormData();
  form.append('file', new File([new Uint8Array(PNG)], name, { type: 'image/png' }));
  const res = await fetch(`${s.url}/api/v1/uploads`, {
    method: 'POST',
    headers: { cookie: s.admin.cookie, 'x-csrf-token': s.admin.csrfToken },
    body: form,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Uploaded;
}

const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('signed, expiring upload links', () => {
  let s: TestServer;
  let websiteToken: string;

  beforeAll(async () => {
    s = await startTestServer();
    websiteToken = (await s.req('GET', '/inboxes', { auth: s.admin })).body.data.find(
      (i: { id: string }) => i.id === s.inboxId,
    ).websiteToken;
  });
  afterAll(() => s?.close());

  it('a link without, or with a tampered, signature is refused with 403 upload_link_invalid', async () => {
    const a = await agentUpload(s, 'a.png');
    const b = await agentUpload(s, 'b.png');
    const url = new URL(a.url);
    expect(url.searchParams.get('exp')).toMatch(/^\d+$/);
    expect(url.searchParams.get('sig')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const ok = await fetch(a.url);
    expect(ok.status).toBe(200);
    expect(Buffer.from(await ok.arrayBuffer()).equals(PNG)).toBe(true);

    const bare = await fetch(`${url.origin}${url.pathname}`);
    expect(bare.status).toBe(403);
    expect(await errorCode(bare)).toBe('upload_link_invalid');

    const sig = url.searchParams.get('sig')!;
    const flipped = new URL(a.url);
    flipped.searchParams.set('sig', `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`);
    expect(await errorCode(await fetch(flipped))).toBe('upload_link_invalid');

    // A later expiry under the old signature, or the signature moved onto another file, is refused.
    const extended = new URL(a.url);
    extended.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 86_400));
    expect(await errorCode(await fetch(extended))).toBe('upload_link_invalid');
    const moved = new URL(b.url);
    moved.search = url.search;
    const movedRes = await fetch(moved);
    expect(movedRes.status).toBe(403);
    expect(await errorCode(movedRes)).toBe('upload_link_invalid');
  });

  it('an expired link is refused with 403 upload_link_expired', async () => {
    const a = await agentUpload(s);
    const url = new URL(a.url);
    const id = url.pathname.split('/')[2]!;
    // Signed with the server's own secret, an hour ago, for ten minutes.
    const past = new UploadLinks(await loadUploadLinkSecret(s.deps.db), {
      ttlSeconds: 600,
      isOwnOrigin: () => true,
      now: () => Date.now() - 3_600_000,
    });
    const expired = await fetch(past.link(url.origin, id, url.pathname.split('/')[3]!));
    expect(expired.status).toBe(403);
    expect(await errorCode(expired)).toBe('upload_link_expired');
  });

  it('rooms sign stored links afresh: attachments and images in the text, over the API and the socket', async () => {
    const file = await agentUpload(s, 'inline.png');
    const attached = await agentUpload(s, 'attached.png');
    const conv = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: { inboxId: s.inboxId, subject: 'Files', contact: { name: 'Fay' }, message: { body: 'hello' } },
    });
    expect(conv.status).toBe(201);
    const posted = await s.req('POST', `/conversations/${conv.body.id}/messages`, {
      auth: s.admin,
      body: { body: `<p>look <img src="${file.url}" alt="inline"></p>`, attachments: [attached] },
    });
    expect(posted.status).toBe(201);
    // What is stored is made unusable (its signature cut off) to show the links shown are new ones.
    const row = await s.deps.db
      .selectFrom('messages')
      .select(['id', 'body_html', 'attachments'])
      .where('id', '=', posted.body.id)
      .executeTakeFirstOrThrow();
    const strip = (u: string) => u.replace(/\?[^"\s]*/, '');
    await s.deps.db
      .updateTable('messages')
      .set({
        body_html: row.body_html.replace(/(src="[^"?]+)\?[^"]*"/, '$1"'),
        attachments: JSON.stringify(row.attachments.map((a) => ({ ...a, url: strip(a.url) }))) as never,
      })
      .where('id', '=', row.id)
      .execute();
    expect((await fetch(strip(attached.url))).status).toBe(403);

    const listed = await s.req('GET', `/conversations/${conv.body.id}/messages`, { auth: s.admin });
    const msg = listed.body.data.find((m: { id: string }) => m.id === posted.body.id);
    expect(msg.attachments[0].url).toMatch(/\?exp=\d+&sig=/);
    expect((await fetch(msg.attachments[0].url)).status).toBe(200);
    const src = /<img src="([^"]+)"/.exec(msg.bodyHtml)?.[1]?.replace(/&amp;/g, '&');
    expect(src).toMatch(/\?exp=\d+&sig=/);
    expect((await fetch(src!)).status).toBe(200);

    // A visitor of another conversation gets nothing; the conversation's own room replay is signed too.
    const v = await newVisitor(s.url, websiteToken);
    const sock = visitorSocket(s.url, websiteToken, v.visitorToken);
    try {
      await connected(sock);
      const started = await call(sock, 'conversation:start', { clientId: 'f0', body: 'my file' });
      const mine = await agentUpload(s, 'for-visitor.png');
      const sent = await s.req('POST', `/conversations/${started.conversationId}/messages`, {
        auth: s.admin,
        body: { body: 'here you go', attachments: [mine] },
      });
      expect(sent.status).toBe(201);
      await s.deps.db
        .updateTable('messages')
        .set({ attachments: JSON.stringify([{ ...mine, url: strip(mine.url) }]) as never })
        .where('id', '=', sent.body.id)
        .execute();
      const joined = await call(sock, 'room:join', { conversationId: started.conversationId, lastSeq: 0 });
      const event = joined.events.find((e: { message: { id: string } }) => e.message.id === sent.body.id);
      expect(event.message.attachments[0].url).toMatch(/\?exp=\d+&sig=/);
      expect((await fetch(event.message.attachments[0].url)).status).toBe(200);
    } finally {
      sock.close();
    }
  });
});

describe('UPLOADS_ORIGIN', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ env: { UPLOADS_ORIGIN: 'http://files.autocrm.test' } });
  });
  afterAll(() => s?.close());

  const get = (url: string, host: string) =>
    new Promise<{ status: number; location: string | undefined; type: string | undefined }>((resolve, reject) => {
      const u = new URL(url);
      const target = new URL(s.url);
      request({ host: target.hostname, port: target.port, path: u.pathname + u.search, headers: { host } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, location: res.headers.location, type: res.headers['content-type'] });
      })
        .on('error', reject)
        .end();
    });

  it('links point at the uploads origin; the app origin only redirects there', async () => {
    const file = await agentUpload(s);
    expect(file.url.startsWith('http://files.autocrm.test/widget-uploads/')).toBe(true);
    const there = await get(file.url, 'files.autocrm.test');
    expect(there).toMatchObject({ status: 200, type: 'image/png' });
    const here = await get(file.url, new URL(s.url).host);
    expect(here.status).toBe(302);
    expect(here.location).toBe(file.url);
    // Still signed: the uploads origin refuses a bare path as well.
    expect((await get(file.url.split('?')[0]!, 'files.autocrm.test')).status).toBe(403);

    // Images on the uploads origin are kept in messages (an outside image would become a link).
    const conv = await s.req('POST', '/conversations', {
      auth: s.admin,
      body: { inboxId: s.inboxId, subject: 'Origin', contact: { name: 'Ola' }, message: { body: 'hi' } },
    });
    expect(conv.status).toBe(201);
    const posted = await s.req('POST', `/conversations/${conv.body.id}/messages`, {
      auth: s.admin,
      body: { body: `<p><img src="${file.url}" alt="shot"></p>` },
    });
    expect(posted.status).toBe(201);
    const listed = await s.req('GET', `/conversations/${conv.body.id}/messages`, { auth: s.admin });
    const msg = listed.body.data.find((m: { id: string }) => m.id === posted.body.id);
    expect(msg.bodyHtml).toContain('<img src="http://files.autocrm.test/widget-uploads/');
  });
});
