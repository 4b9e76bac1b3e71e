import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, startTestServer, type TestServer } from './helpers/test-server';

// A profile picture: sniffed image types only, 2 MB at most, served to signed-in colleagues.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe(`profile pictures (${BACKEND})`, () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  const send = (bytes: Uint8Array, type: string, name = 'me.png') => {
    const form = new FormData();
    form.set('file', new File([bytes], name, { type }));
    return fetch(`${s.url}/api/v1/me/avatar`, {
      method: 'POST',
      headers: { cookie: s.admin.cookie, 'x-csrf-token': s.admin.csrfToken },
      body: form,
    });
  };

  it('is stored, shown on the profile and the users list, served to the signed-in, and removed', async () => {
    const res = await send(PNG, 'image/png');
    expect(res.status).toBe(200);
    const profile = (await res.json()) as { avatarUrl: string | null };
    expect(profile.avatarUrl).toMatch(new RegExp(`^/api/v1/users/${s.admin.userId}/avatar\\?v=`));
    const users = await s.req('GET', '/users', { auth: s.admin });
    expect(users.body.data.find((u: { id: string }) => u.id === s.admin.userId).avatarUrl).toBe(profile.avatarUrl);

    const img = await fetch(`${s.url}${profile.avatarUrl}`, { headers: { cookie: s.admin.cookie } });
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await img.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await fetch(`${s.url}${profile.avatarUrl}`)).status).toBe(401);

    const gone = await s.req('DELETE', '/me/avatar', { auth: s.admin });
    expect(gone.body.avatarUrl).toBeNull();
    expect((await fetch(`${s.url}${profile.avatarUrl}`, { headers: { cookie: s.admin.cookie } })).status).toBe(404);
  });

  it('refuses what is not an image by its bytes, other types, and pictures over 2 MB', async () => {
    const fake = await send(Buffer.from('not really a png'), 'image/png');
    expect(fake.status).toBe(415);
    const pdf = await send(Buffer.from('%PDF-1.7\nxx'), 'application/pdf', 'me.pdf');
    expect(pdf.status).toBe(415);
    const big = await send(Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]), 'image/png');
    expect(big.status).toBe(413);
    expect((await s.req('GET', '/me', { auth: s.admin })).body.avatarUrl).toBeNull();
  });
});
