import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, isSignedIn, rawLogin, s, unique, useAuthServer } from './helpers/auth-server';
import { ADMIN, BACKEND, startTestServer, type TestServer } from './helpers/test-server';

// Signing in and out, CSRF, password changes, deactivation and the login rate limit.
// API-key and role scopes are in tests/auth-scopes.api.test.ts.

describe(`auth, sessions and API-key scopes (${BACKEND})`, () => {
  useAuthServer();

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
