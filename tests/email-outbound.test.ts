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
import { startSmtpSink } from './helpers/smtp-sink';

// Email end to end over real SMTP on loopback, mail going out: retries, mail to a widget customer who
// left, copies, and an inbox's own SMTP server. Mail coming in is in tests/email-inbound.test.ts.

useEmailServer();

describe('email channel', () => {
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
