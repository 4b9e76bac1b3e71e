import type { DomainEvent } from '@autocrm/shared';
import type { EventListener } from '../../events/listener';
import { messagingText } from '../messaging/plain-text';
import { customerAddress, windowClosesAt } from './service-window';

export const TEMPLATE_CLIENT_PREFIX = 'wa-template:';
const MAX_TEXT = 4096;

/**
 * An agent's (or the bot's) public message in a WhatsApp conversation becomes queued WhatsApp messages,
 * in the relay's transaction (once): the text, then each file as an image or document. Outside the
 * 24-hour window WhatsApp refuses free-form messages, so none is sent: the message is marked failed
 * with the reason, and the room offers the inbox's templates. Template sends queue themselves in the
 * message's own transaction; their `message.created` still wakes the sender here, once committed, on
 * the process that dispatches it (no hook from the route: any process, any app in the process).
 */
export function queueWhatsAppReplies(options: { onQueued: () => void; publicBaseUrl?: () => string }): EventListener {
  return {
    name: 'whatsapp-outbound',
    events: ['message.created'],
    async inTransaction(event, trx) {
      if (event.type !== 'message.created') return;
      const { message, conversation } = (event as DomainEvent<'message.created'>).data;
      if (conversation.channel !== 'whatsapp') return;
      if (message.private || message.deletedAt || (message.authorKind !== 'agent' && message.authorKind !== 'bot')) return;
      if (message.clientId?.startsWith('seed:') || message.clientId?.startsWith(TEMPLATE_CLIENT_PREFIX)) return;
      const address = await customerAddress(trx, conversation.id);
      const base = {
        inbox_id: conversation.inboxId,
        conversation_id: conversation.id,
        message_id: message.id,
        provider: 'whatsapp',
        direction: 'out' as const,
        from_address: address?.to ?? '',
        to_address: address?.from ?? '',
      };
      const closesAt = await windowClosesAt(trx, conversation.id);
      if (!address || !closesAt || closesAt.getTime() < Date.now()) {
        await trx
          .insertInto('channel_messages')
          .values({
            ...base,
            status: 'failed',
            status_reason: "outside WhatsApp's 24-hour window: only an approved template can reach the customer now",
          })
          .execute();
        return;
      }
      const text = messagingText(message, options.publicBaseUrl?.());
      const now = Date.now();
      const rows: { body: string; media: string }[] = [];
      for (let i = 0; i < text.length; i += MAX_TEXT) rows.push({ body: text.slice(i, i + MAX_TEXT), media: '[]' });
      for (const a of message.attachments)
        rows.push({ body: a.name, media: JSON.stringify([{ url: a.url, contentType: a.contentType }]) });
      if (!rows.length) return;
      await trx
        .insertInto('channel_messages')
        .values(rows.map((r, i) => ({ ...base, ...r, status: 'queued' as const, next_attempt_at: new Date(now + i) })))
        .execute();
    },
    afterCommit(event) {
      if (event.type === 'message.created' && (event as DomainEvent<'message.created'>).data.conversation.channel === 'whatsapp')
        options.onQueued();
    },
  };
}
