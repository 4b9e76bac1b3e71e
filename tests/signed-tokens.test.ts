import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsatTokens } from '../server/src/channels/email/csat-token';
import { loadChannelSecret, ThreadTokens } from '../server/src/channels/email/thread-token';
import { portalLiveToken } from '../server/src/domain/portal/live-token';
import { settingSecret, sign, type TokenPurpose, verify } from '../server/src/domain/security/signed-token';
import { loadUploadLinkSecret, UploadLinks } from '../server/src/domain/widget/upload-links';
import { startTestServer, type TestServer } from './helpers/test-server';

// The one signing helper, and the promise it keeps to mail already sent: tokens made the way each part
// signed them before the helper existed (the formulas below are copied from that code) still verify.

const oldMac = (secret: string, data: string, encoding: 'hex' | 'base64url', length: number) =>
  createHmac('sha256', secret).update(data).digest(encoding).slice(0, length);

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

describe('signed tokens', () => {
  it('refuses a signature made for one purpose when it is offered for another', () => {
    const secret = 'one-secret-for-both';
    const payload = randomUUID().replace(/-/g, '');
    const purposes: TokenPurpose[] = ['portal-live', 'unsub', 'conv', 'csat', 'upload'];
    for (const a of purposes) {
      expect(verify(secret, a, payload, sign(secret, a, payload))).toBe('valid');
      for (const b of purposes.filter((p) => p !== a)) {
        // Cut or padded to b's length, so only the purpose inside the MAC tells them apart.
        const theirs = sign(secret, a, payload);
        const ours = sign(secret, b, payload);
        const forged = theirs.length >= ours.length ? theirs.slice(0, ours.length) : theirs.padEnd(ours.length, '0');
        expect(verify(secret, b, payload, forged)).toBe('invalid');
      }
    }
    // Thread and CSAT tokens share the mail secret: a reply address's token rates nothing.
    const conv = randomUUID();
    const threads = new ThreadTokens(secret);
    const hex = conv.replace(/-/g, '');
    const threadSig = threads.token(conv).slice(33);
    expect(new CsatTokens(secret).verify(`${hex}.${threadSig.padEnd(32, 'A')}`)).toBeUndefined();
    expect(new CsatTokens(secret).verify(new CsatTokens(secret).token(conv))).toBe(conv);
  });

  it('checks expiry only for a valid signature, and an expiry that was not signed fails', () => {
    const exp = 1_000_000;
    const sig = sign('k', 'upload', 'id', exp);
    expect(verify('k', 'upload', 'id', sig, { expiresAt: exp, now: (exp - 1) * 1000 })).toBe('valid');
    expect(verify('k', 'upload', 'id', sig, { expiresAt: exp, now: (exp + 1) * 1000 })).toBe('expired');
    expect(verify('k', 'upload', 'id', sig, { expiresAt: exp + 3600, now: exp * 1000 })).toBe('invalid');
    expect(verify('k', 'upload', 'id', sig, { expiresAt: Number.NaN })).toBe('invalid');
  });

  it('still takes an unsubscribe link mailed before the helper (old format, by its page)', async () => {
    const contact = await s.req('POST', '/contacts', { auth: s.admin, body: { name: 'Olde Mail', email: 'olde@cust.test' } });
    expect(contact.status).toBe(201);
    const hex = String(contact.body.id).replace(/-/g, '');
    const secret = await settingSecret(s.deps.db, 'notifications.unsubscribe_secret');
    const old = `u${hex}${oldMac(secret, `unsub:${hex}`, 'hex', 24)}`;
    const page = await fetch(`${s.url}/api/v1/notifications/unsubscribe/${old}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-unsubscribe="ask"');
    // One wrong digit and it is refused.
    const forged = old.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expect((await fetch(`${s.url}/api/v1/notifications/unsubscribe/${forged}`)).status).toBe(404);
  });

  it('still takes thread, CSAT, portal-live and upload tokens made the old way', async () => {
    const conv = randomUUID();
    const hex = conv.replace(/-/g, '');
    const mail = await loadChannelSecret(s.deps.db);
    // Reply addresses (mail clients may lowercase them) and Message-IDs already out there.
    const thread = `c${hex}${oldMac(mail, `conv:${hex}`, 'hex', 20)}`;
    const tokens = new ThreadTokens(mail);
    expect(tokens.verify(thread)).toBe(conv);
    expect(tokens.verify(thread.toUpperCase())).toBe(conv);
    expect(tokens.conversationOfMessageId(`<${randomUUID().replace(/-/g, '')}.${thread}@mail.test>`)).toBe(conv);
    expect(tokens.token(conv)).toBe(thread);
    // CSAT rating links.
    const csat = `${hex}.${oldMac(mail, `csat:${hex}`, 'base64url', 32)}`;
    expect(new CsatTokens(mail).verify(csat)).toBe(conv);
    // The portal's live token (the same string as before, so open pages keep their sockets).
    const session = randomUUID();
    const shex = session.replace(/-/g, '');
    const live = await settingSecret(s.deps.db, 'portal.live_secret');
    expect(await portalLiveToken(s.deps.db, { sessionId: session })).toBe(
      `pl_${shex}${oldMac(live, `portal-live:${shex}`, 'hex', 32)}`,
    );
    // Upload links handed out before (they live an hour).
    const up = await loadUploadLinkSecret(s.deps.db);
    const links = new UploadLinks(up, { ttlSeconds: 3600, isOwnOrigin: () => true });
    const exp = Math.floor(Date.now() / 1000) + 600;
    const id = 'a'.repeat(43);
    expect(() => links.verify(id, String(exp), oldMac(up, `upload:${id}.${exp}`, 'base64url', 22))).not.toThrow();
    expect(() => links.verify(id, String(exp), oldMac(up, `upload:${id}.${exp + 1}`, 'base64url', 22))).toThrow(/not valid/);
  });
});
