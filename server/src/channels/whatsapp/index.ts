import { activeUploadLinks } from '../../domain/widget/upload-links';
import type { ChannelModule } from '../channel';
import { SecretBox } from '../email/secret-box';
import { loadChannelSecret } from '../email/thread-token';
import { ChannelSender, type QueuedChannelMessage } from '../messaging/channel-sender';
import { sendWhatsApp, type WhatsAppOutgoing } from './graph-client';
import { queueWhatsAppReplies } from './queue-whatsapp';
import { whatsAppRoutes } from './whatsapp-routes';
import { loadWhatsAppInbox } from './whatsapp-settings';

/** What one queued row is on the wire: a template, a file, or text. */
function outgoing(row: QueuedChannelMessage): WhatsAppOutgoing {
  const template = (row.payload as { template?: { name: string; language: string; params: string[] } } | null)?.template;
  if (template)
    return {
      type: 'template',
      template: {
        name: template.name,
        language: { code: template.language },
        ...(template.params.length
          ? {
              components: [
                { type: 'body' as const, parameters: template.params.map((text) => ({ type: 'text' as const, text })) },
              ],
            }
          : {}),
      },
    };
  const media = row.media[0];
  if (media) {
    const link = activeUploadLinks()?.signUrl(media.url) ?? media.url;
    return media.contentType.startsWith('image/')
      ? { type: 'image', image: { link } }
      : { type: 'document', document: { link, filename: row.body || 'file' } };
  }
  return { type: 'text', text: { body: row.body, preview_url: false } };
}

/**
 * WhatsApp through Meta's Cloud API: messages in through a signed webhook per inbox
 * (/api/v1/channels/whatsapp/{inbox}), replies and templates out through the Graph API, delivery and
 * read states back through the same webhook, shown per message in the room.
 */
export const whatsAppChannel: ChannelModule = {
  name: 'whatsapp',
  routes: whatsAppRoutes,
  async start({ deps, publicBaseUrl }) {
    const { db, config, logger } = deps;
    const box = new SecretBox(await loadChannelSecret(db));
    const sender = new ChannelSender({
      db,
      logger,
      provider: 'whatsapp',
      retryBaseMs: config.SMS_RETRY_BASE_MS,
      maxAttempts: config.SMS_MAX_ATTEMPTS,
      pollMs: Math.min(Math.max(config.OUTBOX_POLL_MS * 10, 500), 5000),
      async send(row) {
        const inbox = await loadWhatsAppInbox(db, box, row.inbox_id);
        if (!inbox) return { ok: false, retry: false, reason: 'the WhatsApp inbox is not connected', code: null };
        return sendWhatsApp(config.WHATSAPP_GRAPH_BASE_URL, inbox, row.to_address.replace(/^\+/, ''), outgoing(row));
      },
    });
    return {
      listeners: [queueWhatsAppReplies({ onQueued: () => sender.poke(), publicBaseUrl })],
      ports: {},
      start: () => sender.start(),
      close: () => sender.stop(),
    };
  },
};
