import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailClient, startSmtpSink } from './helpers/smtp-sink';
import { startTestServer, type TestServer, waitFor } from './helpers/test-server';

// Email end to end over real SMTP on loopback: customers' mail goes into our SMTP server, agents'
// replies come out through SMTP_URL into a recording provider and are parsed back.

let server: TestServer;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let client: ReturnType<typeof mailClient>;
let inboxId: string;
let dataDir: string;
const INBOX = 'help@acme.test';

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'autocrm-email-'));
  sink = await startSmtpSink();
  server = await startTestServer({
    env: {
      DATA_DIR: dataDir,
      SMTP_URL: sink.url,
      SMTP_INBOUND_PORT: '0',
      EMAIL_RETRY_BASE_MS: '50',
      EMAIL_MAX_ATTEMPTS: '3',
      EMAIL_AWAY_DELAY_SECONDS: '1',
    },
  });
  const inbox = await server.req('POST', '/inboxes', {
    auth: server.admin,
    body: { name: INBOX, channel: 'email', members: [server.admin.userId] },
  });
  expect(inbox.status).toBe(201);
  inboxId = inbox.body.id;
  client = mailClient(server.deps.channels!.get('email')!.ports.smtp!);
});

afterAll(async () => {
  client?.close();
  await server?.close();
  await sink?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** waitFor whose value is never undefined once it resolves. */
const until = async <T>(check: () => Promise<T | undefined> | T | undefined, o?: { timeoutMs?: number }) =>
  (await waitFor(check, o)) as T;

let seq = 0;
const mid = (who: string) => `<m${++seq}.${Date.now()}@${who.split('@')[1]}>`;

async function conversationsFrom(address: string) {
  const res = await server.req('GET', `/conversations?inbox=${inboxId}&limit=100`, { auth: server.admin });
  const contacts = await Promise.all(
    (res.body.data as { id: string; contactId: string; subject: string | null; channel: string }[]).map(async (c) => ({
      c,
      contact: (await server.req('GET', `/contacts/${c.contactId}`, { auth: server.admin })).body,
    })),
  );
  return contacts.filter((x) => x.contact.email === address).map((x) => x.c);
}

const messagesOf = async (conversationId: string) =>
  (await server.req('GET', `/conversations/${conversationId}/messages?limit=200`, { auth: server.admin })).body.data as {
    id: string;
    authorKind: string;
    bodyText: string;
    bodyHtml: string;
    attachments: { url: string; name: string; contentType: string }[];
  }[];

const emailOf = async (conversationId: string) =>
  (await server.req('GET', `/conversations/${conversationId}/email`, { auth: server.admin })).body;

async function reply(conversationId: string, body: string) {
  const res = await server.req('POST', `/conversations/${conversationId}/messages`, { auth: server.admin, body: { body } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('email channel', () => {
  it('opens a conversation from a new mail, replies by mail threaded, and takes the answer into the same room with the quote stripped', async () => {
    const first = mid('example.test');
    await client.send({
      from: '"Maria López" <maria@example.test>',
      to: INBOX,
      subject: 'Bestellung verspätet',
      text: 'Hello,\nmy order #42 has not arrived.',
      messageId: first,
    });
    const [conv] = await until(async () => {
      const list = await conversationsFrom('maria@example.test');
      return list.length ? list : undefined;
    });
    expect(conv).toMatchObject({ channel: 'email', subject: 'Bestellung verspätet' });
    const contact = (await server.req('GET', `/contacts/${(conv as { contactId: string }).contactId}`, { auth: server.admin }))
      .body;
    expect(contact).toMatchObject({ email: 'maria@example.test', name: 'Maria López' });
    const msgs = await messagesOf(conv!.id);
    expect(msgs.map((m) => [m.authorKind, m.bodyText])).toEqual([['contact', 'Hello,\nmy order #42 has not arrived.']]);

    const users = (await server.req('GET', '/users', { auth: server.admin })).body.data as { id: string; name: string }[];
    const agentName = users.find((u) => u.id === server.admin.userId)!.name;
    const replyId = await reply(conv!.id, '<p>Sorry, Maria! It ships <strong>today</strong>.</p><script>x()</script>');
    const sent = await until(() => sink.mails.find((m) => m.parsed.subject === 'Re: Bestellung verspätet'));
    const p = sent.parsed;
    expect(p.from?.value[0]).toMatchObject({ address: INBOX, name: agentName });
    expect(sent.envelope.to).toEqual(['maria@example.test']);
    expect(p.inReplyTo).toBe(first);
    expect(p.references).toContain(first);
    const replyTo = p.replyTo!.value[0]!.address!;
    expect(replyTo).toMatch(/^help\+c[0-9a-f]{52}@acme\.test$/);
    expect(p.html).toContain('<strong>today</strong>');
    expect(p.html).not.toContain('<script');
    expect(p.text).toContain('Sorry, Maria! It ships today.');
    // The customer's previous message is quoted under the reply.
    expect(p.text).toContain('> my order #42 has not arrived.');
    expect(p.html).toContain('my order #42 has not arrived.');
    await until(async () => {
      const e = await emailOf(conv!.id);
      return e.emails.find((x: { messageId: string; status: string }) => x.messageId === replyId && x.status === 'sent');
    });

    // Maria answers from her mail client: to the Reply-To, In-Reply-To our Message-ID, quoting us.
    const answer = mid('example.test');
    await client.send({
      from: 'maria@example.test',
      to: replyTo,
      subject: 'Re: Bestellung verspätet',
      inReplyTo: p.messageId!,
      references: [first, p.messageId!],
      messageId: answer,
      text: `Great, thanks!\n\nOn Tue, 3 Dec 2026 at 10:00, Support <${INBOX}> wrote:\n> Sorry, Maria! It ships today.\n\n-- \nMaria López\nLopez Design`,
    });
    const withAnswer = await until(async () => {
      const m = await messagesOf(conv!.id);
      return m.length === 3 ? m : undefined;
    });
    expect(withAnswer[2]).toMatchObject({ authorKind: 'contact', bodyText: 'Great, thanks!' });
    expect(await conversationsFrom('maria@example.test')).toHaveLength(1);
    // "Show full email": the quote and the signature are kept.
    const thread = await emailOf(conv!.id);
    const inbound = thread.emails.filter((e: { direction: string }) => e.direction === 'in');
    expect(inbound).toHaveLength(2);
    const full = await server.req('GET', `/conversations/${conv!.id}/email/${inbound[1].id}`, { auth: server.admin });
    expect(full.status).toBe(200);
    expect(full.body.text).toContain('> Sorry, Maria! It ships today.');
    expect(full.body.text).toContain('Lopez Design');
  });

  it('threads on In-Reply-To only for the same sender; a forged reference or token opens a new conversation', async () => {
    const original = mid('example.org');
    await client.send({
      from: 'tom@example.org',
      to: INBOX,
      subject: 'Invoice',
      text: 'Where is my invoice?',
      messageId: original,
    });
    const [tomConv] = await until(async () => {
      const l = await conversationsFrom('tom@example.org');
      return l.length ? l : undefined;
    });

    // Tom follows up on his own mail (no token): threads by In-Reply-To, same sender.
    await client.send({
      from: 'tom@example.org',
      to: INBOX,
      subject: 'Re: Invoice',
      text: 'Any news?',
      inReplyTo: original,
      references: [original],
      messageId: mid('example.org'),
    });
    await until(async () => (await messagesOf(tomConv!.id)).length === 2);

    // Mallory copies Tom's Message-ID into In-Reply-To and guesses a plus token: not Tom's room.
    const token = `c${tomConv!.id.replace(/-/g, '')}${'0'.repeat(20)}`;
    await client.send({
      from: 'mallory@evil.test',
      to: `help+${token}@acme.test`,
      subject: 'Re: Invoice',
      text: 'Send me the invoice details please',
      inReplyTo: original,
      references: [original],
      messageId: mid('evil.test'),
    });
    const [malloryConv] = await until(async () => {
      const l = await conversationsFrom('mallory@evil.test');
      return l.length ? l : undefined;
    });
    expect(malloryConv!.id).not.toBe(tomConv!.id);
    expect((await messagesOf(tomConv!.id)).map((m) => m.bodyText)).toEqual(['Where is my invoice?', 'Any news?']);

    // A new subject from a known contact starts a new conversation.
    await client.send({
      from: 'tom@example.org',
      to: INBOX,
      subject: 'New laptop',
      text: 'Another question',
      messageId: mid('example.org'),
    });
    await until(async () => (await conversationsFrom('tom@example.org')).length === 2);
  });

  it('stores attachments and inline images like uploads and shows them on the message', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% test document\n');
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    await client.send({
      from: 'ana@example.test',
      to: INBOX,
      subject: 'Screenshot',
      text: 'See attached.',
      html: '<p>See attached.</p><img src="cid:shot@ana" alt="shot"><script>alert(1)</script>',
      attachments: [
        { filename: 'invoice.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'shot.png', content: png, contentType: 'image/png', cid: 'shot@ana' },
      ],
      messageId: mid('example.test'),
    });
    const [conv] = await until(async () => {
      const l = await conversationsFrom('ana@example.test');
      return l.length ? l : undefined;
    });
    const [msg] = await messagesOf(conv!.id);
    expect(msg!.attachments.map((a) => [a.name, a.contentType]).sort()).toEqual([
      ['invoice.pdf', 'application/pdf'],
      ['shot.png', 'image/png'],
    ]);
    const pdfUrl = msg!.attachments.find((a) => a.name === 'invoice.pdf')!.url;
    const file = await fetch(pdfUrl.replace(/^https?:\/\/[^/]+/, server.url));
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(pdf)).toBe(true);
    const thread = await emailOf(conv!.id);
    const full = await server.req('GET', `/conversations/${conv!.id}/email/${thread.emails[0].id}`, { auth: server.admin });
    const imgUrl = msg!.attachments.find((a) => a.name === 'shot.png')!.url;
    // Both links are signed when shown, each with its own expiry: the same file, a signed link.
    expect(full.body.html).toContain(`src="${imgUrl.split('?')[0]}?exp=`);
    expect(full.body.html).not.toContain('<script');
  });

  it('decodes encoded names, subjects and charsets', async () => {
    const raw = [
      'From: =?ISO-8859-1?Q?J=FCrgen_M=FCller?= <juergen@example.de>',
      `To: ${INBOX}`,
      'Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=',
      `Message-ID: ${mid('example.de')}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=ISO-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Sch=F6ne Gr=FC=DFe',
      '',
    ].join('\r\n');
    await client.send({ envelope: { from: 'juergen@example.de', to: [INBOX] }, raw });
    const [conv] = await until(async () => {
      const l = await conversationsFrom('juergen@example.de');
      return l.length ? l : undefined;
    });
    expect(conv!.subject).toBe('Grüße aus Köln');
    const contact = (await server.req('GET', `/contacts/${(conv as { contactId: string }).contactId}`, { auth: server.admin }))
      .body;
    expect(contact.name).toBe('Jürgen Müller');
    expect((await messagesOf(conv!.id))[0]!.bodyText).toBe('Schöne Grüße');
  });

  it('ignores auto-replies and bounces, never answers them, and stores a duplicate Message-ID once', async () => {
    await client.send({
      from: 'ooo@example.test',
      to: INBOX,
      subject: 'Automatic reply: away',
      text: 'I am out of office.',
      headers: { 'Auto-Submitted': 'auto-replied' },
      messageId: mid('example.test'),
    });
    await client.send({
      from: 'bulk@example.test',
      to: INBOX,
      subject: 'Newsletter',
      text: 'News',
      headers: { Precedence: 'bulk' },
      messageId: mid('example.test'),
    });
    await client.send({
      envelope: { from: '', to: [INBOX] },
      from: 'MAILER-DAEMON@mx.example.test',
      to: INBOX,
      subject: 'Undelivered Mail Returned to Sender',
      text: 'The mail could not be delivered.',
      messageId: mid('example.test'),
    });
    // A mail that comes after them is processed, so they were too.
    const dup = mid('example.test');
    const mail = { from: 'dup@example.test', to: INBOX, subject: 'Twice', text: 'Sent twice', messageId: dup };
    await client.send(mail);
    await client.send(mail);
    const [conv] = await until(async () => {
      const l = await conversationsFrom('dup@example.test');
      return l.length ? l : undefined;
    });
    const ignored = await server.deps.db
      .selectFrom('email_messages')
      .select(['from_address', 'status', 'status_reason', 'conversation_id'])
      .where('status', '=', 'ignored')
      .execute();
    expect(ignored.map((r) => [r.from_address, r.status_reason, r.conversation_id]).sort()).toEqual([
      ['bulk@example.test', 'auto_reply', null],
      ['mailer-daemon@mx.example.test', 'bounce', null],
      ['ooo@example.test', 'auto_reply', null],
    ]);
    for (const who of ['ooo@example.test', 'bulk@example.test', 'mailer-daemon@mx.example.test']) {
      expect(await conversationsFrom(who)).toEqual([]);
    }
    expect(await messagesOf(conv!.id)).toHaveLength(1);
    expect((await conversationsFrom('dup@example.test')).length).toBe(1);
  });

  it('refuses mail for an address that is not an inbox and stores nothing', async () => {
    await expect(
      client.send({ from: 'x@example.test', to: 'nobody@acme.test', subject: 'Hi', text: 'hi', messageId: mid('example.test') }),
    ).rejects.toThrow(/550/);
    const rows = await server.deps.db
      .selectFrom('email_messages')
      .select('id')
      .where('from_address', '=', 'x@example.test')
      .execute();
    expect(rows).toEqual([]);
  });

  it('retries a failed send with backoff, then marks it failed with the server answer, never sending twice', async () => {
    await client.send({ from: 'retry@example.test', to: INBOX, subject: 'Retry me', text: 'Hi', messageId: mid('example.test') });
    const [conv] = await until(async () => {
      const l = await conversationsFrom('retry@example.test');
      return l.length ? l : undefined;
    });
    sink.state.reject = { code: 451, message: 'mailbox busy, try later' };
    const before = sink.state.attempts;
    const failedId = await reply(conv!.id, 'This one will not get through');
    const failed = await until(
      async () =>
        (await emailOf(conv!.id)).emails.find(
          (e: { messageId: string; status: string }) => e.messageId === failedId && e.status === 'failed',
        ),
      { timeoutMs: 20_000 },
    );
    expect(failed.attempts).toBe(3);
    expect(failed.statusReason).toMatch(/451/);
    expect(sink.state.attempts - before).toBe(3);
    expect(sink.mails.some((m) => m.parsed.text?.includes('will not get through'))).toBe(false);

    // A provider that fails once and then accepts: the mail arrives exactly once.
    sink.state.reject = { code: 421, message: 'try again' };
    const okId = await reply(conv!.id, 'Second try gets through');
    await until(async () =>
      (await emailOf(conv!.id)).emails.find(
        (e: { messageId: string; attempts: number }) => e.messageId === okId && e.attempts >= 1,
      ),
    );
    sink.state.reject = undefined;
    await until(
      async () =>
        (await emailOf(conv!.id)).emails.find(
          (e: { messageId: string; status: string }) => e.messageId === okId && e.status === 'sent',
        ),
      { timeoutMs: 20_000 },
    );
    await server.settle();
    expect(sink.mails.filter((m) => m.parsed.text?.includes('Second try gets through'))).toHaveLength(1);
  });

  it('mails a reply to a widget customer who left, and their answer comes back into the same room', async () => {
    const created = await server.req('POST', '/conversations', {
      auth: server.admin,
      body: {
        inboxId: server.inboxId,
        subject: 'Chat about shipping',
        contact: { email: 'leftchat@example.test', name: 'Lea' },
        message: { body: 'Is shipping free?' },
      },
    });
    expect(created.status).toBe(201);
    const convId = created.body.id as string;
    await reply(convId, 'Yes, over 50 euros.');
    const mail = await until(() => sink.mails.find((m) => m.envelope.to.includes('leftchat@example.test')), {
      timeoutMs: 15_000,
    });
    expect(mail.parsed.from?.value[0]?.address).toBe(INBOX);
    expect(mail.parsed.subject).toBe('Re: Chat about shipping');
    expect(mail.parsed.text).toContain('Yes, over 50 euros.');
    await client.send({
      from: 'leftchat@example.test',
      to: mail.parsed.replyTo!.value[0]!.address!,
      subject: 'Re: Chat about shipping',
      inReplyTo: mail.parsed.messageId!,
      references: [mail.parsed.messageId!],
      text: 'Perfect, ordering now.\n\n> Yes, over 50 euros.',
      messageId: mid('example.test'),
    });
    const msgs = await until(async () => {
      const m = await messagesOf(convId);
      return m.length === 3 ? m : undefined;
    });
    expect(msgs[2]).toMatchObject({ authorKind: 'contact', bodyText: 'Perfect, ordering now.' });
  });

  it('lets an agent copy someone on replies', async () => {
    await client.send({
      from: 'cc@example.test',
      to: INBOX,
      subject: 'Team question',
      text: 'Hi',
      messageId: mid('example.test'),
    });
    const [conv] = await until(async () => {
      const l = await conversationsFrom('cc@example.test');
      return l.length ? l : undefined;
    });
    const bad = await server.req('PUT', `/conversations/${conv!.id}/email/cc`, {
      auth: server.admin,
      body: { cc: ['not an address'] },
    });
    expect(bad.status).toBe(400);
    const set = await server.req('PUT', `/conversations/${conv!.id}/email/cc`, {
      auth: server.admin,
      body: { cc: ['Boss@Example.test'] },
    });
    expect(set.status).toBe(200);
    expect(set.body.cc).toEqual([{ address: 'boss@example.test', name: null }]);
    await reply(conv!.id, 'Copying your boss.');
    const mail = await until(() => sink.mails.find((m) => m.parsed.text?.includes('Copying your boss.')));
    expect(mail.envelope.to.sort()).toEqual(['boss@example.test', 'cc@example.test']);
    expect(mail.parsed.cc && !Array.isArray(mail.parsed.cc) ? mail.parsed.cc.value[0]?.address : undefined).toBe(
      'boss@example.test',
    );
  });

  it('sends an inbox through its own SMTP server with the password stored encrypted, its signature, and a test mail', async () => {
    const own = await startSmtpSink({ auth: { user: 'sales-bot', pass: 's3cret-pass' } });
    try {
      const sales = await server.req('POST', '/inboxes', {
        auth: server.admin,
        body: { name: 'Sales', channel: 'email', members: [server.admin.userId] },
      });
      const id = sales.body.id as string;
      const bad = await server.req('PATCH', `/inboxes/${id}/email`, {
        auth: server.admin,
        body: { smtp: { host: '127.0.0.1', port: 0, secure: false } },
      });
      expect(bad.status).toBe(400);
      const notEmail = await server.req('PATCH', `/inboxes/${server.inboxId}/email`, {
        auth: server.admin,
        body: { signature: 'x' },
      });
      expect(notEmail.status).toBe(400);
      const taken = await server.req('PATCH', `/inboxes/${id}/email`, { auth: server.admin, body: { address: INBOX } });
      expect(taken.status).toBe(409);

      const set = await server.req('PATCH', `/inboxes/${id}/email`, {
        auth: server.admin,
        body: {
          address: 'Sales@Acme.test',
          signature: 'Kind regards,\nAcme Sales',
          smtp: { host: '127.0.0.1', port: own.port, secure: false, user: 'sales-bot', password: 's3cret-pass' },
        },
      });
      expect(set.status).toBe(200);
      expect(set.body).toEqual({
        address: 'sales@acme.test',
        signature: 'Kind regards,\nAcme Sales',
        smtp: { host: '127.0.0.1', port: own.port, secure: false, user: 'sales-bot', hasPassword: true },
        usesDefaultSmtp: false,
        imap: null,
        dkim: null,
        transcriptOnResolve: false,
        csatByEmail: false,
      });
      const row = await server.deps.db.selectFrom('inboxes').select('settings').where('id', '=', id).executeTakeFirstOrThrow();
      expect(JSON.stringify(row.settings)).not.toContain('s3cret-pass');
      const audit = await server.deps.db.selectFrom('audit_log').selectAll().where('entity_id', '=', id).execute();
      expect(JSON.stringify(audit)).not.toContain('s3cret-pass');

      const test = await server.req('POST', `/inboxes/${id}/email/test`, { auth: server.admin, body: { to: 'admin@acme.test' } });
      expect(test.body).toEqual({ ok: true, sent: true, error: null });
      expect(own.mails.find((m) => m.parsed.subject === 'AutoCRM test mail')?.envelope.to).toEqual(['admin@acme.test']);

      await client.send({
        from: 'buyer@example.test',
        to: 'sales@acme.test',
        subject: 'Pricing',
        text: 'How much?',
        messageId: mid('example.test'),
      });
      const conv = await until(async () => {
        const list = (await server.req('GET', `/conversations?inbox=${id}`, { auth: server.admin })).body.data as {
          id: string;
        }[];
        return list[0];
      });
      await reply(conv.id, 'Ten euros a seat.');
      const mail = await until(() => own.mails.find((m) => m.parsed.text?.includes('Ten euros a seat.')));
      expect(mail.parsed.from?.value[0]?.address).toBe('sales@acme.test');
      expect(mail.parsed.text).toContain('-- \nKind regards,\nAcme Sales');
      expect(sink.mails.some((m) => m.parsed.text?.includes('Ten euros a seat.'))).toBe(false);

      // A wrong password fails the test with the server's answer; leaving the password out keeps the stored one.
      await server.req('PATCH', `/inboxes/${id}/email`, {
        auth: server.admin,
        body: { smtp: { host: '127.0.0.1', port: own.port, secure: false, user: 'sales-bot', password: 'wrong' } },
      });
      const failed = await server.req('POST', `/inboxes/${id}/email/test`, { auth: server.admin, body: {} });
      expect(failed.body).toMatchObject({ ok: false, sent: false });
      expect(failed.body.error).toMatch(/535/);
    } finally {
      await own.close();
    }
  });
});
