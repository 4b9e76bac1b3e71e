import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapInbound } from '../server/src/channels/email/imap-inbound';
import { SecretBox } from '../server/src/channels/email/secret-box';
import { loadChannelSecret } from '../server/src/channels/email/thread-token';
import { rawMail, startImapServer } from './helpers/imap-server';
import { startSmtpSink } from './helpers/smtp-sink';
import { startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Email from a mailbox the team keeps at its provider: a loopback IMAP server (hoodiecrow, the real
// protocol) holds the mail, our poller imports it over imapflow; replies go out over loopback SMTP.

let server: TestServer;
let imap: Awaited<ReturnType<typeof startImapServer>>;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let dataDir: string;
let inboxId: string;
const INBOX = 'support@shop.test';
const PASSWORD = 'imap-secret-pw';

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'autocrm-imap-'));
  imap = await startImapServer({ user: 'support', pass: PASSWORD });
  sink = await startSmtpSink();
  server = await startTestServer({ env: { DATA_DIR: dataDir, SMTP_URL: sink.url } });
  const inbox = await server.req('POST', '/inboxes', {
    auth: server.admin,
    body: { name: INBOX, channel: 'email', members: [server.admin.userId] },
  });
  expect(inbox.status).toBe(201);
  inboxId = inbox.body.id;
});

afterAll(async () => {
  await server?.close();
  await imap?.close();
  await sink?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const until = async <T>(check: () => Promise<T | undefined> | T | undefined, o?: { timeoutMs?: number }) =>
  (await waitFor(check, o)) as T;

async function conversationsFrom(address: string) {
  const res = await server.req('GET', `/conversations?inbox=${inboxId}&limit=100`, { auth: server.admin });
  const out: { id: string; subject: string | null }[] = [];
  for (const c of res.body.data as { id: string; contactId: string; subject: string | null }[]) {
    const contact = (await server.req('GET', `/contacts/${c.contactId}`, { auth: server.admin })).body;
    if (contact.email === address) out.push(c);
  }
  return out;
}

const bodies = async (conversationId: string) =>
  (
    (await server.req('GET', `/conversations/${conversationId}/messages?limit=200`, { auth: server.admin })).body.data as {
      authorKind: string;
      bodyText: string;
    }[]
  ).map((m) => [m.authorKind, m.bodyText]);

const seen = (messageId: string) =>
  imap
    .inbox()
    .find((m) => m.raw.includes(messageId))
    ?.flags.includes('\\Seen');

describe('email over IMAP', () => {
  it('imports unread mail, then new mail as IDLE announces it, marks each seen once stored, and threads the answer to a reply', async () => {
    imap.deliver(
      rawMail({ from: 'old@cust.test', to: INBOX, subject: 'Old', messageId: '<old@cust.test>', text: 'read before' }),
    );
    imap.inbox()[0]!.flags.push('\\Seen');
    imap.deliver(
      rawMail({
        from: '"Ana" <ana@cust.test>',
        to: INBOX,
        subject: 'Where is my parcel',
        messageId: '<a1@cust.test>',
        text: 'Hi, no parcel yet.',
      }),
    );

    const patched = await server.req('PATCH', `/inboxes/${inboxId}/email`, {
      auth: server.admin,
      body: { imap: { host: '127.0.0.1', port: imap.port, secure: false, user: 'support', password: PASSWORD } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.imap).toMatchObject({ host: '127.0.0.1', user: 'support', hasPassword: true, mailbox: 'INBOX' });
    expect(JSON.stringify(patched.body)).not.toContain(PASSWORD);
    // Stored encrypted, like the SMTP password.
    const row = await server.deps.db.selectFrom('inboxes').select('settings').where('id', '=', inboxId).executeTakeFirstOrThrow();
    expect(JSON.stringify(row.settings)).not.toContain(PASSWORD);
    expect((row.settings.email as { imap: { passwordSealed: string } }).imap.passwordSealed).toMatch(/^v1:/);

    const test = await server.req('POST', `/inboxes/${inboxId}/email/imap/test`, { auth: server.admin, body: {} });
    expect(test.body).toEqual({ ok: true, sent: false, error: null });

    const [ana] = await until(async () => {
      const list = await conversationsFrom('ana@cust.test');
      return list.length ? list : undefined;
    });
    expect(ana!.subject).toBe('Where is my parcel');
    expect(await bodies(ana!.id)).toEqual([['contact', 'Hi, no parcel yet.']]);
    await until(() => seen('<a1@cust.test>') || undefined);
    // Mail read before the mailbox was connected is left alone.
    expect(await conversationsFrom('old@cust.test')).toEqual([]);

    // New mail while the poller idles: the server's EXISTS wakes it.
    imap.deliver(
      rawMail({ from: 'ben@cust.test', to: INBOX, subject: 'Refund', messageId: '<b1@cust.test>', text: 'Refund please.' }),
    );
    const [ben] = await until(async () => {
      const list = await conversationsFrom('ben@cust.test');
      return list.length ? list : undefined;
    });
    expect(await bodies(ben!.id)).toEqual([['contact', 'Refund please.']]);

    // The agent answers by SMTP; Ana's answer comes back through the mailbox into the same room.
    const sent = await server.req('POST', `/conversations/${ana!.id}/messages`, {
      auth: server.admin,
      body: { body: 'It left today.' },
    });
    expect(sent.status).toBe(201);
    const out = await until(() => sink.mails.find((m) => m.envelope.to.includes('ana@cust.test')));
    const replyTo = out.parsed.replyTo!.value[0]!.address!;
    imap.deliver(
      [
        'From: ana@cust.test',
        `To: ${replyTo}`,
        'Subject: Re: Where is my parcel',
        'Message-ID: <a2@cust.test>',
        `In-Reply-To: ${out.parsed.messageId}`,
        `References: <a1@cust.test> ${out.parsed.messageId}`,
        '',
        'Thanks!',
        '',
        '> It left today.',
        '',
      ].join('\r\n'),
    );
    await until(async () => ((await bodies(ana!.id)).length === 3 ? true : undefined));
    expect(await bodies(ana!.id)).toEqual([
      ['contact', 'Hi, no parcel yet.'],
      ['agent', 'It left today.'],
      ['contact', 'Thanks!'],
    ]);
  });

  it('reconnects after the provider drops the connection and resumes from the last UID: nothing missed, nothing fetched again', async () => {
    const before = imap.connections().total;
    imap.dropConnections();
    // Ana's first mail is unread again at the provider: a poller that forgot where it was would take it again.
    const first = imap.inbox().find((m) => m.raw.includes('<a1@cust.test>'))!;
    first.flags.splice(first.flags.indexOf('\\Seen'), 1);
    imap.deliver(
      rawMail({
        from: 'cy@cust.test',
        to: INBOX,
        subject: 'While away',
        messageId: '<c1@cust.test>',
        text: 'Sent during the cut.',
      }),
    );

    const [cy] = await until(
      async () => {
        const list = await conversationsFrom('cy@cust.test');
        return list.length ? list : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(await bodies(cy!.id)).toEqual([['contact', 'Sent during the cut.']]);
    expect(imap.connections().total).toBeGreaterThan(before);
    await until(() => seen('<c1@cust.test>') || undefined);
    expect(seen('<a1@cust.test>')).toBe(false);
    const state = await server.deps.db
      .selectFrom('email_imap_state')
      .selectAll()
      .where('inbox_id', '=', inboxId)
      .executeTakeFirstOrThrow();
    expect(Number(state.last_uid)).toBe(Math.max(...imap.inbox().map((m) => m.uid)));
  });

  it('shows a wrong password as the test result and as the mailbox error', async () => {
    const other = await server.req('POST', '/inboxes', {
      auth: server.admin,
      body: { name: 'other@shop.test', channel: 'email', members: [server.admin.userId] },
    });
    await server.req('PATCH', `/inboxes/${other.body.id}/email`, {
      auth: server.admin,
      body: { imap: { host: '127.0.0.1', port: imap.port, secure: false, user: 'support', password: 'wrong' } },
    });
    const test = await server.req('POST', `/inboxes/${other.body.id}/email/imap/test`, { auth: server.admin, body: {} });
    expect(test.body.ok).toBe(false);
    expect(test.body.error).toBeTruthy();
    const settings = await until(async () => {
      const s = (await server.req('GET', `/inboxes/${other.body.id}/email`, { auth: server.admin })).body;
      return s.imap.lastError ? s : undefined;
    });
    expect(settings.imap.lastError).toBeTruthy();
    await server.req('PATCH', `/inboxes/${other.body.id}/email`, { auth: server.admin, body: { imap: null } });
  });

  it('is polled by one process at a time; when that one stops, another takes over from the last UID', async () => {
    const db = server.deps.db;
    const received: string[] = [];
    const second = new ImapInbound(
      {
        db,
        box: new SecretBox(await loadChannelSecret(db)),
        logger: pino({ level: 'silent' }),
        receive: async (_inbox, raw) => void received.push(raw.toString()),
      },
      100,
    );
    second.start();
    try {
      await until(() => (second.rounds >= 3 ? true : undefined));
      expect(second.watched()).toEqual([]);
      imap.deliver(rawMail({ from: 'dee@cust.test', to: INBOX, subject: 'D', messageId: '<d1@cust.test>', text: 'one' }));
      await until(async () => ((await conversationsFrom('dee@cust.test')).length ? true : undefined));
      expect(received).toEqual([]);

      // The server's process stops (a deploy): it lets go of its lease and the other process carries on.
      await server.deps.channels!.get('email')!.close();
      await until(() => (second.watched().includes(inboxId) ? true : undefined));
      imap.deliver(rawMail({ from: 'eve@cust.test', to: INBOX, subject: 'E', messageId: '<e1@cust.test>', text: 'two' }));
      await until(() => (received.length ? true : undefined));
      await until(() =>
        imap
          .inbox()
          .find((m) => m.raw.includes('<e1@cust.test>'))
          ?.flags.includes('\\Seen')
          ? true
          : undefined,
      );
      // Only the new mail: everything before was recorded as imported by the first process.
      expect(received.map((r) => /Message-ID: (\S+)/.exec(r)?.[1])).toEqual(['<e1@cust.test>']);
    } finally {
      await second.stop();
    }
  });
});
