import { randomBytes, randomUUID } from 'node:crypto';
import { ROLE_SCOPES, type Role, SCOPES, type Scope } from '@autocrm/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, BACKEND, type Session, startTestServer, type TestServer } from './helpers/test-server';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const unique = (label: string) => `${label}-${randomBytes(4).toString('hex')}`;

/** The scope each family of routes must need (undefined: no rule for this path). */
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
  if (path.startsWith('/contacts')) return read ? 'contacts:read' : 'contacts:write';
  if (path.startsWith('/webhook')) return 'webhooks:manage';
  if (path.startsWith('/api-keys') || path.startsWith('/audit-log')) return 'admin';
  // Widget settings carry the identity-verification secret: admins only, even to read.
  if (/^\/inboxes\/[^/]+\/widget/.test(path)) return 'admin';
  // An inbox's email, SMS and WhatsApp settings hold its own credentials: admins only, even to read.
  if (/^\/inboxes\/[^/]+\/(email|sms|whatsapp)/.test(path)) return 'admin';
  // An inbox's lifecycle settings (reopen window, auto-resolve) are edited on an admin's settings page.
  if (/^\/inboxes\/[^/]+\/lifecycle/.test(path)) return 'admin';
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

/** Logs in over raw HTTP so the test sees the status, body and Set-Cookie header as sent. */
async function rawLogin(s: TestServer, email: string, password: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${s.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email, password }),
  });
  return { status: res.status, setCookie: res.headers.get('set-cookie'), body: (await res.json()) as any };
}

/** Creates a user as the admin and returns their id and credentials. */
async function createUser(s: TestServer, role: Role) {
  const email = `${unique(role)}@test.autocrm.dev`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const res = await s.req('POST', '/users', { auth: s.admin, body: { email, name: unique(role), role, password } });
  if (res.status !== 201) throw new Error(`user setup failed: ${res.text}`);
  return { id: res.body.id as string, email, password };
}

describe(`auth, sessions and API-key scopes (${BACKEND})`, () => {
  let s: TestServer;

  beforeAll(async () => {
    // Failed logins count per client address, and every test here comes from 127.0.0.1: raise the
    // limit so the failures these tests make on purpose cannot lock out later tests. The limit itself
    // is checked in its own describe below.
    s = await startTestServer({ env: { LOGIN_MAX_ATTEMPTS: '100' } });
  });
  afterAll(() => s?.close());

  const isSignedIn = async (session: Session) => (await s.req('GET', '/auth/session', { auth: session })).status;

  // Promise: login sets an HttpOnly, SameSite=Lax session cookie (Secure behind https); a wrong
  // password and an unknown email get the very same 401, so accounts cannot be enumerated.
  it('signs in with a hardened session cookie and refuses bad credentials alike', async () => {
    const ok = await rawLogin(s, ADMIN.email, ADMIN.password);
    expect(ok.status).toBe(200);
    expect(ok.body.user.email).toBe(ADMIN.email);
    expect(ok.body.user).not.toHaveProperty('passwordHash');
    expect(ok.body.csrfToken).toEqual(expect.any(String));
    const cookie = ok.setCookie ?? '';
    expect(cookie).toMatch(/^autocrm_session=s_[\w-]+;/);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(cookie).toMatch(/;\s*Max-Age=\d+/i);
    expect(cookie).not.toMatch(/;\s*Secure/i);
    // The cookie it set is a working session.
    const session = { cookie: cookie.split(';')[0]!, csrfToken: ok.body.csrfToken, userId: ok.body.user.id };
    const me = await s.req('GET', '/auth/session', { auth: session });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(s.admin.userId);
    expect(me.body.csrfToken).toBe(ok.body.csrfToken);

    // Behind a TLS-terminating proxy the cookie is Secure.
    const behindTls = await rawLogin(s, ADMIN.email, ADMIN.password, { 'x-forwarded-proto': 'https' });
    expect(behindTls.status).toBe(200);
    expect(behindTls.setCookie).toMatch(/;\s*Secure/i);

    const wrong = await rawLogin(s, ADMIN.email, 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    expect(wrong.setCookie).toBeNull();
    const unknown = await rawLogin(s, 'nobody@test.autocrm.dev', ADMIN.password);
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('invalid_credentials');
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
    expect(unknown.setCookie).toBeNull();
    // Email is matched case-insensitively.
    expect((await rawLogin(s, ADMIN.email.toUpperCase(), ADMIN.password)).status).toBe(200);
  });

  // Promise: a cookie-authenticated write without the session's CSRF token is refused and stores
  // nothing; with the token it goes through; API keys carry no ambient credentials and need none.
  it('requires the CSRF token on cookie-authenticated writes only', async () => {
    const subject = unique('csrf');
    const countBySubject = async () =>
      (await s.req('GET', `/conversations?q=${subject}&limit=100`, { auth: s.admin })).body.data.length;

    const noToken = await s.req('POST', '/conversations', { auth: s.admin, noCsrf: true, body: { inboxId: s.inboxId, subject } });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe('csrf_failed');
    const wrongToken = await s.req('POST', '/conversations', {
      auth: { ...s.admin, csrfToken: 'x'.repeat(s.admin.csrfToken.length) },
      body: { inboxId: s.inboxId, subject },
    });
    expect(wrongToken.status).toBe(403);
    expect(wrongToken.body.error.code).toBe('csrf_failed');
    expect(await countBySubject()).toBe(0);

    const withToken = await s.req('POST', '/conversations', { auth: s.admin, body: { inboxId: s.inboxId, subject } });
    expect(withToken.status).toBe(201);
    expect(await countBySubject()).toBe(1);
    const id = withToken.body.id as string;

    const patchNoToken = await s.req('PATCH', `/conversations/${id}`, {
      auth: s.admin,
      noCsrf: true,
      body: { priority: 'urgent' },
    });
    expect(patchNoToken.status).toBe(403);
    expect(patchNoToken.body.error.code).toBe('csrf_failed');
    expect((await s.req('GET', `/conversations/${id}`, { auth: s.admin })).body.priority).toBe('normal');
    const patchWithToken = await s.req('PATCH', `/conversations/${id}`, { auth: s.admin, body: { priority: 'urgent' } });
    expect(patchWithToken.status).toBe(200);
    expect(patchWithToken.body.priority).toBe('urgent');

    // Reads need no token.
    expect((await s.req('GET', `/conversations/${id}`, { auth: s.admin, noCsrf: true })).status).toBe(200);
    // API keys need none either.
    const key = await s.apiKey(['conversations:write', 'conversations:read']);
    const byKey = await s.req('POST', '/conversations', { auth: key, body: { inboxId: s.inboxId, subject } });
    expect(byKey.status).toBe(201);
    expect(await countBySubject()).toBe(2);
  });

  // Promise: logout ends the session server-side; the old cookie is worthless afterwards.
  it('refuses the old cookie after logout', async () => {
    const session = await s.login();
    expect(await isSignedIn(session)).toBe(200);
    const out = await s.req('POST', '/auth/logout', { auth: session });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^autocrm_session=;.*Max-Age=0/i);
    const after = await s.req('GET', '/auth/session', { auth: session });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
    expect((await s.req('GET', '/conversations', { auth: session })).status).toBe(401);
    // Other sessions of the same user are untouched.
    expect(await isSignedIn(s.admin)).toBe(200);
  });

  // Promise: changing the password needs the current one, ends the user's other sessions, keeps
  // this one, and only the new password signs in afterwards.
  it('changes a password and ends the other sessions', async () => {
    const u = await createUser(s, 'agent');
    const current = await s.login(u.email, u.password);
    const other = await s.login(u.email, u.password);
    const newPassword = `new-${randomBytes(8).toString('hex')}`;

    const wrong = await s.req('POST', '/auth/password', {
      auth: current,
      body: { currentPassword: 'wrong-password', newPassword },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('validation_failed');
    expect(wrong.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['currentPassword']);
    const tooShort = await s.req('POST', '/auth/password', {
      auth: current,
      body: { currentPassword: u.password, newPassword: 'short' },
    });
    expect(tooShort.status).toBe(400);
    // Failed attempts changed nothing.
    expect(await isSignedIn(other)).toBe(200);
    expect((await rawLogin(s, u.email, u.password)).status).toBe(200);

    const changed = await s.req('POST', '/auth/password', { auth: current, body: { currentPassword: u.password, newPassword } });
    expect(changed.status).toBe(204);
    expect(await isSignedIn(current)).toBe(200);
    expect(await isSignedIn(other)).toBe(401);
    expect((await s.req('GET', '/conversations', { auth: other })).status).toBe(401);
    // Someone else's sessions are untouched.
    expect(await isSignedIn(s.admin)).toBe(200);

    const oldPw = await rawLogin(s, u.email, u.password);
    expect(oldPw.status).toBe(401);
    expect(oldPw.body.error.code).toBe('invalid_credentials');
    expect((await rawLogin(s, u.email, newPassword)).status).toBe(200);
  });

  // Promise: deactivating a user ends their sessions at once and they cannot sign in until reactivated.
  it('ends every session of a deactivated user and refuses their login', async () => {
    const u = await createUser(s, 'agent');
    const a = await s.login(u.email, u.password);
    const b = await s.login(u.email, u.password);
    expect(await isSignedIn(a)).toBe(200);

    const off = await s.req('PATCH', `/users/${u.id}`, { auth: s.admin, body: { active: false } });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    for (const session of [a, b]) {
      expect(await isSignedIn(session)).toBe(401);
      expect((await s.req('GET', '/conversations', { auth: session })).status).toBe(401);
    }
    const denied = await rawLogin(s, u.email, u.password);
    expect(denied.status).toBe(401);
    expect(denied.body.error.code).toBe('invalid_credentials');
    expect(denied.setCookie).toBeNull();

    // Reactivated, they can sign in again, but the old sessions stay dead.
    expect((await s.req('PATCH', `/users/${u.id}`, { auth: s.admin, body: { active: true } })).status).toBe(200);
    expect((await rawLogin(s, u.email, u.password)).status).toBe(200);
    expect(await isSignedIn(a)).toBe(401);
  });

  // Promise: the OpenAPI document names the scope of every operation, and that scope is exactly what
  // the guard enforces: for every operation and every single-scope key, the key gets through iff it
  // holds the operation's scope or `admin`; session-only operations refuse every API key.
  it('enforces exactly the x-required-scope of every operation for every scope', async () => {
    const doc = (await s.req('GET', '/openapi.json')).body;
    const ops: { method: string; path: string; scope: string | undefined }[] = [];
    for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
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
  });

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

describe(`login rate limit (${BACKEND})`, () => {
  let s: TestServer;

  beforeAll(async () => {
    s = await startTestServer({ env: { LOGIN_MAX_ATTEMPTS: '3', PUBLIC_URL: 'https://crm.example.test' } });
  });
  afterAll(() => s?.close());

  // Promise: with an https PUBLIC_URL the session cookie is always Secure.
  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const ok = await rawLogin(s, ADMIN.email, ADMIN.password);
    expect(ok.status).toBe(200);
    expect(ok.setCookie).toMatch(/;\s*Secure/i);
  });

  // Promise: after LOGIN_MAX_ATTEMPTS failures further attempts are refused with 429, even with the
  // right password, and no session is opened.
  it('refuses sign-in after too many failures, even with the right password', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await rawLogin(s, ADMIN.email, `wrong-${i}`);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_credentials');
    }
    const limited = await rawLogin(s, ADMIN.email, ADMIN.password);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(limited.setCookie).toBeNull();
    // Sessions opened before the lockout keep working.
    expect((await s.req('GET', '/auth/session', { auth: s.admin })).status).toBe(200);
  });
});

describe(`login rate limit under concurrency (${BACKEND})`, () => {
  let s: TestServer;

  beforeAll(async () => {
    s = await startTestServer({ env: { LOGIN_MAX_ATTEMPTS: '3' } });
  });
  afterAll(() => s?.close());

  // Promise: the limit holds against a burst of parallel guesses: no more than LOGIN_MAX_ATTEMPTS
  // guesses in all are checked against the password; the rest are refused with 429 untried.
  it('checks no more than the allowed number of guesses sent in parallel', async () => {
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => rawLogin(s, ADMIN.email, `guess-${i}`)));
    const codes = burst.map((r) => r.body.error.code);
    const tried = codes.filter((c) => c === 'invalid_credentials').length;
    expect(tried).toBeLessThanOrEqual(3);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(12 - tried);
    // Guessing on one at a time, exactly the remaining allowance is tried before the lockout.
    let triedAfter = 0;
    for (let i = 0; i < 5; i++) {
      const res = await rawLogin(s, ADMIN.email, `later-guess-${i}`);
      if (res.status === 429) break;
      expect(res.body.error.code).toBe('invalid_credentials');
      triedAfter++;
    }
    expect(tried + triedAfter).toBe(3);
    expect((await rawLogin(s, ADMIN.email, ADMIN.password)).status).toBe(429);
  });
});
