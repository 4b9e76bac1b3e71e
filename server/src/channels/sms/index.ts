import { activeUploadLinks } from '../../domain/widget/upload-links';
import type { ChannelModule } from '../channel';
import { SecretBox } from '../email/secret-box';
import { loadChannelSecret } from '../email/thread-token';
import { ChannelSender } from '../messaging/channel-sender';
import { setOptOut } from './opt-outs';
import { queueSmsReplies } from './queue-sms';
import { smsRoutes } from './sms-routes';
import { loadSmsInbox, webhookUrls } from './sms-settings';
import { OPTED_OUT_CODES, sendSms } from './twilio-client';

/**
 * SMS through Twilio: texts in through a signed webhook per inbox (POST /api/v1/channels/twilio/{inbox}/sms),
 * agents' and the bot's replies out through Twilio's Messages API, delivery states back through the
 * status callback, shown per message in the room.
 */
export const smsChannel: ChannelModule = {
  name: 'sms',
  routes: smsRoutes,
  async start({ deps, publicBaseUrl }) {
    const { db, config, logger } = deps;
    const box = new SecretBox(await loadChannelSecret(db));
    const sender = new ChannelSender({
      db,
      logger,
      provider: 'twilio',
      retryBaseMs: config.SMS_RETRY_BASE_MS,
      maxAttempts: config.SMS_MAX_ATTEMPTS,
      pollMs: Math.min(Math.max(config.OUTBOX_POLL_MS * 10, 500), 5000),
      async send(row) {
        const inbox = await loadSmsInbox(db, box, row.inbox_id);
        if (!inbox) return { ok: false, retry: false, reason: 'the SMS inbox has no Twilio credentials', code: null };
        const links = activeUploadLinks();
        return sendSms(config.TWILIO_API_BASE_URL, inbox, {
          to: row.to_address,
          body: row.body,
          mediaUrls: row.media.map((m) => links?.signUrl(m.url) ?? m.url),
          statusCallback: webhookUrls(publicBaseUrl(), inbox.id).status,
        });
      },
      async onRefused(row, code) {
        // Twilio refuses a number that texted STOP to it directly: remember it like our own opt-out.
        if (code !== null && OPTED_OUT_CODES.has(code))
          await setOptOut(db, { inboxId: row.inbox_id, address: row.to_address, optedOut: true });
      },
    });
    return {
      listeners: [queueSmsReplies({ onQueued: () => sender.poke(), publicBaseUrl })],
      ports: {},
      start: () => sender.start(),
      close: () => sender.stop(),
    };
  },
};
