import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { audit, FIREFOX, nextCode, postSignIn, SAFARI_IOS, s, signIn, useAccountsServer } from './helpers/accounts-server';
import { BACKEND } from './helpers/test-server';

// Accounts end to end over HTTP: two-factor sign-in and the profile. Invitations and the forgotten
// password are in tests/accounts-invitations.api.test.ts.

describe(`accounts: invitations, forgotten password, two-factor, profile (${BACKEND})`, () => {
  useAccountsServer();

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
