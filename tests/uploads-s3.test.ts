import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Store } from '../server/src/storage/uploads/s3-store';
import { spawnPairOnFreshDatabase } from './helpers/processes';
import { type S3StandIn, startS3StandIn } from './helpers/s3-server';
import { ADMIN, BACKEND, startTestServer, type TestServer } from './helpers/test-server';

// Attachments across hosts: with UPLOADS_S3_* set, a file uploaded through one process is served by
// another, from a bucket on a loopback S3 stand-in that checks every request's SigV4 signature.

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe(`S3 upload storage (${BACKEND})`, () => {
  let s3: S3StandIn;
  beforeAll(async () => {
    s3 = await startS3StandIn();
  });
  afterAll(async () => {
    await s3?.close();
  });

  const store = (secret = s3.secretAccessKey, prefix = '') =>
    new S3Store({
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      region: s3.region,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: secret,
      pathStyle: true,
      prefix,
    });

  it('puts, gets, lists page by page and deletes objects with signed requests', async () => {
    const st = store(undefined, 'unit/');
    for (let i = 0; i < 3; i++) await st.put(`k${i}`, Buffer.from(`v${i}`), 'text/plain');
    expect((await st.get('k1'))?.toString()).toBe('v1');
    expect(await st.get('missing')).toBeUndefined();
    expect(s3.objects.has('unit/k2')).toBe(true);
    const keys: string[] = [];
    for await (const o of st.list()) keys.push(o.key);
    expect(keys.sort()).toEqual(['k0', 'k1', 'k2']);
    await st.delete('k1');
    await st.delete('k1'); // again: not an error
    expect(await st.get('k1')).toBeUndefined();
    expect(s3.refused).toBe(0);
  });

  it('is refused with a wrong secret (the stand-in really checks signatures)', async () => {
    await expect(store('not-the-secret').put('x', Buffer.from('x'), 'text/plain')).rejects.toThrow(/403 SignatureDoesNotMatch/);
    expect(s3.refused).toBeGreaterThan(0);
    expect(s3.objects.has('x')).toBe(false);
  });

  it('serves a file uploaded through one server from another', async () => {
    let a: { url: string };
    let b: { url: string };
    // Download links are signed with the deployment's secret, kept in its database. Two processes on
    // one database share it; two in-process servers with a database each do not, so B signs its own.
    let linkOnB = (url: string) => `${b.url}${new URL(url).pathname}${new URL(url).search}`;
    let stop: () => Promise<void>;
    if (process.env.DATABASE_URL) {
      // Two OS processes on one database, as two hosts behind a load balancer.
      const pair = await spawnPairOnFreshDatabase(s3.env());
      ({ a, b } = pair);
      stop = async () => {
        await pair.a.kill();
        await pair.b.kill();
        await pair.drop();
      };
    } else {
      // PGlite is one process's database: two servers, each with its own database and no shared disk
      // (started in this process: a fresh PGlite process takes too long to boot on a loaded machine).
      const servers = await Promise.all([startTestServer({ env: s3.env() }), startTestServer({ env: s3.env() })]);
      [a, b] = servers as [TestServer, TestServer];
      const other = servers[1] as TestServer;
      linkOnB = (url) => other.deps.uploadLinks.signUrl(`${other.url}${new URL(url).pathname}`);
      stop = async () => {
        for (const s of servers) await s.close();
      };
    }
    try {
      const login = await fetch(`${a.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ADMIN),
      });
      expect(login.status).toBe(200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const form = new FormData();
      form.set('file', new File([PNG], 'dot.png', { type: 'image/png' }));
      const up = await fetch(`${a.url}/api/v1/uploads`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken },
        body: form,
      });
      expect(up.status).toBe(201);
      const { url } = (await up.json()) as { url: string };
      const id = /\/widget-uploads\/([^/]+)\//.exec(url)![1]!;
      expect(s3.objects.get(id)?.body.equals(PNG)).toBe(true);
      expect(s3.objects.has(`${id}.json`)).toBe(true);

      const served = await fetch(linkOnB(url));
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
      expect(s3.refused).toBe(1); // only the wrong-secret request of the test before
    } finally {
      await stop();
    }
  }, 240_000);
});
