import { createHash } from 'node:crypto';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, expect } from 'vitest';
import { startSmtpSink } from './smtp-sink';
import { type Session, startTestServer, type TestServer, waitFor } from './test-server';

// The server, mail sink and sign-in helpers the accounts test files share. `s` and `sink` are live
// bindings: `useAccountsServer()` inside a describe starts both before its tests and sets them.
// The mails go through the real SMTP path to a loopback server, are parsed back with mailparser, and
// their links are followed. TOTP codes are computed here with the same library.

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
export const SAFARI_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
/** A code for the next 30-second step: the enrolment used the current one, and a code works once. */
export const nextCode = (secret: string, steps = 1) =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * steps });

export let s: TestServer;
export let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let ipSeq = 0;
/** Each request claims its own client address (TRUST_PROXY=1), so the per-address limits stay apart. */
export const freshIp = () => `198.51.100.${++ipSeq}`;

export const mailsTo = (address: string) => sink.mails.filter((m) => m.envelope.to.includes(address));
/** Waits for the n-th mail to an address and returns the token of its link (by path prefix). */
export async function linkFromMail(address: string, n: number, prefix: '/invite/' | '/reset-password/') {
  const mail = (await waitFor(() => mailsTo(address)[n - 1]))!;
  const url = new URL(new RegExp(`https?://\\S+${prefix}[A-Za-z0-9_-]+`).exec(mail.parsed.text ?? '')![0]);
  // The HTML part carries the same link as a button.
  expect(String(mail.parsed.html)).toContain(url.toString());
  return { token: url.pathname.slice(prefix.length), url, mail };
}

/** Signs in by hand with a browser's user agent; returns the raw answer and, if signed in, the session. */
export async function signIn(email: string, password: string, userAgent = FIREFOX) {
  const res = await fetch(`${s.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent, 'x-forwarded-for': freshIp() },
    body: JSON.stringify({ email, password }),
  });
  return readSignIn(res);
}
export async function postSignIn(path: string, body: unknown) {
  const res = await fetch(`${s.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': FIREFOX },
    body: JSON.stringify(body),
  });
  return readSignIn(res);
}
export async function readSignIn(res: Response) {
  const body = (await res.json()) as any;
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const session: Session | undefined =
    res.status === 200 && body.status === 'signed_in' ? { cookie, csrfToken: body.csrfToken, userId: body.user.id } : undefined;
  return { status: res.status, body, cookie, session };
}
export const audit = async (action: string) =>
  await s.deps.db
    .selectFrom('audit_log')
    .select(['action', 'entity_id', 'before', 'after'])
    .where('action', '=', action)
    .execute();

export function useAccountsServer() {
  beforeAll(async () => {
    sink = await startSmtpSink();
    s = await startTestServer({
      env: { SMTP_URL: sink.url, TRUST_PROXY: '1', RATE_LIMIT_PASSWORD_RESETS: '3', RATE_LIMIT_TOTP_CHECKS: '6' },
    });
  });
  afterAll(async () => {
    await s?.close();
    await sink?.close();
  });
}
