import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium } from './helpers/browser';
import { startSmtpSink } from './helpers/smtp-sink';
import { ADMIN, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Accounts in a real Chromium, with the mails caught by a loopback SMTP server and their links opened
// in the browser: invite -> accept -> two-factor enrolment -> sign in with a code, and a forgotten
// password; an admin's "Reset password" for someone else; a profile picture. Screens at desktop (1280) and
// phone (390) width.

const SHOTS = process.env.ACCOUNT_SCREENSHOTS ?? join(tmpdir(), 'autocrm-account-screens');
// The profile picture card is shown in the README: its pictures are kept in the repository.
const DOC_SHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');

let s: TestServer;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function newPage(width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: width > 500 ? 800 : 844 } });
  contexts.push(context);
  return context.newPage();
}

/** The link of the n-th mail to an address, on this test server (mails name PUBLIC_URL or localhost). */
async function mailedLink(address: string, n: number, prefix: string) {
  const mail = (await waitFor(() => sink.mails.filter((m) => m.envelope.to.includes(address))[n - 1]))!;
  const url = new URL(new RegExp(`https?://\\S+${prefix}[A-Za-z0-9_-]+`).exec(mail.parsed.text ?? '')![0]);
  return `${s.url}${url.pathname}`;
}

async function passwordStep(page: Page, email: string, password: string) {
  await page.goto(`${s.url}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe.skipIf(!existsSync(CHROMIUM))('accounts (browser)', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    sink = await startSmtpSink();
    s = await startTestServer({ env: { SMTP_URL: sink.url } });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await s?.close();
    await sink?.close();
  });

  it('invite -> accept -> set up two-factor -> sign in with a code; sessions on the profile', async () => {
    const admin = await newPage(1280);
    await passwordStep(admin, ADMIN.email, ADMIN.password);
    await admin.waitForURL((u) => u.pathname !== '/login');
    await admin.goto(`${s.url}/settings/users`);
    await admin.getByLabel('Work email').fill('ines@example.com');
    await admin.getByLabel('Their name').fill('Ines Invitee');
    await admin.locator('form[action="?/invite"] select[name="role"]').selectOption('agent');
    await admin.getByLabel('Test web inbox').check();
    await admin.getByRole('button', { name: 'Send invitation' }).click();
    await admin.locator('[data-invited]').waitFor();
    await admin.locator('[data-invitation="ines@example.com"]').waitFor();
    const link = await mailedLink('ines@example.com', 1, '/invite/');
    await admin.reload();
    await admin.locator('[data-invitation="ines@example.com"] .badge.pending').waitFor();
    await admin.screenshot({ path: join(SHOTS, 'users-invitations-desktop.png'), fullPage: true });

    // The invitee, on a phone.
    const ines = await newPage(390);
    await ines.goto(link);
    await ines.getByText('ines@example.com', { exact: true }).first().waitFor();
    expect(await ines.getByLabel('Your name').inputValue()).toBe('Ines Invitee');
    await ines.screenshot({ path: join(SHOTS, 'invite-accept-phone.png'), fullPage: true });
    await ines.getByLabel('Password').fill('ines-password-123');
    await ines.getByRole('button', { name: 'Join and sign in' }).click();
    await ines.waitForURL((u) => u.pathname.startsWith('/inbox'));
    const created = (await s.req('GET', '/users', { auth: s.admin })).body.data.find((u: any) => u.email === 'ines@example.com');
    expect(created).toMatchObject({ name: 'Ines Invitee', role: 'agent', twoFactorEnabled: false });
    // The link was single-use.
    await ines.goto(link);
    await ines.locator('[data-dead]').waitFor();

    // Two-factor enrolment on the profile: QR code, typed key, then a code from the app.
    await ines.goto(`${s.url}/settings/profile`);
    await ines.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const secret = (await ines.locator('[data-totp-secret]').textContent())!.trim();
    await ines.locator('.qr svg').waitFor();
    await ines.screenshot({ path: join(SHOTS, 'profile-2fa-setup-phone.png'), fullPage: true });
    await ines.getByLabel('Code from the app').fill(generateSync({ secret }));
    await ines.getByRole('button', { name: 'Turn on' }).click();
    await ines.locator('[data-recovery-codes] li').first().waitFor();
    const recoveryCodes = await ines.locator('[data-recovery-codes] code').allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    await ines.screenshot({ path: join(SHOTS, 'profile-recovery-codes-phone.png'), fullPage: true });
    await ines.locator('[data-two-factor="on"]').waitFor();

    // Sign out, then in again: the password alone is not enough.
    await ines.getByRole('button', { name: 'Sign out' }).first().click();
    await ines.waitForURL((u) => u.pathname === '/login');
    await passwordStep(ines, 'ines@example.com', 'ines-password-123');
    await ines.locator('[data-step="code"]').waitFor();
    expect(new URL(ines.url()).pathname).toBe('/login');
    await ines.screenshot({ path: join(SHOTS, 'login-2fa-code-phone.png'), fullPage: true });
    await ines.getByLabel('Code').fill('000000');
    await ines.getByRole('button', { name: 'Verify' }).click();
    await ines.getByRole('alert').waitFor();
    // The enrolment used this 30-second step's code; a code works once, so the next step's code.
    await ines.getByLabel('Code').fill(generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await ines.getByRole('button', { name: 'Verify' }).click();
    await ines.waitForURL((u) => u.pathname.startsWith('/inbox'));

    // A second browser signs in with a recovery code (lost phone); the profile lists both sessions.
    const desk = await newPage(1280);
    await passwordStep(desk, 'ines@example.com', 'ines-password-123');
    await desk.locator('[data-step="code"]').waitFor();
    await desk.screenshot({ path: join(SHOTS, 'login-2fa-code-desktop.png'), fullPage: true });
    await desk.getByRole('button', { name: 'Lost your phone? Use a recovery code' }).click();
    await desk.getByLabel('Recovery code').fill(recoveryCodes[0]!);
    await desk.getByRole('button', { name: 'Verify' }).click();
    await desk.waitForURL((u) => u.pathname.startsWith('/inbox'));
    await desk.goto(`${s.url}/settings/profile`);
    await desk.locator('[data-sessions] li').nth(1).waitFor();
    expect(await desk.locator('[data-sessions] li').count()).toBe(2);
    await desk.getByText('9 recovery codes left.').waitFor();
    await desk.getByLabel('Display name').fill('Ines');
    await desk.getByLabel('Language').selectOption('de');
    await desk.getByRole('button', { name: 'Save profile' }).click();
    // The page comes back in the language just chosen.
    await desk.getByText('Profil gespeichert.').waitFor();
    expect(await desk.locator('[data-initials]').textContent()).toBe('I');
    await desk.screenshot({ path: join(SHOTS, 'profile-desktop.png'), fullPage: true });

    // "Sign out" on the phone's session: the phone is signed out at its next step.
    await desk.locator('[data-session="other"]').getByRole('button', { name: 'Abmelden' }).click();
    await desk.getByText('Signed out of that session.').waitFor();
    expect(await desk.locator('[data-sessions] li').count()).toBe(1);
    await ines.goto(`${s.url}/settings/profile`);
    await ines.waitForURL((u) => u.pathname === '/login');
    const audited = await s.deps.db.selectFrom('audit_log').select('action').where('action', '=', 'user.session_ended').execute();
    expect(audited).toHaveLength(1);
  });

  it('forgot password: the link from the mail sets a new password, then sign in with it', async () => {
    await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'fay@example.com', name: 'Fay Forgetful', role: 'agent', password: 'fay-old-password' },
    });
    const page = await newPage(390);
    await page.goto(`${s.url}/login`);
    await page.screenshot({ path: join(SHOTS, 'login-phone.png'), fullPage: true });
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL((u) => u.pathname === '/forgot-password');
    await page.getByLabel('Email').fill('fay@example.com');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.locator('[data-sent]').waitFor();
    await page.screenshot({ path: join(SHOTS, 'forgot-sent-phone.png'), fullPage: true });
    const link = await mailedLink('fay@example.com', 1, '/reset-password/');

    await page.goto(link);
    await page.screenshot({ path: join(SHOTS, 'reset-password-phone.png'), fullPage: true });
    await page.getByLabel('New password').fill('fay-new-password');
    await page.getByLabel('Repeat it').fill('fay-new-password');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    await page.getByText('Your password is set.').waitFor();
    // Used once: the same link now says so.
    const again = await newPage(1280);
    await again.goto(link);
    await again.getByLabel('New password').fill('fay-third-password');
    await again.getByLabel('Repeat it').fill('fay-third-password');
    await again.getByRole('button', { name: 'Set password' }).click();
    await again.locator('[data-dead]').waitFor();
    await again.screenshot({ path: join(SHOTS, 'reset-password-used-desktop.png'), fullPage: true });

    await passwordStep(page, 'fay@example.com', 'fay-new-password');
    await page.waitForURL((u) => u.pathname.startsWith('/inbox'));
    await expect(s.login('fay@example.com', 'fay-old-password')).rejects.toThrow(/401/);
  });

  it("an admin resets a colleague's password from Users: the mailed link sets a new one", async () => {
    const user = await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'rex@example.com', name: 'Rex Reset', role: 'agent', password: 'rex-old-password' },
    });
    expect(user.status).toBe(201);
    const admin = await newPage(1280);
    await passwordStep(admin, ADMIN.email, ADMIN.password);
    await admin.waitForURL((u) => u.pathname !== '/login');
    await admin.goto(`${s.url}/settings/users`);
    await admin.locator('[data-user="rex@example.com"]').getByRole('button', { name: 'Reset password' }).click();
    await admin.locator('[data-reset-sent]').getByText('rex@example.com').waitFor();
    await admin.screenshot({ path: join(SHOTS, 'users-reset-password-desktop.png'), fullPage: true });

    const link = await mailedLink('rex@example.com', 1, '/reset-password/');
    const rex = await newPage(390);
    await rex.goto(link);
    await rex.getByLabel('New password').fill('rex-new-password');
    await rex.getByLabel('Repeat it').fill('rex-new-password');
    await rex.getByRole('button', { name: 'Set password' }).click();
    await rex.waitForURL((u) => u.pathname === '/login');
    await passwordStep(rex, 'rex@example.com', 'rex-new-password');
    await rex.waitForURL((u) => u.pathname.startsWith('/inbox'));
    await expect(s.login('rex@example.com', 'rex-old-password')).rejects.toThrow(/401/);
    // A deactivated colleague has no reset button.
    await s.req('PATCH', `/users/${user.body.id}`, { auth: s.admin, body: { active: false } });
    await admin.reload();
    await admin.locator('[data-user="rex@example.com"]').getByRole('button', { name: 'Reactivate' }).waitFor();
    expect(await admin.locator('[data-user="rex@example.com"]').getByRole('button', { name: 'Reset password' }).count()).toBe(0);
  });

  it('profile picture: previewed when chosen, uploaded, shown to colleagues, a non-image refused, removed', async () => {
    const admin = await newPage(1280);
    // A picture made by the browser itself: a gradient disc with a face-like mark, as a PNG.
    await admin.setContent(
      '<div id="p" style="width:256px;height:256px;background:linear-gradient(135deg,#f59e0b,#db2777);display:grid;place-items:center;font:700 96px system-ui;color:#fff">☺</div>',
    );
    const picture = await admin.locator('#p').screenshot({ type: 'png' });
    await passwordStep(admin, ADMIN.email, ADMIN.password);
    await admin.waitForURL((u) => u.pathname !== '/login');
    await admin.goto(`${s.url}/settings/profile`);
    const card = admin.locator('[data-avatar-card]');
    await card.locator('[data-avatar-preview="initials"]').waitFor();
    // The preview of a chosen file is the page's script at work.
    await admin.locator('body[data-app-ready="1"]').waitFor();

    const input = card.locator('input[type=file]');
    await input.setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: picture });
    await card.locator('[data-avatar-preview="chosen"] img').waitFor();
    await card.getByRole('button', { name: 'Upload picture' }).click();
    await card.getByText('Picture saved.').waitFor();
    await card.locator('[data-avatar-preview="current"] img').waitFor();
    const loaded = (sel: string) =>
      admin
        .locator(sel)
        .first()
        .evaluate((el) => (el as unknown as { complete: boolean; naturalWidth: number }).naturalWidth);
    await waitFor(async () => (await loaded('[data-avatar-preview="current"] img')) === 256);
    await waitFor(async () => (await loaded('[data-avatar-img]')) === 256);
    const me = (await s.req('GET', '/me', { auth: s.admin })).body;
    expect(me.avatarUrl).toMatch(/avatar/);
    await card.screenshot({ path: join(DOC_SHOTS, 'profile-avatar-1280.png') });

    // Colleagues see it in the users list.
    await admin.goto(`${s.url}/settings/users`);
    await waitFor(async () => (await loaded(`[data-user="${ADMIN.email}"] img.avatar`)) === 256);

    const phone = await newPage(390);
    await passwordStep(phone, ADMIN.email, ADMIN.password);
    await phone.waitForURL((u) => u.pathname !== '/login');
    await phone.goto(`${s.url}/settings/profile`);
    const phoneCard = phone.locator('[data-avatar-card]');
    await phoneCard.locator('[data-avatar-preview="current"] img').waitFor();
    await phoneCard.screenshot({ path: join(DOC_SHOTS, 'profile-avatar-390.png') });

    // A text file named .png is refused by its bytes, and the picture stays.
    await admin.goto(`${s.url}/settings/profile`);
    await card
      .locator('input[type=file]')
      .setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not a picture at all') });
    await card.getByRole('button', { name: 'Upload picture' }).click();
    await card.getByRole('alert').waitFor();
    expect((await s.req('GET', '/me', { auth: s.admin })).body.avatarUrl).toBe(me.avatarUrl);

    await card.getByRole('button', { name: 'Remove picture' }).click();
    await card.getByText('Picture removed: your initials show again.').waitFor();
    await card.locator('[data-avatar-preview="initials"]').waitFor();
    expect((await s.req('GET', '/me', { auth: s.admin })).body.avatarUrl).toBeNull();
  });
});
