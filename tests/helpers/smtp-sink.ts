import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { SMTPServer } from 'smtp-server';

export interface SinkMail {
  parsed: ParsedMail;
  /** The mail as it came over the wire (for signature checks). */
  raw: Buffer;
  envelope: { from: string; to: string[] };
}

/**
 * A mail provider's SMTP server on loopback: records every mail it accepts (parsed back with
 * mailparser), or answers with an error while `reject` is set, as a real provider would.
 */
export async function startSmtpSink(opts: { auth?: { user: string; pass: string } } = {}) {
  const mails: SinkMail[] = [];
  const state = { reject: undefined as { code: number; message: string } | undefined, attempts: 0 };
  const server = new SMTPServer({
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    disabledCommands: opts.auth ? ['STARTTLS'] : ['AUTH', 'STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass)
        return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('authentication failed'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        state.attempts++;
        if (state.reject) {
          return callback(Object.assign(new Error(state.reject.message), { responseCode: state.reject.code }));
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            mails.push({
              parsed,
              raw,
              envelope: {
                from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
                to: session.envelope.rcptTo.map((r) => r.address),
              },
            });
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A customer's mail client: sends through our inbound SMTP server like any MTA would. */
export function mailClient(port: number) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  return {
    send: (mail: Mail.Options) => transport.sendMail(mail),
    close: () => transport.close(),
  };
}
