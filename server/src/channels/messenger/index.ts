import type { MessengerTag } from '@autocrm/shared';
import type { z } from 'zod';
import { activeUploadLinks } from '../../domain/widget/upload-links';
import type { ChannelModule } from '../channel';
import { SecretBox } from '../email/secret-box';
import { loadChannelSecret } from '../email/thread-token';
import { ChannelSender, type QueuedChannelMessage } from '../messaging/channel-sender';
import { messengerRoutes } from './messenger-routes';
import { loadMessengerInbox } from './messenger-settings';
import { queueMessengerReplies } from './queue-messenger';
import { type MessengerOutgoing, sendMessenger } from './send-api';

/** What one queued row is on the Send API: a file by (signed) URL, or text. */
function outgoing(row: QueuedChannelMessage): MessengerOutgoing {
  const media = row.media[0];
  if (!media) return { text: row.body };
  const url = activeUploadLinks()?.signUrl(media.url) ?? media.url;
  const type = media.contentType.startsWith('image/')
    ? 'image'
    : media.contentType.startsWith('video/')
      ? 'video'
      : media.contentType.startsWith('audio/')
        ? 'audio'
        : 'file';
  return { attachment: { type, payload: { url, is_reusable: false } } };
}

/**
 * Facebook Messenger and Instagram messaging through Meta's Messenger Platform: one signed Graph
 * webhook per inbox (/api/v1/channels/messenger/{inbox}) for both, the PSID (IGSID) as the customer's
 * identity on that page, replies through the Send API, delivery and read receipts per message, and
 * the 24-hour window with message tags after it.
 */
export const messengerChannel: ChannelModule = {
  name: 'messenger',
  routes: messengerRoutes,
  async start({ deps, publicBaseUrl }) {
    const { db, config, logger } = deps;
    const box = new SecretBox(await loadChannelSecret(db));
    const sender = new ChannelSender({
      db,
      logger,
      provider: 'messenger',
      retryBaseMs: config.SMS_RETRY_BASE_MS,
      maxAttempts: config.SMS_MAX_ATTEMPTS,
      pollMs: Math.min(Math.max(config.OUTBOX_POLL_MS * 10, 500), 5000),
      async send(row) {
        const inbox = await loadMessengerInbox(db, box, row.inbox_id);
        if (!inbox) return { ok: false, retry: false, reason: 'the Messenger inbox is not connected', code: null };
        const tag = (row.payload as { tag?: z.infer<typeof MessengerTag> } | null)?.tag ?? null;
        return sendMessenger(config.MESSENGER_GRAPH_BASE_URL, inbox, row.to_address, outgoing(row), tag);
      },
    });
    return {
      listeners: [queueMessengerReplies({ onQueued: () => sender.poke(), publicBaseUrl })],
      ports: {},
      start: () => sender.start(),
      close: () => sender.stop(),
    };
  },
};
