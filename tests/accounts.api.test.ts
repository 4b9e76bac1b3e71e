import { createHash } from 'node:crypto';
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from './helpers/smtp-sink';
import { BACKEND, type Session, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Accounts end to end over HTTP: the mails go through the real SMTP path to a loopback server, are parsed
// back with mailparser, and their links are followed. TOTP codes are computed here with the same library.

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
/** A code for the next 30-second step: the enrolment used the current one, and a code works once. */
const nextCode = (secret: string, steps = 1) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * steps });

describe(`accounts: invitations, forgotten password, two-factor, profile (${BACKEND})`, () => {
  let s: TestServer;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let ipSeq = 0;
  /** Each request claims its own client address (TRUST_PROXY=1), so the per-address limits stay apart. */
  const freshIp = () => `198.51.100.${++ipSeq}`;

  const mailsTo = (address: string) => sink.mails.filter((m) => m.envelope.to.includes(address));
  /** Waits for the n-th mail to an address and returns the token of its link (by path prefix). */
  async function linkFromMail(address: string, n: number, prefix: '/invite/' | '/reset-password/') {
    const mail = (await waitFor(() => mailsTo(address)[n - 1]))!;
    const url = new URL(new RegExp(`https?://\\S+${prefix}[A-Za-z0-9_-]+`).exec(mail.parsed.text ?? '')![0]);
    // The HTML part carries the same link as a button.
    expect(String(mail.parsed.html)).toContain(url.toString());
    return { token: url.pathname.slice(prefix.length), url, mail };
  }

  /** Signs in by hand with a browser's user agent; returns the raw answer and, if signed in, the session. */
  async function signIn(email: string, password: string, userAgent = FIREFOX) {
    const res = await fetch(`${s.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': userAgent, 'x-forwarded-for': freshIp() },
      body: JSON.stringify({ email, password }),
    });
    return readSignIn(res);
  }
  async function postSignIn(path: string, body: unknown) {
    const res = await fetch(`${s.url}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': FIREFOX },
      body: JSON.stringify(body),
    });
    return readSignIn(res);
  }
  async function readSignIn(res: Response) {
    const body = (await res.json()) as any;
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const session: Session | undefined =
      res.status === 200 && body.status === 'signed_in' ? { cookie, csrfToken: body.csrfToken, userId: body.user.id } : undefined;
    return { status: res.status, body, cookie, session };
  }
  const audit = async (action: string) =>
    await s.deps.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'before', 'after'])
      .where('action', '=', action)
      .execute();

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

  it('invites by email: the link works once, signs the person in with the role and inboxes, and is audited', async () => {
    const created = await s.req('POST', '/invitations', {
      auth: s.admin,
      body: { email: 'New.Agent@Example.com', name: 'Nia', role: 'agent', inboxIds: [s.inboxId] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'new.agent@example.com', role: 'agent', inboxIds: [s.inboxId] });
    // Inviting the same person twice is a clear conflict (resend instead); an existing user too.
    expect(
      (await s.req('POST', '/invitations', { auth: s.admin, body: { email: 'new.agent@example.com', role: 'agent' } })).body.error
        .code,
    ).toBe('conflict');
    expect(
      (await s.req('POST', '/invitations', { auth: s.admin, body: { email: 'admin@test.autocrm.dev', role: 'agent' } })).status,
    ).toBe(409);

    const { token, mail, url } = await linkFromMail('new.agent@example.com', 1, '/invite/');
    expect(mail.parsed.subject).toMatch(/invited you/);
    expect(url.pathname).toBe(`/invite/${token}`);
    // Only the hash is stored; the invitation now shows as pending.
    const row = await s.deps.db.selectFrom('invitations').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(token));
    expect(row.token_hash).not.toContain(token);
    const list = await s.req('GET', '/invitations', { auth: s.admin });
    expect(list.body.data).toEqual([
      expect.objectContaining({ id: created.body.id, status: 'pending', invitedBy: expect.any(String) }),
    ]);

    const preview = await s.req('GET', `/auth/invitations/${token}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ email: 'new.agent@example.com', role: 'agent', name: 'Nia' });

    const weak = await postSignIn('/auth/invitations/accept', { token, name: 'Nia Agent', password: 'short' });
    expect(weak.status).toBe(400);
    const accepted = await postSignIn('/auth/invitations/accept', { token, name: 'Nia Agent', password: 'a-good-password-1' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.user).toMatchObject({ email: 'new.agent@example.com', role: 'agent', name: 'Nia Agent' });
    expect(accepted.cookie).toMatch(/^autocrm_session=/);
    const me = await s.req('GET', '/auth/session', { auth: accepted.session });
    expect(me.body.user.email).toBe('new.agent@example.com');
    const member = await s.deps.db
      .selectFrom('inbox_members')
      .select('inbox_id')
      .where('user_id', '=', accepted.body.user.id)
      .execute();
    expect(member.map((m) => m.inbox_id)).toEqual([s.inboxId]);

    // Single use: the same link again, and its preview, are refused with a clear code.
    const again = await postSignIn('/auth/invitations/accept', { token, name: 'Mallory', password: 'another-password-1' });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('link_invalid');
    expect((await s.req('GET', `/auth/invitations/${token}`)).body.error.code).toBe('link_invalid');
    expect((await s.req('GET', '/invitations', { auth: s.admin })).body.data).toEqual([]);
    expect((await audit('invitation.created')).length).toBe(1);
    expect((await audit('invitation.accepted')).length).toBe(1);

    // Agents cannot invite.
    const byAgent = await s.req('POST', '/invitations', {
      auth: accepted.session,
      body: { email: 'x@example.com', role: 'admin' },
    });
    expect(byAgent.status).toBe(403);
  });

  it('resend replaces the link, revoke kills it, and an expired link says so', async () => {
    const inv = await s.req('POST', '/invitations', { auth: s.admin, body: { email: 'late@example.com', role: 'supervisor' } });
    const first = await linkFromMail('late@example.com', 1, '/invite/');
    const resent = await s.req('POST', `/invitations/${inv.body.id}/resend`, { auth: s.admin });
    expect(resent.status).toBe(200);
    const second = await linkFromMail('late@example.com', 2, '/invite/');
    expect(second.token).not.toBe(first.token);
    expect((await s.req('GET', `/auth/invitations/${first.token}`)).body.error.code).toBe('link_invalid');
    expect((await s.req('GET', `/auth/invitations/${second.token}`)).status).toBe(200);

    // Expiry: the stored deadline passes (as if INVITE_TTL_HOURS went by).
    await s.deps.db
      .updateTable('invitations')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', inv.body.id)
      .execute();
    const expired = await postSignIn('/auth/invitations/accept', {
      token: second.token,
      name: 'Late',
      password: 'a-good-password-1',
    });
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('link_expired');
    expect((await s.req('GET', '/invitations', { auth: s.admin })).body.data[0]).toMatchObject({ status: 'expired' });

    // Revoked: the link (even a fresh one) stops working and the list forgets it.
    await s.req('POST', `/invitations/${inv.body.id}/resend`, { auth: s.admin });
    const third = await linkFromMail('late@example.com', 3, '/invite/');
    const revoked = await s.req('DELETE', `/invitations/${inv.body.id}`, { auth: s.admin });
    expect(revoked.body.status).toBe('revoked');
    expect((await s.req('GET', `/auth/invitations/${third.token}`)).body.error.code).toBe('link_invalid');
    expect((await s.req('GET', '/invitations', { auth: s.admin })).body.data).toEqual([]);
    expect(await s.deps.db.selectFrom('users').select('id').where('email', '=', 'late@example.com').execute()).toEqual([]);
    expect((await audit('invitation.resent')).length).toBe(2);
    expect((await audit('invitation.revoked')).length).toBe(1);
  });

  it('forgot password: the same answer for unknown addresses, a single-use expiring link, all sessions end', async () => {
    const user = await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'forgetful@example.com', name: 'Forgetful Fay', role: 'agent', password: 'old-password-123' },
    });
    expect(user.status).toBe(201);
    const before1 = (await signIn('forgetful@example.com', 'old-password-123')).session!;
    const before2 = (await signIn('forgetful@example.com', 'old-password-123', SAFARI_IOS)).session!;

    const ask = (email: string) =>
      fetch(`${s.url}/api/v1/auth/password-reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': freshIp() },
        body: JSON.stringify({ email }),
      });
    const unknown = await ask('nobody@example.com');
    const known = await ask('Forgetful@Example.com');
    // Identical answers: status, body and headers that could differ.
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(await unknown.text()).toBe(await known.text());
    expect(unknown.headers.get('content-type')).toBe(known.headers.get('content-type'));

    const { token } = await linkFromMail('forgetful@example.com', 1, '/reset-password/');
    expect(mailsTo('nobody@example.com')).toEqual([]);
    const stored = await s.deps.db.selectFrom('password_resets').select(['token_hash', 'user_id']).execute();
    expect(stored).toEqual([{ token_hash: sha256(token), user_id: user.body.id }]);

    const bad = await s.req('POST', '/auth/password-reset/complete', {
      body: { token: 'x'.repeat(43), password: 'new-password-456' },
    });
    expect(bad.body.error.code).toBe('link_invalid');
    const done = await s.req('POST', '/auth/password-reset/complete', { body: { token, password: 'new-password-456' } });
    expect(done.status).toBe(204);
    // Every session of that user ended; the old password is gone, the new one works.
    expect((await s.req('GET', '/auth/session', { auth: before1 })).status).toBe(401);
    expect((await s.req('GET', '/auth/session', { auth: before2 })).status).toBe(401);
    expect((await signIn('forgetful@example.com', 'old-password-123')).status).toBe(401);
    expect((await signIn('forgetful@example.com', 'new-password-456')).body.status).toBe('signed_in');
    // Single use.
    const reuse = await s.req('POST', '/auth/password-reset/complete', { body: { token, password: 'third-password-789' } });
    expect(reuse.body.error.code).toBe('link_invalid');
    expect((await audit('user.password_reset_by_link')).map((a) => a.entity_id)).toEqual([user.body.id]);

    // Expiry.
    await ask('forgetful@example.com');
    const late = await linkFromMail('forgetful@example.com', 2, '/reset-password/');
    await s.deps.db
      .updateTable('password_resets')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('used_at', 'is', null)
      .execute();
    const expired = await s.req('POST', '/auth/password-reset/complete', {
      body: { token: late.token, password: 'third-password-789' },
    });
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('link_expired');
  });

  it('forgot password is rate-limited per address and per email, the same for known and unknown emails', async () => {
    const ask = (email: string, ip: string) =>
      fetch(`${s.url}/api/v1/auth/password-reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ email }),
      });
    // Per email (RATE_LIMIT_PASSWORD_RESETS=3), from ever-new addresses: known and unknown alike.
    for (const email of ['admin@test.autocrm.dev', 'ghost@example.com']) {
      for (let i = 0; i < 3; i++) expect((await ask(email, freshIp())).status).toBe(202);
      const refused = await ask(email, freshIp());
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as any).error.code).toBe('rate_limited');
    }
    // Per address, with ever-new emails.
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await ask(`someone${i}@example.com`, ip)).status).toBe(202);
    expect((await ask('someone-else@example.com', ip)).status).toBe(429);
  });

  it('two-factor: enrolment with QR and key, the password alone gives no session, codes and recovery codes work once', async () => {
    await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'totp@example.com', name: 'Tess Otp', role: 'agent', password: 'tess-password-1' },
    });
    const tess = (await signIn('totp@example.com', 'tess-password-1')).session!;
    const setup = await s.req('POST', '/me/two-factor/setup', { auth: tess });
    expect(setup.status).toBe(200);
    expect(setup.body.secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(setup.body.otpauthUrl).toContain(`secret=${setup.body.secret}`);
    expect(setup.body.qrSvg).toMatch(/^<svg/);
    const secret = setup.body.secret as string;

    const wrong = await s.req('POST', '/me/two-factor/confirm', { auth: tess, body: { code: '000000' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_code');
    const confirmed = await s.req('POST', '/me/two-factor/confirm', { auth: tess, body: { code: generateSync({ secret }) } });
    expect(confirmed.status).toBe(200);
    const codes = confirmed.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    const storedCodes = await s.deps.db
      .selectFrom('recovery_codes')
      .select('code_hash')
      .where('user_id', '=', tess.userId)
      .execute();
    expect(storedCodes).toHaveLength(10);
    expect(storedCodes.map((c) => c.code_hash)).not.toContain(codes[0]);
    expect((await s.req('GET', '/me', { auth: tess })).body.twoFactor).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });

    // The password step alone: a challenge, no cookie, no session.
    const step1 = await signIn('totp@example.com', 'tess-password-1');
    expect(step1.body).toEqual({ status: 'two_factor_required', challenge: expect.any(String) });
    expect(step1.cookie).toBe('');
    const sessionsBefore = await s.deps.db.selectFrom('sessions').select('id').where('user_id', '=', tess.userId).execute();
    expect(sessionsBefore).toHaveLength(1);
    const bad = await postSignIn('/auth/login/two-factor', { challenge: step1.body.challenge, code: '123456' });
    expect(bad.body.error.code).toBe('invalid_code');
    const code = nextCode(secret);
    const ok = await postSignIn('/auth/login/two-factor', { challenge: step1.body.challenge, code });
    expect(ok.status).toBe(200);
    expect(ok.cookie).toMatch(/^autocrm_session=/);
    expect((await s.req('GET', '/auth/session', { auth: ok.session })).body.user.email).toBe('totp@example.com');
    // The challenge is used up, and the same code cannot sign in again (replay).
    expect((await postSignIn('/auth/login/two-factor', { challenge: step1.body.challenge, code })).body.error.code).toBe(
      'challenge_invalid',
    );
    const step1b = await signIn('totp@example.com', 'tess-password-1');
    expect((await postSignIn('/auth/login/two-factor', { challenge: step1b.body.challenge, code })).body.error.code).toBe(
      'invalid_code',
    );

    // A recovery code signs in once.
    const viaRecovery = await postSignIn('/auth/login/two-factor', {
      challenge: step1b.body.challenge,
      code: codes[0]!.toUpperCase(),
    });
    expect(viaRecovery.body.status).toBe('signed_in');
    const step1c = await signIn('totp@example.com', 'tess-password-1');
    expect(
      (await postSignIn('/auth/login/two-factor', { challenge: step1c.body.challenge, code: codes[0] })).body.error.code,
    ).toBe('invalid_code');
    expect((await s.req('GET', '/me', { auth: tess })).body.twoFactor.recoveryCodesLeft).toBe(9);
    expect((await audit('user.recovery_code_used')).length).toBe(1);
    expect((await audit('user.two_factor_enabled')).map((a) => a.entity_id)).toContain(tess.userId);

    // Turning it off needs the password; then the password alone signs in again.
    expect((await s.req('POST', '/me/two-factor/disable', { auth: tess, body: { password: 'wrong-password' } })).status).toBe(
      400,
    );
    expect((await s.req('POST', '/me/two-factor/disable', { auth: tess, body: { password: 'tess-password-1' } })).status).toBe(
      204,
    );
    expect((await signIn('totp@example.com', 'tess-password-1')).body.status).toBe('signed_in');
    expect(await s.deps.db.selectFrom('recovery_codes').select('id').where('user_id', '=', tess.userId).execute()).toEqual([]);
  });

  it('two-factor codes are rate-limited: a challenge dies after five wrong codes, and the user budget runs out', async () => {
    await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'guessed@example.com', name: 'Gus', role: 'agent', password: 'gus-password-12' },
    });
    const gus = (await signIn('guessed@example.com', 'gus-password-12')).session!;
    const { secret } = (await s.req('POST', '/me/two-factor/setup', { auth: gus })).body;
    await s.req('POST', '/me/two-factor/confirm', { auth: gus, body: { code: generateSync({ secret }) } });
    const ch = (await signIn('guessed@example.com', 'gus-password-12')).body.challenge;
    for (let i = 0; i < 5; i++) {
      expect((await postSignIn('/auth/login/two-factor', { challenge: ch, code: '999999' })).body.error.code).toBe(
        'invalid_code',
      );
    }
    // Even the right code: the challenge is dead, back to the password.
    expect((await postSignIn('/auth/login/two-factor', { challenge: ch, code: nextCode(secret) })).body.error.code).toBe(
      'challenge_invalid',
    );
    // RATE_LIMIT_TOTP_CHECKS=6 per user, across challenges: the sixth wrong one spends the budget.
    const ch2 = (await signIn('guessed@example.com', 'gus-password-12')).body.challenge;
    expect((await postSignIn('/auth/login/two-factor', { challenge: ch2, code: '999998' })).body.error.code).toBe('invalid_code');
    const limited = await postSignIn('/auth/login/two-factor', { challenge: ch2, code: nextCode(secret) });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
  });

  it('an admin requires two-factor for a role: enrolment at sign-in, no opting out, reset by an admin', async () => {
    await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'sup@example.com', name: 'Sue Pervisor', role: 'supervisor', password: 'sue-password-12' },
    });
    const sueBefore = (await signIn('sup@example.com', 'sue-password-12')).session!;
    const set = await s.req('PUT', '/security-settings', { auth: s.admin, body: { requireTwoFactorRoles: ['supervisor'] } });
    expect(set.body).toEqual({ requireTwoFactorRoles: ['supervisor'] });
    expect((await s.req('PUT', '/security-settings', { auth: sueBefore, body: { requireTwoFactorRoles: [] } })).status).toBe(403);
    try {
      const step1 = await signIn('sup@example.com', 'sue-password-12');
      expect(step1.body.status).toBe('two_factor_enrolment_required');
      expect(step1.cookie).toBe('');
      const key = await postSignIn('/auth/login/enrol/start', { challenge: step1.body.challenge });
      expect(key.body.qrSvg).toMatch(/^<svg/);
      expect((await postSignIn('/auth/login/enrol', { challenge: step1.body.challenge, code: '000000' })).body.error.code).toBe(
        'invalid_code',
      );
      const enrolled = await postSignIn('/auth/login/enrol', {
        challenge: step1.body.challenge,
        code: generateSync({ secret: key.body.secret }),
      });
      expect(enrolled.body.status).toBe('signed_in');
      expect(enrolled.body.recoveryCodes).toHaveLength(10);
      const sue = enrolled.session!;
      const off = await s.req('POST', '/me/two-factor/disable', { auth: sue, body: { password: 'sue-password-12' } });
      expect(off.status).toBe(403);
      expect(off.body.error.code).toBe('two_factor_required');
      // Now the second step is a code.
      expect((await signIn('sup@example.com', 'sue-password-12')).body.status).toBe('two_factor_required');

      // Lost phone: the admin resets; her sessions end and she enrols again at the next sign-in.
      expect((await s.req('POST', `/users/${sue.userId}/two-factor/reset`, { auth: sue })).status).toBe(403);
      expect((await s.req('POST', `/users/${sue.userId}/two-factor/reset`, { auth: s.admin })).status).toBe(204);
      expect((await s.req('GET', '/auth/session', { auth: sue })).status).toBe(401);
      expect((await signIn('sup@example.com', 'sue-password-12')).body.status).toBe('two_factor_enrolment_required');
      expect((await audit('user.two_factor_reset')).map((a) => a.entity_id)).toEqual([sue.userId]);
      expect((await audit('security.updated')).length).toBeGreaterThanOrEqual(1);
    } finally {
      await s.req('PUT', '/security-settings', { auth: s.admin, body: { requireTwoFactorRoles: [] } });
    }
  });

  it('profile: name, display name with initials, language; sessions listed and signed out one by one or all else', async () => {
    await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'pat@example.com', name: 'Patricia Longname', role: 'agent', password: 'pat-password-12' },
    });
    const laptop = (await signIn('pat@example.com', 'pat-password-12', FIREFOX)).session!;
    const phone = (await signIn('pat@example.com', 'pat-password-12', SAFARI_IOS)).session!;
    const third = (await signIn('pat@example.com', 'pat-password-12', FIREFOX)).session!;

    const updated = await s.req('PATCH', '/me', { auth: laptop, body: { displayName: 'Pat Long', locale: 'de' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Patricia Longname', displayName: 'Pat Long', initials: 'PL', locale: 'de' });
    expect((await s.req('PATCH', '/me', { auth: laptop, body: { locale: 'German' } })).status).toBe(400);
    expect((await s.req('PATCH', '/me', { auth: laptop, body: { role: 'admin' } })).status).toBe(400);
    expect((await audit('user.profile_updated')).at(-1)?.after).toMatchObject({ displayName: 'Pat Long', locale: 'de' });

    const list = await s.req('GET', '/me/sessions', { auth: laptop });
    expect(list.body.data).toHaveLength(3);
    expect(list.body.data[0]).toMatchObject({
      current: true,
      device: 'Firefox on Linux',
      ip: expect.stringMatching(/^198\.51\.100\./),
    });
    const phoneRow = list.body.data.find((x: any) => x.device === 'Safari on iOS');
    expect(phoneRow).toBeTruthy();

    // Another user's session id is "not found"; one's own ends at once.
    expect((await s.req('DELETE', `/me/sessions/${phoneRow.id}`, { auth: s.admin })).status).toBe(404);
    expect((await s.req('DELETE', `/me/sessions/${phoneRow.id}`, { auth: laptop })).status).toBe(204);
    expect((await s.req('GET', '/auth/session', { auth: phone })).status).toBe(401);
    expect((await s.req('GET', '/auth/session', { auth: third })).status).toBe(200);

    const others = await s.req('POST', '/me/sessions/end-others', { auth: laptop });
    expect(others.body).toEqual({ ended: 1 });
    expect((await s.req('GET', '/auth/session', { auth: third })).status).toBe(401);
    expect((await s.req('GET', '/auth/session', { auth: laptop })).status).toBe(200);
    expect((await s.req('GET', '/me/sessions', { auth: laptop })).body.data).toHaveLength(1);
    // A profile belongs to a person: an API key has none.
    const key = await s.apiKey(['conversations:read']);
    expect((await s.req('GET', '/me', { auth: key })).status).toBe(401);
  });
});
