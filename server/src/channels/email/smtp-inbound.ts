import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { SMTPServer } from 'smtp-server';
import type { Db } from '../../storage/db';
import { listEmailInboxes, splitPlusAddress } from './inbox-addresses';
import type { InboundMail, InboundOutcome } from './receive-email';

/** Largest mail we take (attachments included); larger ones are refused at DATA with 552. */
export const MAX_MAIL_BYTES = 30 * 1024 * 1024;

const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });

/**
 * The built-in SMTP server for setups that point an MX or a forwarding rule at us. It accepts mail
 * only for our inboxes' addresses (plus tags allowed), and answers 250 only once the mail is stored:
 * on any failure the sender gets a 451 and retries, so no mail is lost.
 */
export async function startSmtpInbound(props: {
  db: Db;
  host: string;
  port: number;
  logger: Logger;
  receive: (mail: InboundMail) => Promise<InboundOutcome>;
}): Promise<{ port: number; close: () => Promise<void> }> {
  const server = new SMTPServer({
    name: 'autocrm',
    banner: 'AutoCRM inbound mail',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_MAIL_BYTES,
    logger: false,
    async onRcptTo(address, _session, callback) {
      try {
        const { base } = splitPlusAddress(address.address);
        const inboxes = await listEmailInboxes(props.db);
        if (inboxes.some((i) => i.address === base)) return callback();
        return callback(smtpError('no such mailbox here', 550));
      } catch (err) {
        props.logger.error({ err }, 'smtp recipient check failed');
        return callback(smtpError('try again later', 451));
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(smtpError('message too large', 552));
        }
        const mailFrom = session.envelope.mailFrom;
        props
          .receive({
            raw: Buffer.concat(chunks),
            envelopeFrom: mailFrom === false ? '' : mailFrom.address,
            recipients: session.envelope.rcptTo.map((r) => r.address),
          })
          .then(() => callback())
          .catch((err: unknown) => {
            props.logger.error({ err }, 'inbound mail could not be stored');
            callback(smtpError('could not store the message, try again later', 451));
          });
      });
    },
  });
  server.on('error', (err) => props.logger.warn({ err }, 'smtp inbound connection error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(props.port, props.host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
