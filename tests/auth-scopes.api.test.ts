import { randomBytes, randomUUID } from 'node:crypto';
import { ROLE_SCOPES, type Role, SCOPES, type Scope } from '@autocrm/shared';
import { describe, expect, it } from 'vitest';
import { createUser, isSignedIn, s, unique, useAuthServer } from './helpers/auth-server';
import { BACKEND, type Session } from './helpers/test-server';

// API-key scopes, role scopes and inbox membership. Sessions, CSRF and the login limit are in
// tests/auth-sessions.api.test.ts.

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** At most `n` requests in flight: a thousand at once can reset connections on a busy machine. */
function limiter(n: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    while (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
const inFlight = limiter(32);

/** The scope each family of routes must need (undefined: no rule for this path). */
function expectedScope(method: string, path: string): string | undefined {
  const read = method === 'GET';
  // Signing in and the ends of mailed links are public (each step carries its own proof).
  if (path === '/auth/login' || /^\/auth\/(login\/|invitations|password-reset)/.test(path)) return undefined;
  if (path.startsWith('/auth/')) return 'user';
  if (path.startsWith('/help/')) return undefined;
  if (path.startsWith('/kb/')) return read ? 'kb:read' : 'kb:write';
  if (path.startsWith('/conversations')) return read ? 'conversations:read' : 'conversations:write';
  // Files for replies (images pasted into the editor).
  if (path.startsWith('/uploads')) return 'conversations:write';
  if (path.startsWith('/contacts') || path.startsWith('/companies')) return read ? 'contacts:read' : 'contacts:write';
  if (path.startsWith('/webhook')) return 'webhooks:manage';
  if (path.startsWith('/api-keys') || path.startsWith('/audit-log')) return 'admin';
  // Widget settings carry the identity-verification secret: admins only, even to read.
  if (/^\/inboxes\/[^/]+\/widget/.test(path)) return 'admin';
  // An inbox's email, SMS, WhatsApp and Messenger settings hold its own credentials, and its test send
  // and bot switch are settings too: admins only, even to read.
  if (/^\/inboxes\/[^/]+\/(email|sms|whatsapp|messenger|messaging-bot)/.test(path)) return 'admin';
  // An inbox's lifecycle settings (reopen window, auto-resolve) are edited on an admin's settings page.
  if (/^\/inboxes\/[^/]+\/lifecycle/.test(path)) return 'admin';
  // A signed-in person's own notifications, preferences and push subscriptions.
  if (['/notifications', '/me/notification', '/me/push', '/push/'].some((p) => path.startsWith(p))) return 'user';
  // Profile pictures: for signed-in people (the workspace shows them), not for API keys.
  if (/^\/users\/[^/]+\/avatar$/.test(path) || path === '/me/avatar') return 'user';
  // Proactive messages go to customers: an admin's job.
  if (path.startsWith('/announcements')) return 'admin';
  // The customer portal's look (logo, colour) and the inbox its tickets open in.
  if (path.startsWith('/portal-settings')) return 'admin';
  // Scheduled maintenance is an admin's view of the whole installation.
  if (path.startsWith('/admin/')) return 'admin';
  // A signed-in person's own workspace: presence board and saved views (sharing is checked in the domain).
  if (path.startsWith('/presence') || path.startsWith('/views')) return 'conversations:read';
  // Macros: reading is working conversations, writing too (shared ones need a supervisor; checked in the domain).
  if (path.startsWith('/macros')) return read ? 'conversations:read' : 'conversations:write';
  if (['/users', '/inboxes', '/tags', '/statuses', '/custom-fields'].some((p) => path.startsWith(p))) {
    return read ? 'conversations:read' : 'admin';
  }
  // Routing settings: reading them is part of working conversations, changing them is an admin's job.
  const routing = ['/teams', '/skills', '/routing', '/sla-policies'];
  if (routing.some((p) => path.startsWith(p))) return read ? 'conversations:read' : 'admin';
  return undefined;
}

describe(`auth, sessions and API-key scopes (${BACKEND})`, () => {
  useAuthServer();

  // Promise: the OpenAPI document names the scope of every operation, and that scope is exactly what
  // the guard enforces: for every operation and every single-scope key, the key gets through iff it
  // holds the operation's scope or `admin`; session-only operations refuse every API key.
  // Nine keys over every operation (about 2,000 requests): a minute or more on a loaded machine.
  it('enforces exactly the x-required-scope of every operation for every scope', async () => {
    const doc = (await s.req('GET', '/openapi.json')).body;
    const ops: { method: string; path: string; scope: string | undefined }[] = [];
    for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        // The customer portal is not agents' API: its own session, no scopes (tests/portal.api.test.ts).
        if (path.startsWith('/portal/')) {
          expect(op['x-required-scope'], `${method} ${path}`).toBeUndefined();
          continue;
        }
        ops.push({ method: method.toUpperCase(), path, scope: op['x-required-scope'] as string | undefined });
      }
    }
    expect(ops.length).toBeGreaterThan(30);
    // Only sign-in (its steps carry their own proof: a challenge, an invitation or reset token), the
    // widget's transcript request and the widget's own API (website and visitor tokens; served at
    // /widget-api/v1, documented here too) and the help center's published articles are public;
    // everything else names a scope or `user`.
    expect(ops.filter((o) => o.scope === undefined && !o.path.startsWith('/help/')).map((o) => `${o.method} ${o.path}`)).toEqual([
      'POST /auth/login',
      'POST /auth/login/two-factor',
      'POST /auth/login/enrol/start',
      'POST /auth/login/enrol',
      'GET /auth/invitations/{token}',
      'POST /auth/invitations/accept',
      'POST /auth/password-reset',
      'POST /auth/password-reset/complete',
      'POST /email/transcript',
      'POST /widget-api/v1/visitors',
      'GET /widget-api/v1/config',
      'POST /widget-api/v1/context',
      'POST /widget-api/v1/profile',
      'POST /widget-api/v1/help/suggestions',
      'POST /widget-api/v1/csat',
      'GET /widget-api/v1/push/key',
      'POST /widget-api/v1/push/subscribe',
      'POST /widget-api/v1/announcements',
      'POST /widget-api/v1/announcements/{id}/dismiss',
      'POST /widget-api/v1/tickets',
      'POST /widget-api/v1/tickets/{id}',
    ]);
    expect(ops.filter((o) => o.path.startsWith('/help/')).every((o) => o.scope === undefined)).toBe(true);
    for (const o of ops) if (o.scope !== undefined) expect([...SCOPES, 'user'], `${o.method} ${o.path}`).toContain(o.scope);
    // The declared scopes follow the product's rules, so a route cannot slip into a weaker scope.
    for (const o of ops) {
      const expected = expectedScope(o.method, o.path);
      if (expected) expect(o.scope, `${o.method} ${o.path}`).toBe(expected);
    }
    // Every scope guards at least one operation.
    for (const scope of SCOPES)
      expect(
        ops.some((o) => o.scope === scope),
        scope,
      ).toBe(true);

    const keys = new Map<Scope, string>();
    for (const scope of SCOPES) keys.set(scope, await s.apiKey([scope]));

    const call = (o: (typeof ops)[number], auth: string | Session) =>
      s.req(
        o.method,
        o.path.replace(/\{[^}]+\}/g, () => randomUUID()),
        {
          auth,
          ...(WRITE_METHODS.has(o.method) ? { body: {} } : {}),
        },
      );

    const wrong: string[] = [];
    await Promise.all(
      ops
        .filter((o) => o.scope !== undefined)
        .flatMap((o) =>
          SCOPES.map(async (scope) => {
            const res = await inFlight(() => call(o, keys.get(scope)!));
            const label = `${o.method} ${o.path} (needs ${o.scope}) with a ${scope} key: ${res.status} ${res.body?.error?.code ?? ''}`;
            if (o.scope === 'user') {
              if (res.status !== 401 || res.body.error.code !== 'unauthenticated') wrong.push(label);
            } else if (scope === o.scope || scope === 'admin') {
              if (res.status === 401 || res.status === 403 || res.status >= 500) wrong.push(label);
            } else if (res.status !== 403 || res.body.error.code !== 'insufficient_scope') {
              wrong.push(label);
            }
          }),
        ),
    );
    expect(wrong).toEqual([]);
  }, 240_000);

  // Promise: a session acts with its role's scopes (ROLE_SCOPES), checked over the same operations;
  // an agent cannot reach admin operations such as creating API keys.
  it('bounds sessions by the scopes of their role', async () => {
    const doc = (await s.req('GET', '/openapi.json')).body;
    const sessions: Record<Role, Session> = {
      admin: s.admin,
      supervisor: await (async () => {
        const u = await createUser(s, 'supervisor');
        return s.login(u.email, u.password);
      })(),
      agent: await (async () => {
        const u = await createUser(s, 'agent');
        return s.login(u.email, u.password);
      })(),
    };
    const wrong: string[] = [];
    const checks: Promise<void>[] = [];
    for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const scope = op['x-required-scope'] as Scope | 'user' | undefined;
        if (scope === undefined || scope === 'user') continue; // login/logout/password: covered above
        for (const role of ['admin', 'supervisor', 'agent'] as const) {
          checks.push(
            (async () => {
              const res = await inFlight(() =>
                s.req(
                  method.toUpperCase(),
                  path.replace(/\{[^}]+\}/g, () => randomUUID()),
                  {
                    auth: sessions[role],
                    ...(WRITE_METHODS.has(method.toUpperCase()) ? { body: {} } : {}),
                  },
                ),
              );
              const allowed = ROLE_SCOPES[role].includes(scope) || ROLE_SCOPES[role].includes('admin');
              const label = `${method.toUpperCase()} ${path} (needs ${scope}) as ${role}: ${res.status} ${res.body?.error?.code ?? ''}`;
              if (
                allowed
                  ? res.status === 401 || res.status === 403 || res.status >= 500
                  : res.body?.error?.code !== 'insufficient_scope'
              )
                wrong.push(label);
            })(),
          );
        }
      }
    }
    await Promise.all(checks);
    expect(wrong).toEqual([]);

    const byAgent = await s.req('POST', '/api-keys', {
      auth: sessions.agent,
      body: { name: 'sneaky', scopes: ['conversations:read'] },
    });
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.error.code).toBe('insufficient_scope');
    // The sessions used above are still signed in (none of the {} writes hit a session-only route).
    expect(await isSignedIn(sessions.agent)).toBe(200);
  });

  // Promise: a read-only key cannot write, and its refused write stores nothing.
  it('keeps a conversations:read key from writing', async () => {
    const key = await s.apiKey(['conversations:read']);
    const subject = unique('readonly');
    const res = await s.req('POST', '/conversations', { auth: key, body: { inboxId: s.inboxId, subject } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('insufficient_scope');
    const found = await s.req('GET', `/conversations?q=${subject}`, { auth: key });
    expect(found.status).toBe(200);
    expect(found.body.data).toEqual([]);
    const existing = (await s.req('POST', '/conversations', { auth: s.admin, body: { inboxId: s.inboxId, subject } })).body;
    const patch = await s.req('PATCH', `/conversations/${existing.id}`, { auth: key, body: { priority: 'urgent' } });
    expect(patch.status).toBe(403);
    expect((await s.req('GET', `/conversations/${existing.id}`, { auth: key })).body.priority).toBe('normal');
  });

  // Promise: keys are shown once; the list shows only a prefix, records use, and revocation bites on
  // the very next request. Unknown or malformed bearer tokens are refused, never treated as anonymous.
  it('lists keys without the secret, records use, and refuses revoked or unknown keys', async () => {
    const created = await s.req('POST', '/api-keys', {
      auth: s.admin,
      body: { name: unique('revokable'), scopes: ['contacts:read'] },
    });
    expect(created.status).toBe(201);
    const { id, key, prefix } = created.body as { id: string; key: string; prefix: string };
    expect(key).toMatch(/^ak_/);
    expect(key.startsWith(prefix)).toBe(true);
    expect(prefix.length).toBeLessThan(key.length);

    const listed = async () => {
      const res = await s.req('GET', '/api-keys', { auth: s.admin });
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(key);
      for (const k of res.body.data) expect(k).not.toHaveProperty('key');
      return res.body.data.find((k: { id: string }) => k.id === id);
    };
    const before = await listed();
    expect(before).toMatchObject({ prefix, scopes: ['contacts:read'], lastUsedAt: null, revokedAt: null });

    expect((await s.req('GET', '/contacts', { auth: key })).status).toBe(200);
    const used = await listed();
    expect(used.lastUsedAt).not.toBeNull();
    expect(Date.parse(used.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(before.createdAt));

    const revoked = await s.req('DELETE', `/api-keys/${id}`, { auth: s.admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const refused = await s.req('GET', '/contacts', { auth: key });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthenticated');
    expect((await listed()).revokedAt).not.toBeNull();

    for (const bad of ['garbage', `ak_${randomBytes(32).toString('base64url')}`, prefix]) {
      const res = await s.req('GET', '/contacts', { auth: bad });
      expect(res.status, bad).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
    // A malformed Authorization header is refused too, even alongside a valid session cookie.
    const malformed = await s.req('GET', '/contacts', { auth: s.admin, headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect(malformed.status).toBe(401);
    const badKeyWithCookie = await s.req('GET', '/contacts', { auth: s.admin, headers: { authorization: 'Bearer garbage' } });
    expect(badKeyWithCookie.status).toBe(401);
  });

  // Promise: keys can only carry known scopes; an admin (session or admin key) may grant any of them.
  it('creates keys only with known scopes, any of them for an admin', async () => {
    const unknownScope = await s.req('POST', '/api-keys', { auth: s.admin, body: { name: 'x', scopes: ['superuser'] } });
    expect(unknownScope.status).toBe(400);
    const noScope = await s.req('POST', '/api-keys', { auth: s.admin, body: { name: 'x', scopes: [] } });
    expect(noScope.status).toBe(400);
    const all = await s.req('POST', '/api-keys', { auth: s.admin, body: { name: 'all', scopes: [...SCOPES] } });
    expect(all.status).toBe(201);
    expect([...all.body.scopes].sort()).toEqual([...SCOPES].sort());
    const adminKey = await s.apiKey(['admin']);
    const byKey = await s.req('POST', '/api-keys', { auth: adminKey, body: { name: 'child', scopes: ['webhooks:manage'] } });
    expect(byKey.status).toBe(201);
    // A non-admin key cannot mint keys, not even with its own scope.
    const readKey = await s.apiKey(['conversations:read']);
    const byReadKey = await s.req('POST', '/api-keys', {
      auth: readKey,
      body: { name: 'child', scopes: ['conversations:read'] },
    });
    expect(byReadKey.status).toBe(403);
    expect(byReadKey.body.error.code).toBe('insufficient_scope');
  });

  // Promise: agents see only conversations in inboxes they are members of (hidden ones are 404, not
  // 403, and cannot be touched); supervisors see every inbox.
  it('limits agents to the inboxes they belong to', async () => {
    const agentUser = await createUser(s, 'agent');
    const supervisorUser = await createUser(s, 'supervisor');
    const inbox = await s.req('POST', '/inboxes', {
      auth: s.admin,
      body: { name: unique('Agent inbox'), channel: 'web', members: [agentUser.id] },
    });
    expect(inbox.status).toBe(201);
    expect(inbox.body.members).toEqual([agentUser.id]);
    const tag = unique('vis').toLowerCase();
    const mine = (
      await s.req('POST', '/conversations', {
        auth: s.admin,
        body: { inboxId: inbox.body.id, subject: 'member inbox', tags: [tag] },
      })
    ).body;
    const hidden = (
      await s.req('POST', '/conversations', { auth: s.admin, body: { inboxId: s.inboxId, subject: 'other inbox', tags: [tag] } })
    ).body;
    expect(mine.id).toEqual(expect.any(String));
    expect(hidden.id).toEqual(expect.any(String));

    const agent = await s.login(agentUser.email, agentUser.password);
    const agentList = await s.req('GET', '/conversations?limit=100', { auth: agent });
    expect(agentList.status).toBe(200);
    expect(agentList.body.data.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    expect((await s.req('GET', `/conversations?inbox=${s.inboxId}`, { auth: agent })).body.data).toEqual([]);
    expect((await s.req('GET', `/conversations/${mine.id}`, { auth: agent })).status).toBe(200);

    const notFound = async (method: string, path: string, body?: unknown) => {
      const res = await s.req(method, path, { auth: agent, ...(body !== undefined ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    };
    await notFound('GET', `/conversations/${hidden.id}`);
    await notFound('GET', `/conversations/${hidden.id}/messages`);
    await notFound('GET', `/conversations/${hidden.id}/status-history`);
    await notFound('PATCH', `/conversations/${hidden.id}`, { priority: 'urgent' });
    await notFound('POST', `/conversations/${hidden.id}/messages`, { body: 'sneaky reply' });
    await notFound('POST', `/conversations/${hidden.id}/notes`, { body: 'sneaky note' });
    await notFound('POST', '/conversations/bulk', { ids: [hidden.id], update: { priority: 'urgent' } });
    await notFound('POST', '/conversations', { inboxId: s.inboxId, subject: 'into a hidden inbox' });
    // Nothing the agent tried reached the hidden conversation.
    const untouched = (await s.req('GET', `/conversations/${hidden.id}`, { auth: s.admin })).body;
    expect(untouched.priority).toBe('normal');
    expect(untouched.lastSeq).toBe(hidden.lastSeq);

    const supervisor = await s.login(supervisorUser.email, supervisorUser.password);
    const supList = await s.req('GET', `/conversations?tag=${tag}&limit=100`, { auth: supervisor });
    expect(supList.body.data.map((c: { id: string }) => c.id).sort()).toEqual([mine.id, hidden.id].sort());
    expect((await s.req('GET', `/conversations/${hidden.id}`, { auth: supervisor })).status).toBe(200);
  });
});
