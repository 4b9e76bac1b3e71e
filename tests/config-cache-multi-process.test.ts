import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnPairOnFreshDatabase } from './helpers/processes';
import { ADMIN, type Session, waitFor } from './helpers/test-server';

// Cached configuration (server/src/storage/cache) changed through one process is seen by the other:
// the audited change emits `cache.stale`, whichever process dispatches it publishes the keys on Redis,
// and both drop their copy. Two processes behind one Postgres and one Redis.
const enabled = !!process.env.DATABASE_URL && !!process.env.REDIS_URL;

describe.skipIf(!enabled)('config cache across two processes', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let drop: () => Promise<void>;
  let adminA: Session;
  let adminB: Session;

  const login = async (url: string): Promise<Session> => {
    const res = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
    });
    if (res.status !== 200) throw new Error(await res.text());
    const body = (await res.json()) as { csrfToken: string; user: { id: string } };
    return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '', csrfToken: body.csrfToken, userId: body.user.id };
  };
  const req = async (url: string, method: string, path: string, auth?: Session, body?: unknown) => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(auth ? { cookie: auth.cookie, 'x-csrf-token': auth.csrfToken } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const cacheHits = async (url: string) => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return Number(/autocrm_config_cache_reads_total\{outcome="hit"\} (\d+)/.exec(text)?.[1] ?? 0);
  };

  beforeAll(async () => {
    ({ a, b, drop } = await spawnPairOnFreshDatabase());
    adminA = await login(a.url);
    adminB = await login(b.url);
  }, 120_000);

  afterAll(async () => {
    await a?.kill();
    await b?.kill();
    await drop?.();
  });

  it('routing settings saved on A are read on B, which answers from its cache in between', async () => {
    const before = await req(b.url, 'GET', '/routing/settings', adminB);
    expect(before.body.defaultCapacity).toBe(5);
    const hits = await cacheHits(b.url);
    expect((await req(b.url, 'GET', '/routing/settings', adminB)).body.defaultCapacity).toBe(5);
    expect(await cacheHits(b.url)).toBeGreaterThan(hits);

    const put = await req(a.url, 'PUT', '/routing/settings', adminA, { ...before.body, defaultCapacity: 9 });
    expect(put.status).toBe(200);
    await waitFor(async () => (await req(b.url, 'GET', '/routing/settings', adminB)).body.defaultCapacity === 9);
    // And it stays: the new value is what B now keeps.
    expect((await req(b.url, 'GET', '/routing/settings', adminB)).body.defaultCapacity).toBe(9);
  });

  it("an article published in a new language on A adds it to B's help-center locales", async () => {
    expect((await req(b.url, 'GET', '/help/locales')).body.locales).toEqual(['en']);
    const res = await req(a.url, 'POST', '/kb/articles', adminA, {
      slug: 'rechnungen',
      locale: 'de',
      title: 'Rechnungen exportieren',
      body: 'Öffnen Sie Rechnungen und wählen Sie Exportieren.',
      status: 'published',
    });
    expect(res.status).toBe(201);
    await waitFor(async () => (await req(b.url, 'GET', '/help/locales')).body.locales.includes('de'));
  });

  it('a new default status and a required custom field made on A apply to the next ticket opened on B', async () => {
    const inbox = await req(a.url, 'POST', '/inboxes', adminA, { name: 'Cache', channel: 'web' });
    expect(inbox.status).toBe(201);
    const inboxId = inbox.body.id as string;
    const open = (n: number) =>
      req(b.url, 'POST', '/conversations', adminB, {
        inboxId,
        contact: { email: `cache${n}@example.com` },
        subject: `Ticket ${n}`,
      });
    // B reads (and keeps) the default status and the field definitions.
    const first = await open(0);
    expect(first.status).toBe(201);
    expect(first.body.status.name).not.toBe('Triage');

    const triage = await req(a.url, 'POST', '/statuses', adminA, { name: 'Triage', category: 'open' });
    expect(triage.status).toBe(201);
    expect((await req(a.url, 'PATCH', `/statuses/${triage.body.id}`, adminA, { isDefault: true })).status).toBe(200);
    let n = 1;
    await waitFor(async () => (await open(n++)).body.status?.name === 'Triage');

    const field = await req(a.url, 'POST', '/custom-fields', adminA, {
      key: 'order_ref',
      label: 'Order',
      type: 'text',
      required: true,
    });
    expect(field.status).toBe(201);
    await waitFor(async () => (await open(n++)).status === 400);
    const refused = await open(n++);
    expect(refused.body.error.code).toBe('validation_failed');
    expect(refused.body.error.issues).toEqual([{ path: 'customFields.order_ref', message: 'is required' }]);
  });
  it('an API key made on A works on B at once; revoked on A, both refuse it as soon as the revoke answers', async () => {
    const made = await req(a.url, 'POST', '/api-keys', adminA, { name: 'cache', scopes: ['contacts:read'] });
    expect(made.status).toBe(201);
    const useOn = async (url: string) =>
      (await fetch(`${url}/api/v1/contacts`, { headers: { authorization: `Bearer ${made.body.key}` } })).status;
    expect(await useOn(b.url)).toBe(200);
    // B then answers from its cache (once the creation's own invalidation, which may come after B's first
    // read, has passed).
    await waitFor(async () => {
      const hits = await cacheHits(b.url);
      expect(await useOn(b.url)).toBe(200);
      return (await cacheHits(b.url)) > hits;
    });

    expect((await req(a.url, 'DELETE', `/api-keys/${made.body.id}`, adminA)).status).toBe(200);
    // Both processes refuse it as soon as the revoke has answered ("takes effect at once").
    expect(await useOn(a.url)).toBe(401);
    expect(await useOn(b.url)).toBe(401);
  });
});
