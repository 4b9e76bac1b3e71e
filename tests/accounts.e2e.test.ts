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
// password. Screens at desktop (1280) and phone (390) width.

const SHOTS = process.env.ACCOUNT_SCREENSHOTS ?? join(tmpdir(), 'autocrm-account-screens');

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
});
