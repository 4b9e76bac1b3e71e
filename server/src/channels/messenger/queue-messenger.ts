import type { DomainEvent } from '@autocrm/shared';
import type { EventListener } from '../../events/listener';
import { messagingText } from '../messaging/plain-text';
import { messengerRecipient, messengerWindow } from './messaging-window';

export const TAGGED_CLIENT_PREFIX = 'fb-tag:';
/** The Send API's limit on a text. */
const MAX_TEXT = 2000;

/**
 * An agent's (or the bot's) public message in a Messenger conversation becomes queued Send API
 * messages, in the relay's transaction (once): the text in parts of at most 2,000 characters, then each
 * file. Outside the 24-hour window Meta refuses a plain reply, so none is sent: the message is marked
 * failed with the reason, and the composer offers the message tags. Tagged sends queue themselves in the
 * message's own transaction; their `message.created` still wakes the sender here once committed.
 */
export function queueMessengerReplies(options: { onQueued: () => void; publicBaseUrl?: () => string }): EventListener {
  return {
    name: 'messenger-outbound',
    events: ['message.created'],
    async inTransaction(event, trx) {
      if (event.type !== 'message.created') return;
      const { message, conversation } = (event as DomainEvent<'message.created'>).data;
      if (conversation.channel !== 'messenger') return;
      if (message.private || message.deletedAt || (message.authorKind !== 'agent' && message.authorKind !== 'bot')) return;
      if (message.clientId?.startsWith('seed:') || message.clientId?.startsWith(TAGGED_CLIENT_PREFIX)) return;
      const address = await messengerRecipient(trx, conversation.id);
      const base = {
        inbox_id: conversation.inboxId,
        conversation_id: conversation.id,
        message_id: message.id,
        provider: 'messenger',
        direction: 'out' as const,
        from_address: address?.to ?? '',
        to_address: address?.from ?? '',
      };
      const window = await messengerWindow(trx, conversation.id);
      if (!address || !window.open) {
        await trx
          .insertInto('channel_messages')
          .values({
            ...base,
            status: 'failed',
            status_reason: address
              ? "outside Messenger's 24-hour window: send it with a message tag (such as HUMAN_AGENT)"
              : 'the customer has no Messenger id in this inbox',
          })
          .execute();
        return;
      }
      await trx
        .insertInto('channel_messages')
        .values(queuedRows(base, message, null, options.publicBaseUrl?.()))
        .execute();
    },
    afterCommit(event) {
      if (event.type === 'message.created' && (event as DomainEvent<'message.created'>).data.conversation.channel === 'messenger')
        options.onQueued();
    },
  };
}

/** The rows one message is sent as: its text in parts, then a row per file; `payload` carries a tag. */
export function queuedRows(
  base: {
    inbox_id: string;
    conversation_id: string;
    message_id: string;
    provider: string;
    direction: 'out';
    from_address: string;
    to_address: string;
  },
  message: { bodyText: string; bodyHtml: string; attachments: { name: string; url: string; contentType: string }[] },
  payload: { tag: string } | null = null,
  baseUrl?: string,
) {
  const text = messagingText(message, baseUrl);
  const now = Date.now();
  const rows: { body: string; media: string }[] = [];
  for (let i = 0; i < text.length; i += MAX_TEXT) rows.push({ body: text.slice(i, i + MAX_TEXT), media: '[]' });
  for (const a of message.attachments)
    rows.push({ body: a.name, media: JSON.stringify([{ url: a.url, contentType: a.contentType }]) });
  return rows.map((r, i) => ({
    ...base,
    ...r,
    payload: payload ? JSON.stringify(payload) : null,
    status: 'queued' as const,
    next_attempt_at: new Date(now + i),
  }));
}
