import { describe, expect, it } from 'vitest';
import {
  client,
  conversationsFrom,
  emailOf,
  INBOX,
  messagesOf,
  mid,
  reply,
  server,
  sink,
  until,
  useEmailServer,
} from './helpers/email-server';

// Email end to end over real SMTP on loopback, mail coming in: threading, attachments, encodings,
// auto-replies and unknown addresses. Sending (retries, cc, an inbox's own SMTP) is in
// tests/email-outbound.test.ts.

useEmailServer();

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
});
