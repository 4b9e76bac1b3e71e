import { describe, expect, it } from 'vitest';
import {
  audit,
  freshIp,
  linkFromMail,
  mailsTo,
  postSignIn,
  SAFARI_IOS,
  s,
  sha256,
  signIn,
  useAccountsServer,
} from './helpers/accounts-server';
import { BACKEND } from './helpers/test-server';

// Accounts end to end over HTTP: invitations and the forgotten password. Two-factor and the profile are
// in tests/accounts-two-factor.api.test.ts.

describe(`accounts: invitations, forgotten password, two-factor, profile (${BACKEND})`, () => {
  useAccountsServer();

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

  it('an admin mails a user a reset link: no password is shown, sessions stay until it is used, audited; not for agents', async () => {
    const user = await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'locked.out@example.com', name: 'Lou Lockedout', role: 'agent', password: 'lou-old-password' },
    });
    const lou = (await signIn('locked.out@example.com', 'lou-old-password')).session!;
    const sent = await s.req('POST', `/users/${user.body.id}/password-reset`, { auth: s.admin });
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({ email: 'locked.out@example.com' });
    // Sessions stay until the link is used: a reset sent by mistake locks nobody out.
    expect((await s.req('GET', '/auth/session', { auth: lou })).status).toBe(200);
    const { token } = await linkFromMail('locked.out@example.com', 1, '/reset-password/');
    expect((await s.req('POST', '/auth/password-reset/complete', { body: { token, password: 'lou-new-password' } })).status).toBe(
      204,
    );
    expect((await s.req('GET', '/auth/session', { auth: lou })).status).toBe(401);
    expect((await signIn('locked.out@example.com', 'lou-new-password')).body.status).toBe('signed_in');
    expect((await audit('user.password_reset_sent')).map((a) => a.entity_id)).toEqual([user.body.id]);

    // Agents may not; a deactivated user is a clear conflict; an unknown one is not found.
    const agent = (await signIn('locked.out@example.com', 'lou-new-password')).session!;
    expect((await s.req('POST', `/users/${user.body.id}/password-reset`, { auth: agent })).status).toBe(403);
    await s.req('PATCH', `/users/${user.body.id}`, { auth: s.admin, body: { active: false } });
    const inactive = await s.req('POST', `/users/${user.body.id}/password-reset`, { auth: s.admin });
    expect(inactive.status).toBe(409);
    expect(inactive.body.error.code).toBe('conflict');
    expect(
      (await s.req('POST', '/users/00000000-0000-4000-8000-000000000000/password-reset', { auth: s.admin })).body.error.code,
    ).toBe('not_found');
    expect(mailsTo('locked.out@example.com')).toHaveLength(1);
  });
});
