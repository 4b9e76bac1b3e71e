import { randomBytes } from 'node:crypto';
import type { Role } from '@autocrm/shared';
import { afterAll, beforeAll } from 'vitest';
import { type Session, startTestServer, type TestServer } from './test-server';

// The server and helpers the auth test files share (auth-sessions, auth-scopes). `s` is a live binding:
// `useAuthServer()` inside a describe starts the server before its tests and sets it.

export let s: TestServer;

export function useAuthServer() {
  beforeAll(async () => {
    // Failed logins count per client address, and every test here comes from 127.0.0.1: raise the
    // limit so the failures these tests make on purpose cannot lock out later tests. The limit itself
    // is checked in its own describe (tests/auth-sessions.api.test.ts).
    s = await startTestServer({ env: { LOGIN_MAX_ATTEMPTS: '100' } });
  });
  afterAll(() => s?.close());
}

export const unique = (label: string) => `${label}-${randomBytes(4).toString('hex')}`;

export const isSignedIn = async (session: Session) => (await s.req('GET', '/auth/session', { auth: session })).status;

/** Logs in over raw HTTP so the test sees the status, body and Set-Cookie header as sent. */
export async function rawLogin(server: TestServer, email: string, password: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email, password }),
  });
  return { status: res.status, setCookie: res.headers.get('set-cookie'), body: (await res.json()) as any };
}

/** Creates a user as the admin and returns their id and credentials. */
export async function createUser(server: TestServer, role: Role) {
  const email = `${unique(role)}@test.autocrm.dev`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const res = await server.req('POST', '/users', { auth: server.admin, body: { email, name: unique(role), role, password } });
  if (res.status !== 201) throw new Error(`user setup failed: ${res.text}`);
  return { id: res.body.id as string, email, password };
}
