import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from './helpers/smtp-sink';
import { BACKEND, startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Account mails speak the recipient's language: an invitation in the language the admin chose (else the
// admin's own), a password reset in the user's profile language; English for a language not written yet.
// The mails go through real SMTP to a loopback server and are parsed back.

describe(`account mails in the user's language (${BACKEND})`, () => {
  let s: TestServer;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  const mailTo = (address: string, n = 1) => waitFor(() => sink.mails.filter((m) => m.envelope.to.includes(address))[n - 1]);

  beforeAll(async () => {
    sink = await startSmtpSink();
    s = await startTestServer({ env: { SMTP_URL: sink.url, TRUST_PROXY: '1' } });
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await sink?.close();
  });

  it('writes an invitation in the chosen language, else the inviting admin’s, else English', async () => {
    const de = await s.req('POST', '/invitations', {
      auth: s.admin,
      body: { email: 'jonas@example.de', name: 'Jonas', role: 'agent', language: 'de-AT' },
    });
    expect(de.status, de.text).toBe(201);
    const mail = (await mailTo('jonas@example.de'))!;
    expect(mail.parsed.subject).toMatch(/hat Sie zu AutoCRM eingeladen$/);
    expect(mail.parsed.text).toContain('Hallo Jonas,');
    expect(mail.parsed.text).toContain('als Agent beizutreten');
    expect(String(mail.parsed.html)).toContain('Einladung annehmen');

    const en = await s.req('POST', '/invitations', { auth: s.admin, body: { email: 'ann@example.com', role: 'supervisor' } });
    expect(en.status).toBe(201);
    const enMail = (await mailTo('ann@example.com'))!;
    expect(enMail.parsed.subject).toMatch(/invited you to AutoCRM$/);
    expect(enMail.parsed.text).toContain('as a supervisor');

    // The admin switches their profile to German: their invitations follow unless a language is chosen.
    expect((await s.req('PATCH', '/me', { auth: s.admin, body: { locale: 'de' } })).status).toBe(200);
    await s.req('POST', '/invitations', { auth: s.admin, body: { email: 'eva@example.de', role: 'admin' } });
    expect((await mailTo('eva@example.de'))!.parsed.text).toContain('als Admin beizutreten');
    // A language without account-mail strings yet falls back to English.
    await s.req('POST', '/invitations', { auth: s.admin, body: { email: 'zoe@example.fr', role: 'agent', language: 'fr' } });
    expect((await mailTo('zoe@example.fr'))!.parsed.subject).toMatch(/invited you/);
    expect((await s.req('PATCH', '/me', { auth: s.admin, body: { locale: 'en' } })).status).toBe(200);
  });

  it('writes a password reset in the user’s profile language', async () => {
    const made = await s.req('POST', '/users', {
      auth: s.admin,
      body: { email: 'greta@example.de', name: 'Greta', role: 'agent', password: 'greta-password-1' },
    });
    expect(made.status).toBe(201);
    const greta = await s.login('greta@example.de', 'greta-password-1');
    expect((await s.req('PATCH', '/me', { auth: greta, body: { locale: 'de' } })).status).toBe(200);
    const asked = await fetch(`${s.url}/api/v1/auth/password-reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.77' },
      body: JSON.stringify({ email: 'greta@example.de' }),
    });
    expect(asked.status).toBeLessThan(300);
    const mail = (await mailTo('greta@example.de'))!;
    expect(mail.parsed.subject).toBe('Ihr AutoCRM-Passwort zurücksetzen');
    expect(mail.parsed.text).toContain('Hallo Greta,');
    expect(mail.parsed.text).toMatch(/Der Link gilt einmal und \d+ Minuten lang/);
    expect(mail.parsed.text).toMatch(/\/reset-password\/[A-Za-z0-9_-]+/);
  });
});
