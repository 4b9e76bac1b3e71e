import { rooms } from '@autocrm/shared';
import { uploadStoreFor } from '../../storage/uploads/select-store';
import type { ChannelModule } from '../channel';
import { announcementMails } from './announcement-mails';
import { CsatTokens } from './csat-token';
import { emailRoutes } from './email-routes';
import { ImapInbound } from './imap-inbound';
import { mailOnResolve } from './queue-composed';
import { queueEmailReplies } from './queue-reply';
import { queueBackOnlineMails, queueStatusMails } from './queue-status-mail';
import { type InboundMail, receiveEmail } from './receive-email';
import { SecretBox } from './secret-box';
import { EmailSender } from './send-worker';
import { startSmtpInbound } from './smtp-inbound';
import { loadChannelSecret, ThreadTokens } from './thread-token';

/**
 * Email: mail in through the built-in SMTP server (SMTP_INBOUND_PORT) into the same rooms as chat,
 * agents' replies out through SMTP_URL (or an inbox's own server), threaded both ways.
 */
export const emailChannel: ChannelModule = {
  name: 'email',
  routes: emailRoutes,
  async start({ deps, publicBaseUrl }) {
    const { db, config, logger } = deps;
    const secret = await loadChannelSecret(db);
    const tokens = new ThreadTokens(secret);
    const box = new SecretBox(secret);
    const attachmentsDir = uploadStoreFor(config);
    // Due retries and delayed mails are found by this poll; new mails are poked at once.
    const roundMs = Math.min(Math.max(config.OUTBOX_POLL_MS * 10, 500), 5000);
    const sender = new EmailSender(
      {
        db,
        config,
        logger,
        tokens,
        box,
        attachmentsDir,
        publicBaseUrl,
        // Through the adapter this sees the widget and portal pages on every process.
        customerConnected: async (conversationId) =>
          Boolean(deps.realtime && (await deps.realtime.widget.in(rooms.conversation(conversationId)).fetchSockets()).length),
      },
      roundMs,
    );
    const receive = async (mail: InboundMail) => {
      const outcome = await receiveEmail({ db, tokens, attachmentsDir, publicBaseUrl, logger }, mail);
      logger.info({ outcome: outcome.kind }, 'inbound mail');
      return outcome;
    };
    const announcements = announcementMails({
      db,
      config,
      logger,
      pollMs: roundMs,
      publicBaseUrl,
      onQueued: () => sender.poke(),
    });
    const imap = new ImapInbound(
      { db, box, logger, receive: (inbox, raw) => receive({ raw, envelopeFrom: null, recipients: [inbox.address] }) },
      roundMs,
    );
    const inbound =
      config.SMTP_INBOUND_PORT !== undefined
        ? await startSmtpInbound({
            db,
            host: config.HOST,
            port: config.SMTP_INBOUND_PORT,
            logger,
            receive,
          })
        : undefined;
    return {
      listeners: [
        queueEmailReplies({ config, tokens, onQueued: () => sender.poke() }),
        mailOnResolve({ config, tokens, csatTokens: new CsatTokens(secret), publicBaseUrl, onQueued: () => sender.poke() }),
        queueStatusMails({ config, tokens, publicBaseUrl, onQueued: () => sender.poke() }),
        queueBackOnlineMails({ config, tokens, publicBaseUrl, onQueued: () => sender.poke() }),
      ],
      ports: inbound ? { smtp: inbound.port } : ({} as Record<string, number>),
      start: () => {
        sender.start();
        imap.start();
        announcements.start();
      },
      async close() {
        await inbound?.close();
        await announcements.stop();
        await imap.stop();
        await sender.stop();
      },
    };
  },
};
